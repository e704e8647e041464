#include "linemap.h"
#include "xmem.h"
#include <stdlib.h>

/* Grown by a quarter, not doubled: a byte a member is the point. */
static void *grow(void *p, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return p;
	size_t c = *cap ? *cap + *cap / 4 : 256;
	if (c < need)
		c = need;
	*cap = c;
	return xrealloc(p, c * size);
}

void pvd_linemap_add(struct pvd_linemap *map, uint32_t file, long line)
{
	long d;
	if (map->n % PVD_LINEMAP_EVERY == 0 || file != map->file ||
	    __builtin_sub_overflow(line, map->line, &d)) {
		map->m = grow(map->m, &map->cm, map->nm + 1, sizeof *map->m);
		map->m[map->nm++] = (struct pvd_linemap_mark){ map->nb, map->n, file, line };
	} else {
		/* zigzag: small steps back or forth in few bytes */
		uint64_t z = ((uint64_t)d << 1) ^ (uint64_t)(d >> 63);
		map->b = grow(map->b, &map->cb, map->nb + 10, 1);
		do {
			map->b[map->nb++] = (uint8_t)(z & 0x7f) | (z > 0x7f ? 0x80 : 0);
			z >>= 7;
		} while (z);
	}
	map->file = file;
	map->line = line;
	map->n++;
}

void pvd_linemap_get(const struct pvd_linemap *map, uint32_t ord, uint32_t *file, long *line)
{
	size_t lo = 0, hi = map->nm;   /* the last mark at or before ord */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (map->m[mid].ord <= ord)
			lo = mid;
		else
			hi = mid;
	}
	const struct pvd_linemap_mark *k = &map->m[lo];
	/* no difference stored yet (each member a mark): b is still NULL */
	const uint8_t *p = map->b ? map->b + k->off : NULL;
	uint64_t l = (uint64_t)k->line;  /* unsigned: the sums were checked when added */
	for (uint32_t i = k->ord; i < ord; i++) {
		uint64_t z = 0;
		int s = 0;
		do
			z |= (uint64_t)(*p & 0x7f) << s, s += 7;
		while (*p++ & 0x80);
		l += (z >> 1) ^ -(z & 1);
	}
	*file = k->file;
	*line = (long)l;
}

size_t pvd_linemap_bytes(const struct pvd_linemap *map)
{
	return map->cb + map->cm * sizeof *map->m;
}

void pvd_linemap_free(struct pvd_linemap *map)
{
	free(map->b);
	free(map->m);
	*map = (struct pvd_linemap){ 0 };
}
