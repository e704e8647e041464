/* linemap: every member's place found again, across file changes, steps
 * back and forth, jumps too large for one long, LONG_MIN and LONG_MAX; and
 * about a byte a member when lines follow each other. */
#include "check.h"
#include "hash.h"
#include "linemap.h"
#include <limits.h>
#include <stdlib.h>

int main(void)
{
	enum { N = 200000 };
	struct pvd_linemap m = { 0 };
	uint32_t *file = malloc(N * sizeof *file);
	long *line = malloc(N * sizeof *line);
	long l = 1;
	uint32_t f = 0;
	for (uint32_t i = 0; i < N; i++) {
		uint64_t r = pvd_mix64(i + 1);
		switch (r % 16) {
		case 0: f = (uint32_t)(r >> 8) % 5; break;          /* another file */
		/* steps wrap around past LONG_MAX and LONG_MIN (two's complement) */
		case 1: l = (long)((unsigned long)l - (r >> 8) % 1000); break;    /* back */
		case 2: l = (long)((unsigned long)l + (r >> 8) % 100000); break;  /* on, several bytes */
		case 3: l = (r >> 8) & 1 ? LONG_MAX : LONG_MIN; break;
		case 4: l = 0; break;
		default: l = (long)((unsigned long)l + 1);          /* the next line */
		}
		file[i] = f;
		line[i] = l;
		pvd_linemap_add(&m, f, l);
	}
	int all = 1;
	for (uint32_t i = 0; i < N; i++) {
		uint32_t gf;
		long gl;
		pvd_linemap_get(&m, i, &gf, &gl);
		all &= gf == file[i] && gl == line[i];
	}
	CHECK(all && m.n == N, "%d members found again at their file and line", N);
	pvd_linemap_free(&m);

	/* one member, a mark and no difference yet (UBSan: no offset from NULL) */
	uint32_t gf;
	long gl;
	pvd_linemap_add(&m, 3, 42);
	pvd_linemap_get(&m, 0, &gf, &gl);
	CHECK(gf == 3 && gl == 42 && m.b == NULL, "a lone member, a mark only: file %u, line %ld", gf, gl);
	pvd_linemap_free(&m);

	/* one file, lines one after the other, a reject now and then (a step of 2) */
	for (uint32_t i = 0, ln = 2; i < 1000000; i++, ln += i % 3 ? 1 : 2)
		pvd_linemap_add(&m, 0, ln);
	size_t b = pvd_linemap_bytes(&m);
	CHECK(b <= 1000000 * 3 / 2, "a million consecutive lines in %zu bytes (at most 1.5 a member)", b);
	pvd_linemap_get(&m, 999999, &gf, &gl);
	CHECK(gf == 0 && gl == 2 + 999999 + 333333, "the last one at line %ld", gl);
	pvd_linemap_free(&m);
	free(file);
	free(line);
	return check_done();
}
