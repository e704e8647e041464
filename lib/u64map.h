/* u64map — an open-addressing hash table from a non-zero key of two 64-bit
 * words to a 64-bit value: the integer-keyed indexes (the commune index's
 * SIRENs and département codes, a key and 0; pvd-clean's duplicate set,
 * bounded to 16 bytes a member, is fpset.h).  Linear probing over a
 * power-of-two table kept at most half full; no deletion.  The key (0, 0) marks an empty slot and may
 * not be stored.  An entry pointer is valid until the next insertion. */
#ifndef PVD_U64MAP_H
#define PVD_U64MAP_H
#include <stddef.h>
#include <stdint.h>

struct pvd_u64map_entry {
	uint64_t k0, k1;
	uint64_t val;
};

struct pvd_u64map {
	struct pvd_u64map_entry *t;
	size_t cap, n;          /* cap: 0 or a power of two */
};

/* Sizes an empty table for n keys (saves the rehashes of growing); does
 * nothing to a table that has one. */
void pvd_u64map_reserve(struct pvd_u64map *m, size_t n);
/* The entry of key (k0, k1), or NULL. */
struct pvd_u64map_entry *pvd_u64map_get(const struct pvd_u64map *m, uint64_t k0, uint64_t k1);
/* The entry of key (k0, k1): the one there (*added = 0), or a new one with
 * val (*added = 1). */
struct pvd_u64map_entry *pvd_u64map_put(struct pvd_u64map *m, uint64_t k0, uint64_t k1, uint64_t val,
					int *added);
void pvd_u64map_free(struct pvd_u64map *m);
#endif
