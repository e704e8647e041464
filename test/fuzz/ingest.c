/* ingest — the raw export reader (csvread + ingest) on any bytes.
 *
 * Input: two option bytes, then the file.
 *   byte 0: bits 0-1 encoding (auto, utf-8, windows-1252, auto)
 *           bits 2-4 delimiter (sniff , ; tab | sniff sniff sniff)
 *           bits 5-6 profile (none, others: keep, others: drop, none)
 *           bit 7    a small field cap (byte 1 sets it) instead of 1 MiB
 *   byte 1: bits 0-2 skip (-1 = detect, 0..6); with bit 7 of byte 0, the
 *           cap is 8 + 4 * byte 1 bytes
 * Every record is written as NDJSON (the writer sees what ingest makes) and
 * the counts must reconcile: read = emitted + rejected + skipped. */
#include "fuzz.h"
#include "ingestrun.h"
#include "buf.h"
#include "ingest.h"
#include "ndjson.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char profile_yaml[] =
	"dataset: dotations\n"
	"fields:\n"
	"  beneficiaire_insee: [a, Code INSEE]\n"
	"  montant: {headers: [m, Montant], optional: true}\n"
	"  beneficiaire_siren: {headers: [c], optional: true, when: {k: [s, siren]}}\n"
	"  beneficiaire_nom: {headers: [n], optional: true}\n"
	"fixed: {dotation: detr}\n"
	"ignore: [x]\n"
	"others: %s\n";

static struct pvd_profile prof[2];
static int have_prof[2];

struct buf_sink {
	struct pvd_sink base;
	struct pvd_buf out;
};

static int put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	struct buf_sink *s = (struct buf_sink *)self;
	s->out.len = 0;
	pvd_ndjson_write(&s->out, r);
	return 0;
}

static void init(void)
{
	static int done;
	if (done)
		return;
	done = 1;
	setenv("PVD_CONFIG", PVD_FUZZ_ROOT "/config", 0);
	for (int i = 0; i < 2; i++) {
		char text[sizeof profile_yaml + 8];
		int n = snprintf(text, sizeof text, profile_yaml, i ? "drop" : "keep");
		struct pvd_err e = { 0 };
		have_prof[i] = pvd_profile_load(&prof[i], fuzz_file("fuzz.yaml", text, (size_t)n), &e) == 0;
		if (!have_prof[i])
			fprintf(stderr, "fuzz ingest: the harness's profile does not load (%s): fuzzing without it\n", e.msg);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	init();
	unsigned b0 = fuzz_byte(&data, &size), b1 = fuzz_byte(&data, &size);
	static const char delims[8] = { 0, ',', ';', '\t', '|', 0, 0, 0 };
	struct pvd_ingest_opts o = {
		.encoding = (int)(b0 & 3) % 3,
		.delimiter = delims[(b0 >> 2) & 7],
		.skip = (long)(b1 & 7) - 1,
		.field_cap = (b0 & 0x80) ? 8 + 4 * (size_t)b1 : 0,
	};
	unsigned p = (b0 >> 5) & 3;
	if ((p == 1 || p == 2) && have_prof[p - 1])
		o.profile = &prof[p - 1];
	const char *path = fuzz_file("export.csv", data, size);

	struct buf_sink sink = { .base = { .put = put } };
	fuzz_ingest("ingest", path, &o, &sink.base);
	pvd_buf_free(&sink.out);
	return 0;
}
