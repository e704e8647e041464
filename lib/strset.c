#include "strset.h"
#include "hash.h"
#include "xmem.h"
#include "diag.h"
#include <stdlib.h>
#include <string.h>

/* Short keys (INSEE codes, SIRENs, ids): FNV-1a, spread by the finaliser. */
static uint32_t hash(const char *s, size_t n)
{
	return (uint32_t)pvd_mix64(pvd_fnv1a64(s, n));
}

void pvd_strset_init(struct pvd_strset *s)
{
	memset(s, 0, sizeof *s);
}

void pvd_strset_free(struct pvd_strset *s)
{
	free(s->arena);
	free(s->off);
	free(s->len);
	free(s->hash);
	free(s->slot);
	memset(s, 0, sizeof *s);
}

void pvd_strset_clear(struct pvd_strset *s)
{
	s->alen = 0;
	s->n = 0;
	if (s->slot)
		memset(s->slot, 0, s->nslots * sizeof *s->slot);
}

static void rehash(struct pvd_strset *s, size_t nslots)
{
	free(s->slot);
	s->slot = xcalloc(nslots, sizeof *s->slot);
	s->nslots = nslots;
	for (size_t id = 0; id < s->n; id++) {
		size_t i = s->hash[id] & (nslots - 1);
		while (s->slot[i])
			i = (i + 1) & (nslots - 1);
		s->slot[i] = (uint32_t)id + 1;
	}
}

static long lookup(const struct pvd_strset *s, const char *str, size_t n, uint32_t h, size_t *where)
{
	if (!s->nslots) {
		*where = 0;
		return -1;
	}
	size_t i = h & (s->nslots - 1);
	for (;;) {
		uint32_t v = s->slot[i];
		if (!v) {
			*where = i;
			return -1;
		}
		uint32_t id = v - 1;
		if (s->hash[id] == h && s->len[id] == n && memcmp(s->arena + s->off[id], str, n) == 0)
			return id;
		i = (i + 1) & (s->nslots - 1);
	}
}

long pvd_strset_find(const struct pvd_strset *s, const char *str, size_t n)
{
	size_t where;
	return lookup(s, str, n, hash(str, n), &where);
}

uint32_t pvd_strset_add(struct pvd_strset *s, const char *str, size_t n, int *added)
{
	uint32_t h = hash(str, n);
	size_t where;
	long id = lookup(s, str, n, h, &where);
	if (added)
		*added = id < 0;
	if (id >= 0)
		return (uint32_t)id;
	if (s->n >= UINT32_MAX - 1 || n >= UINT32_MAX)
		pvd_die(PVD_EX_SOFTWARE, "string set too large");
	/* Keep the table at most half full. */
	if ((s->n + 1) * 2 > s->nslots) {
		rehash(s, s->nslots ? s->nslots * 2 : 16);
		lookup(s, str, n, h, &where);
	}
	/* str may point into our own arena (re-adding a string we hold). */
	size_t need = s->alen + n + 1;
	if (need > s->acap) {
		size_t c = s->acap ? s->acap : 256;
		while (c < need)
			c *= 2;
		const char *old = s->arena;
		s->arena = xrealloc(s->arena, c);
		s->acap = c;
		if (old && str >= old && str < old + s->alen)
			str = s->arena + (str - old);
	}
	size_t cap = s->idcap;
	s->off = xgrow(s->off, &cap, s->n + 1, sizeof *s->off);
	cap = s->idcap;
	s->len = xgrow(s->len, &cap, s->n + 1, sizeof *s->len);
	cap = s->idcap;
	s->hash = xgrow(s->hash, &cap, s->n + 1, sizeof *s->hash);
	s->idcap = cap;
	memcpy(s->arena + s->alen, str, n);
	s->arena[s->alen + n] = '\0';
	s->off[s->n] = s->alen;
	s->len[s->n] = (uint32_t)n;
	s->hash[s->n] = h;
	s->alen += n + 1;
	s->slot[where] = (uint32_t)s->n + 1;
	return (uint32_t)s->n++;
}

int pvd_bytes_cmp(const char *a, size_t an, const char *b, size_t bn)
{
	int c = memcmp(a, b, an < bn ? an : bn);
	if (c)
		return c;
	return an < bn ? -1 : an > bn;
}

static int by_string(const void *x, const void *y, void *ctx)
{
	uint32_t a = *(const uint32_t *)x, b = *(const uint32_t *)y;
	const struct pvd_strset *s = ctx;
	return pvd_bytes_cmp(s->arena + s->off[a], s->len[a], s->arena + s->off[b], s->len[b]);
}

uint32_t *pvd_strset_sorted(const struct pvd_strset *s)
{
	uint32_t *ids = xmalloc((s->n ? s->n : 1) * sizeof *ids);
	for (size_t i = 0; i < s->n; i++)
		ids[i] = (uint32_t)i;
	qsort_r(ids, s->n, sizeof *ids, by_string, (void *)s);
	return ids;
}

void pvd_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}
