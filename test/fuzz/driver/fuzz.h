/* fuzz.h — what every harness in test/fuzz/ shares.
 *
 * A harness is one file test/fuzz/NAME.c defining LLVMFuzzerTestOneInput().
 * It is linked twice:
 *   - with clang's libFuzzer (make fuzz: build-fuzz/fuzz/NAME), to search;
 *   - with driver/replay.c (any compiler: build/fuzz-replay/NAME), a main() that
 *     feeds it files, so that make test and make asan-test replay every
 *     input kept under test/fuzz/regress/NAME/ without libFuzzer.
 * A harness returns 0 and frees everything it allocated; it calls abort()
 * when a property it checks (a round trip) does not hold.
 * Adding one: drop NAME.c here (the Makefile finds it), give it seeds in
 * test/fuzz/corpus and, if useful, a dictionary in test/fuzz/run.  The slot
 * kept for the spreadsheet reader is sheet.c, seeded from fixtures/sheets/. */
#ifndef PVD_FUZZ_H
#define PVD_FUZZ_H
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The path of a private temporary file holding data (size bytes), for the
 * loaders that only take a path.  The file is named name (e.g. "x.yaml") in
 * a directory made once per process and removed at exit; it is rewritten on
 * each call.  Aborts if the file cannot be written. */
const char *fuzz_file(const char *name, const void *data, size_t size);

/* The root of the source tree (config/ lives there), fixed at build time. */
#ifndef PVD_FUZZ_ROOT
#define PVD_FUZZ_ROOT "."
#endif

/* Takes the first byte of *data (0 when there is none): the harnesses choose
 * their options from it, the rest is the input. */
static inline unsigned fuzz_byte(const uint8_t **data, size_t *size)
{
	if (*size == 0)
		return 0;
	unsigned b = **data;
	(*data)++;
	(*size)--;
	return b;
}
#endif
