#include "u64map.h"
#include "hash.h"
#include "xmem.h"
#include <stdlib.h>

#define MIN_CAP 1024

static size_t home(uint64_t k0, uint64_t k1, size_t cap)
{
	return (size_t)pvd_mix64(k0 ^ k1 * 0x9e3779b97f4a7c15ULL) & (cap - 1);
}

static int empty(const struct pvd_u64map_entry *x)
{
	return !x->k0 && !x->k1;
}

static void rehash(struct pvd_u64map *m, size_t cap)
{
	struct pvd_u64map_entry *t = xcalloc(cap, sizeof *t);
	for (size_t i = 0; i < m->cap; i++) {
		const struct pvd_u64map_entry *o = &m->t[i];
		if (empty(o))
			continue;
		size_t j = home(o->k0, o->k1, cap);
		while (!empty(&t[j]))
			j = (j + 1) & (cap - 1);
		t[j] = *o;
	}
	free(m->t);
	m->t = t;
	m->cap = cap;
}

void pvd_u64map_reserve(struct pvd_u64map *m, size_t n)
{
	if (m->t)
		return;
	size_t cap = MIN_CAP;
	while (cap < n * 2)
		cap *= 2;
	rehash(m, cap);
}

/* The slot of the key, or the empty slot where it would go. */
static struct pvd_u64map_entry *probe(const struct pvd_u64map *m, uint64_t k0, uint64_t k1)
{
	for (size_t j = home(k0, k1, m->cap);; j = (j + 1) & (m->cap - 1)) {
		struct pvd_u64map_entry *x = &m->t[j];
		if (empty(x) || (x->k0 == k0 && x->k1 == k1))
			return x;
	}
}

struct pvd_u64map_entry *pvd_u64map_get(const struct pvd_u64map *m, uint64_t k0, uint64_t k1)
{
	if (!m->t)
		return NULL;
	struct pvd_u64map_entry *x = probe(m, k0, k1);
	return empty(x) ? NULL : x;
}

struct pvd_u64map_entry *pvd_u64map_put(struct pvd_u64map *m, uint64_t k0, uint64_t k1, uint64_t val,
					int *added)
{
	if ((m->n + 1) * 2 > m->cap)
		rehash(m, m->cap ? m->cap * 2 : MIN_CAP);
	struct pvd_u64map_entry *x = probe(m, k0, k1);
	*added = empty(x);
	if (*added) {
		x->k0 = k0;
		x->k1 = k1;
		x->val = val;
		m->n++;
	}
	return x;
}

void pvd_u64map_free(struct pvd_u64map *m)
{
	free(m->t);
	m->t = NULL;
	m->cap = m->n = 0;
}
