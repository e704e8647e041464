/* replay.c — runs a harness on files, without libFuzzer.
 *
 * Usage: NAME FILE...   Each file is read whole and given to the harness once;
 * the exit status is 0 when every call returned (a crash, a sanitizer report
 * or a failed round trip ends the process with another status).  test/run-tests
 * calls it once per file kept under test/fuzz/regress/NAME/ and seeds/NAME/. */
#include "fuzz.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s FILE...\n", argv[0]);
		return 64;
	}
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			fprintf(stderr, "%s: %s: %s\n", argv[0], argv[i], strerror(errno));
			return 66;
		}
		size_t cap = 4096, n = 0;
		unsigned char *buf = malloc(cap);
		size_t r;
		while (buf && (r = fread(buf + n, 1, cap - n, f)) > 0) {
			n += r;
			if (n == cap)
				buf = realloc(buf, cap *= 2);
		}
		if (!buf || ferror(f)) {
			fprintf(stderr, "%s: %s: cannot read\n", argv[0], argv[i]);
			return 74;
		}
		fclose(f);
		/* An exact-size copy, so that ASan sees a read past the input. */
		unsigned char *in = malloc(n ? n : 1);
		memcpy(in, buf, n);
		free(buf);
		LLVMFuzzerTestOneInput(in, n);
		free(in);
	}
	return 0;
}
