/* fpset — a set of record fingerprints in bounded memory: pvd-clean's
 * duplicate set.
 *
 * A member is known by 72 bits: the 64-bit primary fingerprint (its top 8
 * bits choose one of 256 shards, the other 56 are stored) and 8 bits of a
 * check hash independent of it; beside them a 32-bit value (pvd-clean: the
 * member's ordinal, which it maps back to file:line in a table of its own).
 * A slot is 12 bytes.  A false duplicate needs all 72 bits to agree between
 * two distinct records: about n²/2⁷³, 4e-10 at 2M distinct records, 4e-8 at
 * 20M.
 *
 * Each shard is a linear-probing table kept between 80 % and 90 % full,
 * grown on its own (the slot is found by multiply-shift, so any size will
 * do): 13.3 to 15 bytes per distinct member once every shard is past its
 * first table, and a growth holds two copies of one shard only, 1/256 of the
 * set. */
#ifndef PVD_FPSET_H
#define PVD_FPSET_H
#include <stddef.h>
#include <stdint.h>

#define PVD_FPSET_SHARDS 256

struct pvd_fpset_entry {
	uint64_t key;         /* 56 bits of fingerprint, 8 of check; 0: an empty slot */
	uint32_t val;
} __attribute__((packed));

struct pvd_fpset_shard {
	struct pvd_fpset_entry *t;
	size_t cap, n;
};

struct pvd_fpset {
	struct pvd_fpset_shard shard[PVD_FPSET_SHARDS];
	size_t n;             /* members in all shards */
};

/* Adds the member (fp, check) with *val and returns 0; or, when it is
 * there already, sets *val to its value and returns 1. */
int pvd_fpset_add(struct pvd_fpset *s, uint64_t fp, uint32_t check, uint32_t *val);
/* Bytes the tables hold now. */
size_t pvd_fpset_bytes(const struct pvd_fpset *s);
void pvd_fpset_free(struct pvd_fpset *s);
#endif
