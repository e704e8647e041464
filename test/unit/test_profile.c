/* Source profiles: the one loader that pvd-ingest and pvd-clean share reads
 * the columns and the `clean:` block together, so a broken `clean:` block is
 * a config error (FILE:LINE:COL) for both filters, not only for pvd-clean.
 * The profiles are written into a scratch sources/ directory without a
 * datasets/ beside it: no schema to check them against. */
#include "check.h"
#include "amount.h"
#include "datefmt.h"
#include "profile.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/pvd-test-profile-XXXXXX";
static char path[sizeof dir + 32];

/* Loads text as a profile: "OK ..." with what was read, or "L:C: message". */
static const char *load(const char *text, char *buf, size_t n)
{
	FILE *f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f) != 0) {
		snprintf(buf, n, "cannot write %s", path);
		return buf;
	}
	struct pvd_profile p;
	struct pvd_err e = { 0 };
	if (pvd_profile_load(&p, path, &e)) {
		snprintf(buf, n, "%d %ld:%ld: %s", e.status, e.line, e.col, e.msg);
		return buf;
	}
	snprintf(buf, n, "OK %s %zu fields, dates %u, siret %d, decimal %d", p.dataset, p.nfields,
		 p.clean.date_flags, p.clean.siret, (int)p.clean.decimal);
	pvd_profile_free(&p);
	return buf;
}

int main(void)
{
	CHECK(mkdtemp(dir) != NULL, "scratch directory");
	snprintf(path, sizeof path, "%s/sources", dir);
	CHECK(mkdir(path, 0700) == 0, "scratch sources/");
	snprintf(path, sizeof path, "%s/sources/p.yaml", dir);

	char want[200], b[1400];
	snprintf(want, sizeof want, "OK dotations 1 fields, dates %u, siret 1, decimal %d", PVD_DATE_EXCEL,
		 (int)PVD_DEC_COMMA);
	CHECK_STR(load("dataset: dotations\nfields: {montant: [Montant]}\n"
		       "clean: {dates: excel, siret: yes, decimal: comma}\n", b, sizeof b),
		  want, "the clean: block is read with the columns");
	snprintf(want, sizeof want, "OK dotations 1 fields, dates %u, siret 0, decimal %d", PVD_DATE_IN_TEXT,
		 (int)PVD_DEC_POINT);
	CHECK_STR(load("dataset: dotations\nfields: {montant: [Montant]}\n"
		       "clean:\n  dates: in-text\n  siret: false\n  decimal: point\n", b, sizeof b),
		  want, "every value of the clean: block");
	snprintf(want, sizeof want, "OK dotations 1 fields, dates 0, siret 0, decimal %d", (int)PVD_DEC_AUTO);
	CHECK_STR(load("dataset: dotations\nfields: {montant: [Montant]}\n", b, sizeof b), want,
		  "without a clean: block: text dates, SIRENs, decimal mark guessed");

	static const struct { const char *yaml, *want; } bad[] = {
		{ "dataset: dotations\nfields:\n  montant: [Montant]\nclean:\n  dates: excel\n  decimals: comma\n",
		  "78 6:3: unknown key 'decimals'" },
		{ "dataset: dotations\nfields: {montant: [Montant]}\nclean: [excel]\n",
		  "78 3:8: clean: must be a mapping (dates:, siret:, decimal:)" },
		{ "dataset: dotations\nfields: {montant: [Montant]}\nclean: {dates: iso}\n",
		  "78 3:16: clean: dates is text, excel or in-text" },
		{ "dataset: dotations\nfields: {montant: [Montant]}\nclean: {siret: maybe}\n",
		  "78 3:16: clean: siret must be true or false" },
		{ "dataset: dotations\nfields: {montant: [Montant]}\nclean: {decimal: [comma]}\n",
		  "78 3:18: clean: decimal is auto, comma or point" },
		/* the columns are checked first: pvd-clean now refuses what pvd-ingest refuses */
		{ "dataset: dotations\nfields: {montant: Montant}\nclean: {dates: excel}\n",
		  "78 2:19: field 'montant': headers must be a list, e.g. [\"Montant\"]" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
		CHECK_STR(load(bad[i].yaml, b, sizeof b), bad[i].want, "bad profile %zu", i + 1);

	unlink(path);
	snprintf(path, sizeof path, "%s/sources", dir);
	rmdir(path);
	rmdir(dir);
	return check_done();
}
