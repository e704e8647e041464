/* SHA-256 per FIPS 180-4, sections 4.1.2 (functions), 4.2.2 (constants),
 * 5.1.1 (padding), 5.3.3 (initial value) and 6.2.2 (computation). */
#include "sha256.h"
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
#include <cpuid.h>
#include <immintrin.h>
#define PVD_SHA_X86 1
#endif

/* 4.2.2: the first 32 bits of the fractional parts of the cube roots of the
 * first 64 primes, i.e. floor(cbrt(p) * 2^32) mod 2^32, computed with exact
 * integer roots; a wrong one would break every test vector. */
static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

/* 5.3.3: the first 32 bits of the fractional parts of the square roots of
 * the first 8 primes. */
static const uint32_t H0[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

static inline uint32_t rotr(uint32_t x, unsigned n) { return (x >> n) | (x << (32 - n)); }
static inline uint32_t ch(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (~x & z); }
static inline uint32_t maj(uint32_t x, uint32_t y, uint32_t z) { return (x & y) ^ (x & z) ^ (y & z); }
static inline uint32_t bsig0(uint32_t x) { return rotr(x, 2) ^ rotr(x, 13) ^ rotr(x, 22); }
static inline uint32_t bsig1(uint32_t x) { return rotr(x, 6) ^ rotr(x, 11) ^ rotr(x, 25); }
static inline uint32_t ssig0(uint32_t x) { return rotr(x, 7) ^ rotr(x, 18) ^ (x >> 3); }
static inline uint32_t ssig1(uint32_t x) { return rotr(x, 17) ^ rotr(x, 19) ^ (x >> 10); }

/* 6.2.2: one 512-bit block.  Words are big-endian (3.1). */
static void block(uint32_t h[8], const unsigned char *m)
{
	uint32_t w[64];
	for (int t = 0; t < 16; t++)
		w[t] = (uint32_t)m[4 * t] << 24 | (uint32_t)m[4 * t + 1] << 16 |
		       (uint32_t)m[4 * t + 2] << 8 | (uint32_t)m[4 * t + 3];
	for (int t = 16; t < 64; t++)
		w[t] = ssig1(w[t - 2]) + w[t - 7] + ssig0(w[t - 15]) + w[t - 16];
	uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7];
	for (int t = 0; t < 64; t++) {
		uint32_t t1 = hh + bsig1(e) + ch(e, f, g) + K[t] + w[t];
		uint32_t t2 = bsig0(a) + maj(a, b, c);
		hh = g;
		g = f;
		f = e;
		e = d + t1;
		d = c;
		c = b;
		b = a;
		a = t1 + t2;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
	h[5] += f;
	h[6] += g;
	h[7] += hh;
}

#ifdef PVD_SHA_X86
/* The same computation with the x86 SHA extensions (one instruction does two
 * rounds, two more the message schedule of 6.2.2 step 1): a run's input files
 * are digested in a few instructions per byte instead of about 70.  The state
 * goes in as ABEF / CDGH, the order the instructions work in. */
__attribute__((target("sha,sse4.1,ssse3")))
static void blocks_shani(uint32_t h[8], const unsigned char *m, size_t nblocks)
{
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[0]), 0xB1); /* CDAB */
	__m128i s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&h[4]), 0x1B); /* EFGH */
	__m128i s0 = _mm_alignr_epi8(t, s1, 8);     /* ABEF */
	s1 = _mm_blend_epi16(s1, t, 0xF0);          /* CDGH */
	for (; nblocks; nblocks--, m += 64) {
		__m128i abef = s0, cdgh = s1, w[4];
		for (int g = 0; g < 16; g++) {
			/* w[g % 4]: the words 4g .. 4g+3 of the schedule */
			if (g < 4)
				w[g] = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(m + 16 * g)), bswap);
			else
				w[g % 4] = _mm_sha256msg2_epu32(
					_mm_add_epi32(_mm_sha256msg1_epu32(w[g % 4], w[(g + 1) % 4]),
						      _mm_alignr_epi8(w[(g + 3) % 4], w[(g + 2) % 4], 4)),
					w[(g + 3) % 4]);
			__m128i k = _mm_add_epi32(w[g % 4], _mm_loadu_si128((const __m128i *)&K[4 * g]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, k);
			s0 = _mm_sha256rnds2_epu32(s0, s1, _mm_shuffle_epi32(k, 0x0E));
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}
	t = _mm_shuffle_epi32(s0, 0x1B);            /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);           /* DCHG */
	s0 = _mm_blend_epi16(t, s1, 0xF0);          /* DCBA */
	s1 = _mm_alignr_epi8(s1, t, 8);             /* HGFE */
	_mm_storeu_si128((__m128i *)&h[0], s0);
	_mm_storeu_si128((__m128i *)&h[4], s1);
}

