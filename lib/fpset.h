/* fpset — a set of record fingerprints in bounded memory: pvd-clean's
 * duplicate set.
 *
 * A member is 16 bytes: a 64-bit primary fingerprint (which places it in the
 * table), a 32-bit check hash independent of the slot, and a 32-bit value
 * (pvd-clean: the member's ordinal, which it maps back to file:line in a
 * table of its own).  Two records meet only when all 96 bits agree: a primary
 * collision between distinct records (about n²/2⁶⁵, 1 in 90 000 at 20M
 * records) is told apart by the check hash, and a false duplicate needs both
 * to collide, about n²/2⁹⁷: 2.5e-17 at 2M distinct records, 2.5e-15 at 20M,
 * 6e-12 at a billion.
 *
 * Linear probing over a table kept between 64 % and 80 % full (it grows by a
 * quarter, so the slot is found by multiply-shift, not by a power-of-two
 * mask): 20 to 25 bytes per distinct member, and while it grows the old and
 * the new table are both held for a moment (up to 45 bytes per member). */
#ifndef PVD_FPSET_H
#define PVD_FPSET_H
#include <stddef.h>
#include <stdint.h>

struct pvd_fpset_entry {
	uint64_t fp;          /* 0: an empty slot */
	uint32_t check, val;
};

struct pvd_fpset {
	struct pvd_fpset_entry *t;
	size_t cap, n;
};

/* Adds the member (fp, check) with *val and returns 0; or, when it is
 * there already, sets *val to its value and returns 1. */
int pvd_fpset_add(struct pvd_fpset *s, uint64_t fp, uint32_t check, uint32_t *val);
/* Bytes the table holds now. */
size_t pvd_fpset_bytes(const struct pvd_fpset *s);
void pvd_fpset_free(struct pvd_fpset *s);
#endif
