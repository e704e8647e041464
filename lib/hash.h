/* hash — the hash functions the in-memory indexes share (strset, u64map and
 * the commune index, pvd-clean's duplicate set): FNV-1a over bytes, and the
 * 64-bit finaliser of MurmurHash3 to spread integer keys and weak hashes over a
 * power-of-two table. */
#ifndef PVD_HASH_H
#define PVD_HASH_H
#include <stddef.h>
#include <stdint.h>

static inline uint64_t pvd_mix64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ULL;
	k ^= k >> 33;
	return k;
}

static inline uint64_t pvd_fnv1a64(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 1469598103934665603ULL;
	for (size_t i = 0; i < n; i++)
		h = (h ^ s[i]) * 1099511628211ULL;
	return h;
}
#endif
