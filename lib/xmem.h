/* xmem — allocation that cannot fail: on exhaustion the program says so and
 * exits with PVD_EX_SOFTWARE (70).  Every other lib/ error is returned. */
#ifndef PVD_XMEM_H
#define PVD_XMEM_H
#include <stddef.h>
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows an array to hold at least `need` elements of `size` bytes, doubling. */
void *xgrow(void *p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
#endif
