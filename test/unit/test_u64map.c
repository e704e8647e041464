/* u64map: every key inserted is found again with its first value, through
 * many growths, for keys of one word (the commune index's) and of two (a
 * 128-bit hash), for keys that share their low bits, and after a reserve;
 * a key never inserted is not found.  The oracle is a plain array searched
 * linearly. */
#include "check.h"
#include "u64map.h"
#include <stdint.h>
#include <stdlib.h>

#define N 20000

static uint64_t rng = 0x2545f4914f6cdd1dULL;
static uint64_t next(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct kv {
	uint64_t k0, k1, val;
};

/* Inserts each key with its value, twice (the second time must find the
 * first and keep its value), then finds every key again.  Returns the number of errors. */
static int run(struct pvd_u64map *m, const struct kv *keys, size_t n, const char *what)
{
	int bad = 0, added;
	for (size_t i = 0; i < n; i++) {
		pvd_u64map_put(m, keys[i].k0, keys[i].k1, keys[i].val, &added);
		bad += !added;
		const struct pvd_u64map_entry *x = pvd_u64map_put(m, keys[i].k0, keys[i].k1, 999999, &added);
		bad += added || x->val != keys[i].val;
	}
	CHECK_INT(m->n, n, "%s: %zu keys stored", what, n);
	CHECK(m->cap >= 2 * m->n && (m->cap & (m->cap - 1)) == 0, "%s: a power of two, at most half full", what);
	for (size_t i = 0; i < n; i++) {
		const struct pvd_u64map_entry *x = pvd_u64map_get(m, keys[i].k0, keys[i].k1);
		bad += !x || x->val != keys[i].val;
	}
	return bad;
}

static int in(const struct kv *keys, size_t n, uint64_t k0, uint64_t k1)
{
	for (size_t i = 0; i < n; i++)
		if (keys[i].k0 == k0 && keys[i].k1 == k1)
			return 1;
	return 0;
}

int main(void)
{
	static struct kv keys[N];
	struct pvd_u64map m = { 0 };

	CHECK(pvd_u64map_get(&m, 1, 0) == NULL, "an empty map finds nothing");

	/* One word (SIREN + 1, a packed département code): k1 = 0. */
	for (size_t i = 0; i < N; i++)
		keys[i] = (struct kv){ 200000000 + i * 7 + 1, 0, i };
	CHECK_INT(run(&m, keys, N, "one-word keys"), 0, "one-word keys: all found, first value kept");
	CHECK(pvd_u64map_get(&m, 5, 0) == NULL && pvd_u64map_get(&m, keys[0].k0, 1) == NULL,
	      "one-word keys: absent keys not found");
	pvd_u64map_free(&m);
	CHECK(m.t == NULL && m.n == 0 && m.cap == 0, "free leaves an empty map");

	/* Two words (a 128-bit hash), random, and keys sharing their low 16 bits. */
	for (size_t i = 0; i < N; i++)
		keys[i] = (struct kv){ next(), i % 3 ? next() : 0, i };
	for (size_t i = 0; i < N / 4; i++)
		keys[i].k0 = (keys[i].k0 & ~0xffffULL) | 0x1234;
	CHECK_INT(run(&m, keys, N, "two-word keys"), 0, "two-word keys: all found, first value kept");
	size_t missing = 0, probes = 0;
	for (size_t i = 0; i < 2000; i++) {
		uint64_t a = next(), b = next();
		if (in(keys, N, a, b))
			continue;
		probes++;
		missing += pvd_u64map_get(&m, a, b) == NULL;
	}
	CHECK(probes > 0 && missing == probes, "two-word keys: %zu random absent keys not found", probes);
	pvd_u64map_free(&m);

	/* Reserved first: no growth up to the reserve. */
	pvd_u64map_reserve(&m, 3000);
	size_t cap = m.cap;
	CHECK(cap >= 6000, "reserve 3000: room for 3000 at half full (%zu)", cap);
	for (size_t i = 0; i < 3000; i++)
		keys[i] = (struct kv){ i + 1, 0, i * 2 };
	CHECK_INT(run(&m, keys, 3000, "reserved"), 0, "reserved: all found");
	CHECK_INT(m.cap, cap, "reserved: no growth");
	pvd_u64map_reserve(&m, 100000);
	CHECK_INT(m.cap, cap, "reserve on a table that has one does nothing");
	pvd_u64map_free(&m);
	return check_done();
}
