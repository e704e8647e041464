#include "fpset.h"
#include "xmem.h"
#include <stdlib.h>

#define MIN_CAP 1024

/* The home slot: the fingerprint scaled onto [0, cap) (any cap, no mask). */
static size_t home(uint64_t fp, size_t cap)
{
	return (size_t)(((unsigned __int128)fp * cap) >> 64);
}

static void place(struct pvd_fpset_entry *t, size_t cap, const struct pvd_fpset_entry *x)
{
	size_t j = home(x->fp, cap);
	while (t[j].fp)
		j = j + 1 == cap ? 0 : j + 1;
	t[j] = *x;
}

static void grow(struct pvd_fpset *s)
{
	size_t cap = s->cap ? s->cap + s->cap / 4 : MIN_CAP;
	struct pvd_fpset_entry *t = xcalloc(cap, sizeof *t);
	for (size_t i = 0; i < s->cap; i++)
		if (s->t[i].fp)
			place(t, cap, &s->t[i]);
	free(s->t);
	s->t = t;
	s->cap = cap;
}

int pvd_fpset_add(struct pvd_fpset *s, uint64_t fp, uint32_t check, uint32_t *val)
{
	if (!fp)
		fp = 1;   /* 0 marks an empty slot */
	if ((s->n + 1) * 5 > s->cap * 4)
		grow(s);
	size_t j = home(fp, s->cap);
	for (;; j = j + 1 == s->cap ? 0 : j + 1) {
		struct pvd_fpset_entry *x = &s->t[j];
		if (!x->fp)
			break;
		/* a primary collision with another check goes on probing: a distinct member */
		if (x->fp == fp && x->check == check) {
			*val = x->val;
			return 1;
		}
	}
	s->t[j] = (struct pvd_fpset_entry){ fp, check, *val };
	s->n++;
	return 0;
}

size_t pvd_fpset_bytes(const struct pvd_fpset *s) { return s->cap * sizeof *s->t; }

void pvd_fpset_free(struct pvd_fpset *s)
{
	free(s->t);
	s->t = NULL;
	s->cap = s->n = 0;
}