/* CPUID leaf 7 EBX bit 29: SHA; leaf 1 ECX bits 9 and 19: SSSE3, SSE4.1. */
static int have_shani(void)
{
	static int known = -1;
	if (known < 0) {
		unsigned a, b, c, d;
		known = __get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 9)) && (c & (1u << 19)) &&
			__get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & (1u << 29));
	}
	return known;
}
#endif

static int portable_only;

int pvd_sha256_portable(int on)
{
	portable_only = on;
#ifdef PVD_SHA_X86
	return have_shani();
#else
	return 0;
#endif
}

static void blocks(uint32_t h[8], const unsigned char *m, size_t nblocks)
{
#ifdef PVD_SHA_X86
	if (!portable_only && have_shani()) {
		blocks_shani(h, m, nblocks);
		return;
	}
#endif
	for (; nblocks; nblocks--, m += 64)
		block(h, m);
}

void pvd_sha256_init(struct pvd_sha256 *c)
{
	memcpy(c->h, H0, sizeof H0);
	c->bytes = 0;
	c->nblk = 0;
}

void pvd_sha256_update(struct pvd_sha256 *c, const void *p, size_t n)
{
	const unsigned char *s = p;
	c->bytes += n;
	if (c->nblk) {
		size_t k = 64 - c->nblk < n ? 64 - c->nblk : n;
		memcpy(c->blk + c->nblk, s, k);
		c->nblk += k;
		s += k;
		n -= k;
		if (c->nblk < 64)
			return;
		blocks(c->h, c->blk, 1);
		c->nblk = 0;
	}
	blocks(c->h, s, n / 64);
	s += n / 64 * 64;
	n %= 64;
	memcpy(c->blk, s, n);
	c->nblk = n;
}

void pvd_sha256_final(struct pvd_sha256 *c, unsigned char digest[32])
{
	/* 5.1.1: a 1 bit, zeros up to 448 mod 512 bits, the length in bits on 64 bits. */
	uint64_t bits = c->bytes * 8;
	c->blk[c->nblk++] = 0x80;
	if (c->nblk > 56) {
		memset(c->blk + c->nblk, 0, 64 - c->nblk);
		blocks(c->h, c->blk, 1);
		c->nblk = 0;
	}
	memset(c->blk + c->nblk, 0, 56 - c->nblk);
	for (int i = 0; i < 8; i++)
		c->blk[56 + i] = (unsigned char)(bits >> (56 - 8 * i));
	blocks(c->h, c->blk, 1);
	for (int i = 0; i < 8; i++) {
		digest[4 * i] = (unsigned char)(c->h[i] >> 24);
		digest[4 * i + 1] = (unsigned char)(c->h[i] >> 16);
		digest[4 * i + 2] = (unsigned char)(c->h[i] >> 8);
		digest[4 * i + 3] = (unsigned char)c->h[i];
	}
	c->nblk = 0;
}

void pvd_sha256_hex(const unsigned char digest[32], char hex[65])
{
	static const char xd[] = "0123456789abcdef";
	for (int i = 0; i < 32; i++) {
		hex[2 * i] = xd[digest[i] >> 4];
		hex[2 * i + 1] = xd[digest[i] & 15];
	}
	hex[64] = '\0';
}

void pvd_sha256_str(const void *p, size_t n, char hex[65])
{
	struct pvd_sha256 c;
	unsigned char d[32];
	pvd_sha256_init(&c);
	pvd_sha256_update(&c, p, n);
	pvd_sha256_final(&c, d);
	pvd_sha256_hex(d, hex);
}

int pvd_sha256_file(const char *path, char hex[65], unsigned long long *bytes, struct pvd_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pvd_err_set(e, PVD_EX_NOINPUT, path, 0, 0, "cannot open: %s", strerror(errno));
	struct pvd_sha256 c;
	unsigned char buf[1 << 16], d[32];
	pvd_sha256_init(&c);
	for (;;) {
		ssize_t n = read(fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int rc = pvd_err_set(e, PVD_EX_IO, path, 0, 0, "read error: %s", strerror(errno));
			close(fd);
			return rc;
		}
		if (n == 0)
			break;
		pvd_sha256_update(&c, buf, (size_t)n);
	}
	close(fd);
	pvd_sha256_final(&c, d);
	pvd_sha256_hex(d, hex);
	if (bytes)
		*bytes = c.bytes;
	return 0;
}
