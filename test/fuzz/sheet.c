/* sheet — the spreadsheet reader (sheet + xlsx, ods, xls, zipsafe) on any bytes.
 *
 * Input: the file itself (the corpus is fixtures/sheets/, hostile ones too).
 * Two paths, as pvd-ingest and pvd-sheets take them:
 *   - pvd_ingest_file on the bytes as a file: the workbook is known by its
 *     signature, its first visible sheet read; the counts must reconcile
 *     (read = emitted + rejected + skipped);
 *   - the workbook API on every sheet: pvd_book_count, then begin/next to
 *     the end; row numbers must grow, and the last row holding something
 *     must be the row pvd_book_count gave.
 * OLE2 (.xls) inputs included: libfreexl runs in a child process (xls.c),
 * after pvd's checks of the container; a child that dies is a reject. */
#include "fuzz.h"
#include "ingestrun.h"
#include "ingest.h"
#include "sheet.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	return 0;
}

static void sheets(const char *path)
{
	struct pvd_book_opts bo = { .field_cap = 64 };
	struct pvd_book *b;
	struct pvd_err e = { 0 };
	if (pvd_book_open_path(&b, path, &bo, &e))
		return;
	size_t n = pvd_book_nsheets(b);
	for (size_t i = 0; i < n; i++) {
		long rows;
		if (pvd_book_count(b, i, &rows, &e) || pvd_book_begin(b, i, &e))
			continue;
		struct pvd_csv_row r;
		long prev = 0, last = 0;
		int rc;
		while ((rc = pvd_book_next(b, &r, &e)) == 1) {
			if (r.line <= prev) {
				fprintf(stderr, "fuzz sheet: sheet %zu: row %ld after row %ld\n", i, r.line, prev);
				abort();
			}
			prev = r.line;
			if (r.type != PVD_CSV_BLANK)
				last = r.line;
		}
		if (rc == 0 && last != rows) {
			fprintf(stderr, "fuzz sheet: sheet %zu: last row %ld, counted %ld\n", i, last, rows);
			abort();
		}
	}
	pvd_book_close(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setenv("PVD_CONFIG", PVD_FUZZ_ROOT "/config", 0);
	const char *path = fuzz_file("book", data, size);
	struct pvd_ingest_opts o = { 0 };
	struct pvd_sink sink = { .put = put };
	fuzz_ingest("sheet", path, &o, &sink);
	sheets(path);
	return 0;
}
