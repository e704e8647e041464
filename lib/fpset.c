#include "fpset.h"
#include "xmem.h"
#include <stdlib.h>

#define MIN_CAP 64

/* The home slot: the key scaled onto [0, cap) (any cap, no mask). */
static size_t home(uint64_t key, size_t cap)
{
	return (size_t)(((unsigned __int128)key * cap) >> 64);
}

static void place(struct pvd_fpset_entry *t, size_t cap, const struct pvd_fpset_entry *x)
{
	size_t j = home(x->key, cap);
	while (t[j].key)
		j = j + 1 == cap ? 0 : j + 1;
	t[j] = *x;
}

/* To 80 % full: 5/4 slots of 12 bytes per member, 15 bytes. */
static void grow(struct pvd_fpset_shard *h)
{
	size_t cap = h->n < MIN_CAP * 4 / 5 ? MIN_CAP : h->n * 5 / 4;
	struct pvd_fpset_entry *t = xcalloc(cap, sizeof *t);
	for (size_t i = 0; i < h->cap; i++)
		if (h->t[i].key)
			place(t, cap, &h->t[i]);
	free(h->t);
	h->t = t;
	h->cap = cap;
}

int pvd_fpset_add(struct pvd_fpset *s, uint64_t fp, uint32_t check, uint32_t *val)
{
	struct pvd_fpset_shard *h = &s->shard[fp >> 56];
	uint64_t key = fp << 8 | (check & 0xff);
	if (!key)
		key = 1;   /* 0 marks an empty slot */
	if ((h->n + 1) * 10 > h->cap * 9)
		grow(h);
	size_t j = home(key, h->cap);
	for (;; j = j + 1 == h->cap ? 0 : j + 1) {
		struct pvd_fpset_entry *x = &h->t[j];
		if (!x->key)
			break;
		if (x->key == key) {
			*val = x->val;
			return 1;
		}
	}
	h->t[j] = (struct pvd_fpset_entry){ key, *val };
	h->n++;
	s->n++;
	return 0;
}

size_t pvd_fpset_bytes(const struct pvd_fpset *s)
{
	size_t b = 0;
	for (int i = 0; i < PVD_FPSET_SHARDS; i++)
		b += s->shard[i].cap * sizeof(struct pvd_fpset_entry);
	return b;
}

void pvd_fpset_free(struct pvd_fpset *s)
{
	for (int i = 0; i < PVD_FPSET_SHARDS; i++)
		free(s->shard[i].t);
	*s = (struct pvd_fpset){ 0 };
}
