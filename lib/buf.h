/* buf — a growable byte buffer, always NUL-terminated after its content. */
#ifndef PVD_BUF_H
#define PVD_BUF_H
#include <stddef.h>
#include <string.h>

struct pvd_buf {
	char *p;
	size_t len, cap;
};

/* Grows the buffer (out of line; pvd_buf_reserve checks inline first). */
void pvd_buf_grow(struct pvd_buf *b, size_t extra);
static inline void pvd_buf_reserve(struct pvd_buf *b, size_t extra)
{
	if (b->len + extra + 1 > b->cap)
		pvd_buf_grow(b, extra);
}
static inline void pvd_buf_add(struct pvd_buf *b, const void *p, size_t n)
{
	pvd_buf_reserve(b, n);
	if (n)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}
void pvd_buf_printf(struct pvd_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Appends v in decimal, as "%lld" would, without printf (a hot path's numbers). */
void pvd_buf_add_ll(struct pvd_buf *b, long long v);
void pvd_buf_free(struct pvd_buf *b);

static inline void pvd_buf_reset(struct pvd_buf *b)
{
	b->len = 0;
	if (b->p)
		b->p[0] = '\0';
}
static inline void pvd_buf_addc(struct pvd_buf *b, char c)
{
	if (b->len + 2 > b->cap)
		pvd_buf_reserve(b, 1);
	b->p[b->len++] = c;
	b->p[b->len] = '\0';
}
static inline void pvd_buf_adds(struct pvd_buf *b, const char *s) { pvd_buf_add(b, s, strlen(s)); }
/* Content as a C string ("" for an empty, never-used buffer). */
static inline const char *pvd_buf_str(const struct pvd_buf *b) { return b->p ? b->p : ""; }
#endif
