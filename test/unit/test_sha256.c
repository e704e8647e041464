/* SHA-256: the FIPS 180-4 / NIST example vectors, lengths around the padding
 * boundaries (expected digests from coreutils sha256sum), and streaming in
 * pieces of every size giving the same digest as one call; with the CPU's
 * SHA extensions where it has them, and with the portable rounds. */
#include "check.h"
#include "sha256.h"
#include <stdlib.h>
#include <unistd.h>

static char *repeat(char c, size_t n)
{
	char *s = malloc(n + 1);
	memset(s, c, n);
	s[n] = '\0';
	return s;
}

static void vectors(const char *how)
{
	char hex[65];
	static const struct { const char *msg, *want; } v[] = {
		{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
		{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
		{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
		{ "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
		  "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	};
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		pvd_sha256_str(v[i].msg, strlen(v[i].msg), hex);
		CHECK_STR(hex, v[i].want, "%s: sha256 of %zu bytes \"%.10s...\"", how, strlen(v[i].msg), v[i].msg);
	}

	/* One million 'a' (FIPS 180-2 appendix B.3). */
	char *m = repeat('a', 1000000);
	pvd_sha256_str(m, 1000000, hex);
	CHECK_STR(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0", "%s: sha256 of 10^6 'a'", how);

	/* Padding boundaries: 55 bytes fit one block with the length, 56 need two. */
	static const struct { size_t n; const char *want; } b[] = {
		{ 55, "d5e285683cd4efc02d021a5c62014694958901005d6f71e89e0989fac77e4072" },
		{ 56, "04c26261370ee7541549d16dee320c723e3fd14671e66a099afe0a377c16888e" },
		{ 63, "75220b47218278e656f2013bb8f0c455a25eaf01e86c64924e9d48d89776d6f2" },
		{ 64, "7ce100971f64e7001e8fe5a51973ecdfe1ced42befe7ee8d5fd6219506b5393c" },
		{ 65, "9537c5fdf120482f7d58d25e9ed583f52c02b4e304ea814db1633ad565aed7e9" },
		{ 119, "000b48d4edf0fa7bee3c6236ecd2785baa5db4eeb8bb54341b029e0d9fa5fb0c" },
		{ 120, "13f05a0b594787f5ecd315edc96141bd3243203d1b7d4f0836f37308b276ba98" },
		{ 127, "70156a14adbabf98cff3a71c7084b417abf057a8efd27329ca36b7202c87d81f" },
		{ 128, "24da1b81d0b16df6428eee73c69fcb2a93c76bc6df706f0c6670fe6bfe800464" },
	};
	char *x = repeat('x', 128);
	for (size_t i = 0; i < sizeof b / sizeof *b; i++) {
		pvd_sha256_str(x, b[i].n, hex);
		CHECK_STR(hex, b[i].want, "%s: sha256 of %zu 'x'", how, b[i].n);
	}

	/* Streaming: the 10^6 'a' fed in pieces of 1..130 bytes. */
	int same = 1;
	for (size_t piece = 1; piece <= 130; piece++) {
		struct pvd_sha256 c;
		unsigned char d[32];
		pvd_sha256_init(&c);
		for (size_t off = 0; off < 1000000; off += piece)
			pvd_sha256_update(&c, m + off, 1000000 - off < piece ? 1000000 - off : piece);
		pvd_sha256_final(&c, d);
		pvd_sha256_hex(d, hex);
		if (strcmp(hex, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0") != 0) {
			same = 0;
			printf("# piece %zu: %s\n", piece, hex);
		}
	}
	CHECK(same, "%s: streaming in pieces of 1..130 bytes gives the one-call digest", how);
	free(m);
	free(x);
}

int main(void)
{
	char hex[65];
	vectors(pvd_sha256_portable(0) ? "SHA extensions" : "portable (no SHA extensions here)");
	pvd_sha256_portable(1);
	vectors("portable");
	pvd_sha256_portable(0);

	/* A file, and a file that is not there. */
	char path[4096];
	const char *tmp = getenv("TMPDIR");
	snprintf(path, sizeof path, "%s/pvd-sha256-XXXXXX", tmp && *tmp ? tmp : P_tmpdir);
	int fd = mkstemp(path);
	CHECK(fd >= 0 && write(fd, "abc", 3) == 3, "temporary file written");
	close(fd);
	unsigned long long bytes = 0;
	struct pvd_err e = { 0 };
	CHECK_INT(pvd_sha256_file(path, hex, &bytes, &e), 0, "sha256_file ok");
	CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", "sha256_file digest");
	CHECK_INT(bytes, 3, "sha256_file size");
	unlink(path);
	CHECK_INT(pvd_sha256_file(path, hex, NULL, &e), PVD_EX_NOINPUT, "missing file: cannot open");
	return check_done();
}
