/* fpset: members found again with their value, a primary collision told
 * apart by the check hash, and the tables' bytes within the stated bound
 * (15 bytes per member once every shard is past its first table). */
#include "check.h"
#include "fpset.h"
#include "hash.h"

int main(void)
{
	struct pvd_fpset s = { 0 };
	const uint32_t n = 300000;
	int fresh = 1, again = 1, bound = 1, worst = 0;
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = i;
		fresh &= pvd_fpset_add(&s, pvd_mix64(i + 1), (uint32_t)i * 7u, &v) == 0;
		/* 256 shards of 64 slots at first: past 100 000 members all have grown */
		if (s.n >= 100000) {
			bound &= pvd_fpset_bytes(&s) <= s.n * 15;
			worst = (int)(pvd_fpset_bytes(&s) * 100 / s.n);
		}
	}
	CHECK(fresh && s.n == n, "%u distinct members added", n);
	CHECK(bound, "at most 15 bytes per member past the first tables (%d.%02d at the end)", worst / 100, worst % 100);
	CHECK(sizeof(struct pvd_fpset_entry) == 12, "a slot is 12 bytes");
	for (uint32_t i = 0; i < n; i++) {
		uint32_t v = UINT32_MAX;
		again &= pvd_fpset_add(&s, pvd_mix64(i + 1), (uint32_t)i * 7u, &v) == 1 && v == i;
	}
	CHECK(again && s.n == n, "each member found again, with its value");

	/* same primary fingerprint, another check hash: a distinct record */
	uint32_t v = 7;
	CHECK(pvd_fpset_add(&s, pvd_mix64(5), 12345u, &v) == 0 && s.n == n + 1, "a primary collision is a new member");
	v = 0;
	CHECK(pvd_fpset_add(&s, pvd_mix64(5), 12345u, &v) == 1 && v == 7, "... found again as itself");
	v = 0;
	CHECK(pvd_fpset_add(&s, pvd_mix64(5), 4 * 7u, &v) == 1 && v == 4, "... and the first one still as itself");
	/* fingerprint 0 (the empty mark) is stored as 1, still told apart by its check */
	v = 1;
	CHECK(pvd_fpset_add(&s, 0, 99u, &v) == 0, "fingerprint 0 stored");
	v = 0;
	CHECK(pvd_fpset_add(&s, 0, 99u, &v) == 1 && v == 1, "fingerprint 0 found");
	pvd_fpset_free(&s);
	return check_done();
}
