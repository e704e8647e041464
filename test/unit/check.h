/* Minimal TAP unit-test helpers for the lib/ tests: each CHECK is one test
 * line, so a table of tricky values gives one TAP line per value. */
#ifndef PVD_CHECK_H
#define PVD_CHECK_H
#include <stdio.h>
#include <string.h>

static int check_n, check_failed;

#define CHECK(cond, ...) do { \
	++check_n; \
	if (cond) { printf("ok %d - ", check_n); } \
	else { ++check_failed; printf("not ok %d - %s:%d: ", check_n, __FILE__, __LINE__); } \
	printf(__VA_ARGS__); putchar('\n'); \
} while (0)

#define CHECK_STR(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	int ok_ = (g_ == NULL && w_ == NULL) || (g_ && w_ && strcmp(g_, w_) == 0); \
	CHECK(ok_, __VA_ARGS__); \
	if (!ok_) printf("#   got:  %s\n#   want: %s\n", g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
} while (0)

#define CHECK_INT(got, want, ...) do { \
	long long g_ = (long long)(got), w_ = (long long)(want); \
	CHECK(g_ == w_, __VA_ARGS__); \
	if (g_ != w_) printf("#   got:  %lld\n#   want: %lld\n", g_, w_); \
} while (0)

static inline int check_done(void)
{
	printf("1..%d\n", check_n);
	return check_failed ? 1 : 0;
}
#endif
