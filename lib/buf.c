#include "buf.h"
#include "xmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void pvd_buf_grow(struct pvd_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return;
	size_t c = b->cap ? b->cap : 256;
	while (c < need)
		c *= 2;
	b->p = xrealloc(b->p, c);
	b->cap = c;
	/* Always a string, even before anything is added (an empty cell). */
	b->p[b->len] = '\0';
}

void pvd_buf_add_ll(struct pvd_buf *b, long long v)
{
	char d[24], *p = d + sizeof d;
	unsigned long long a = v < 0 ? 0ULL - (unsigned long long)v : (unsigned long long)v;
	do
		*--p = (char)('0' + a % 10);
	while (a /= 10);
	if (v < 0)
		*--p = '-';
	pvd_buf_add(b, p, (size_t)(d + sizeof d - p));
}

void pvd_buf_printf(struct pvd_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	pvd_buf_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void pvd_buf_free(struct pvd_buf *b)
{
	free(b->p);
	b->p = NULL;
	b->len = b->cap = 0;
}
