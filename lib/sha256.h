/* sha256 — SHA-256 (FIPS 180-4), written from the standard, for the
 * provenance of a run: every input file is named with its digest, so that a
 * published figure can be traced to the exact bytes it came from.
 *
 * Streaming use: init, update as often as needed, final.  The context is the
 * caller's (no allocation). */
#ifndef PVD_SHA256_H
#define PVD_SHA256_H
#include "diag.h"
#include <stddef.h>
#include <stdint.h>

struct pvd_sha256 {
	uint32_t h[8];          /* hash value H(i) */
	uint64_t bytes;         /* message length so far */
	unsigned char blk[64];  /* partial block */
	size_t nblk;
};

void pvd_sha256_init(struct pvd_sha256 *c);
/* Tests: with on, the portable rounds even where the CPU has SHA extensions.
 * Returns 1 when this build and CPU use the extensions otherwise. */
int pvd_sha256_portable(int on);
void pvd_sha256_update(struct pvd_sha256 *c, const void *p, size_t n);
/* Pads, writes the 32-byte digest; the context must be re-initialised to be reused. */
void pvd_sha256_final(struct pvd_sha256 *c, unsigned char digest[32]);
/* Digest as 64 lower-case hex digits and a NUL. */
void pvd_sha256_hex(const unsigned char digest[32], char hex[65]);
/* One call: the hex digest of n bytes. */
void pvd_sha256_str(const void *p, size_t n, char hex[65]);
/* Digest of a whole file; *bytes (may be NULL) gets its size.  Returns 0,
 * PVD_EX_NOINPUT (cannot open) or PVD_EX_IO (read error), e filled. */
int pvd_sha256_file(const char *path, char hex[65], unsigned long long *bytes, struct pvd_err *e);
#endif
