/* ingest — a raw export (CSV) becomes records.
 *
 * For each input: csvread gives rows; the header row is found (after title
 * rows, detected or skipped by count); each data row becomes a record of
 * strings named by the header cells, or, with a source profile, by the
 * canonical fields the profile maps the headers onto.  TOTAL and sous-total
 * rows are recognised, not emitted, and reported with their values; blank
 * rows are skipped; ragged rows, undecodable bytes, stray quotes and
 * oversized fields are rejected.  A spreadsheet (.xlsx, .ods, .xls, known
 * by its signature) is read the same way, one sheet's rows in place of the
 * lines (sheet.h), its records carrying _sheet.  Every row read is counted once:
 *   read = emitted + rejected + skipped (header, title, total, blank). */
#ifndef PVD_INGEST_H
#define PVD_INGEST_H
#include "encoding.h"
#include "profile.h"
#include "reject.h"
#include "sink.h"
#include "stats.h"

struct pvd_ingest_opts {
	const struct pvd_profile *profile;  /* NULL: fields named by the header */
	int encoding;                       /* enum pvd_enc; AUTO: profile's, else detect */
	char delimiter;                     /* 0: profile's, else sniff */
	long skip;                          /* rows above the header; -1: profile's, else detect */
	size_t field_cap;                   /* 0: 1 MiB */
	const char *sheet;                  /* spreadsheets: name or position; NULL: profile's, else first visible */
};

/* Skip counters by kind, for the summary line. */
struct pvd_ingest_counts {
	unsigned long long header, title, total, blank;
};

/* Reads one input (path, "-" for stdin) into sink.  Rejects go to rj, counts
 * to st (one entry per input) and kinds of skipped rows to cnt; what was
 * found (encoding, delimiter, header line, totals) is appended to the
 * report's "files" list in st->extra.  Returns 0, or a fatal status:
 * PVD_EX_NOINPUT, PVD_EX_IO, PVD_EX_DATA (no header, a required column
 * missing), or the sink's. */
int pvd_ingest_file(const char *path, const struct pvd_ingest_opts *o, struct pvd_sink *sink,
		    struct pvd_rejects *rj, struct pvd_stats *st, struct pvd_ingest_counts *cnt,
		    struct pvd_err *e);
#endif
