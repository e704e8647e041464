/* reject — the reject stream shared by every filter.
 *
 * A record that cannot be used is never dropped: it is rejected, with its
 * source file and physical line, a reason code from a short fixed vocabulary,
 * the field and value at fault when there is one, a one-line message and,
 * from pvd-ingest, the raw text of the row.  Each reject is
 *   - one line on stderr: "pvd-clean: detr.csv:42: montant: not an amount: \"12,3,4\""
 *     (unless quiet), and
 *   - one NDJSON object in the --rejects file, when one was named:
 *     {"stage","file","line","reason","field","value","message","raw","record"}
 * The file is written atomically when the filter finishes. */
#ifndef PVD_REJECT_H
#define PVD_REJECT_H
#include "diag.h"
#include "output.h"
#include "record.h"

/* Reason codes (Frictionless' names where one exists). */
#define PVD_R_ENCODING "encoding-error"
#define PVD_R_BLANK_HEADER "blank-header"
#define PVD_R_DUP_HEADER "duplicate-header"
#define PVD_R_EXTRA_CELL "extra-cell"
#define PVD_R_MISSING_CELL "missing-cell"
#define PVD_R_STRAY_QUOTE "stray-quote"
#define PVD_R_FIELD_TOO_LARGE "field-too-large"
#define PVD_R_INVALID_JSON "invalid-json"
#define PVD_R_DUP_KEY "duplicate-key"
#define PVD_R_TYPE "type-error"
#define PVD_R_CONSTRAINT "constraint-error"
#define PVD_R_REQUIRED "required-value"
#define PVD_R_UNKNOWN_VALUE "unknown-value"
#define PVD_R_AMBIGUOUS "ambiguous-code"
#define PVD_R_DUPLICATE "duplicate-row"
#define PVD_R_UNKNOWN_DATASET "unknown-dataset"
#define PVD_R_NO_MATCH "no-match"
#define PVD_R_AMBIGUOUS_MATCH "ambiguous-match"

struct pvd_reason_count {
	const char *reason;
	unsigned long long n;
};

struct pvd_rejects {
	const char *stage;        /* "ingest", "clean", ... */
	int quiet;                /* no line on stderr per reject */
	int have_file;
	int noted;                /* the count of unshown lines was printed */
	struct pvd_out out;
	unsigned long long n;     /* rejects so far */
	struct pvd_reason_count *by_reason;
	size_t nreasons, cap;
	struct pvd_reason_count *by_warning; /* warnings shown or not, by kind */
	size_t nwarnings, wcap;
	/* Where the record being handled was read (set by pvd_stream_ndjson):
	 * names a record that carries no _file/_line of its own. */
	const char *at_file;
	long at_line;
};

/* path may be NULL (stderr lines only).  Returns 0 or PVD_EX_CANTCREAT. */
int pvd_rejects_open(struct pvd_rejects *rj, const char *stage, const char *path, int quiet,
		     struct pvd_err *e);

/* Records one reject.  file/line: the row's provenance; field/value may be
 * NULL; raw: the row's text (ingest) or NULL; rec: the record as it stood, or
 * NULL.  reason must be a string with static storage (one of PVD_R_*). */
void pvd_reject(struct pvd_rejects *rj, const char *file, long line, const char *reason,
		const char *field, const char *value, const char *raw, const struct pvd_record *rec,
		const char *fmt, ...) __attribute__((format(printf, 9, 10)));

/* Rejects a record using its own provenance fields (_file, _line). */
#define pvd_reject_rec(rj, rec, reason, field, value, ...) \
	pvd_reject((rj), pvd_rec_file(rec), pvd_rec_line(rec), (reason), (field), (value), NULL, (rec), __VA_ARGS__)

/* At most this many stderr lines per reason (0: no limit); the rest are
 * counted in one line by pvd_rejects_note_unshown() (--max-messages). */
extern unsigned long pvd_reject_max_messages;
/* A warning (something odd, nothing rejected: a column renamed, a TOTAL row
 * not emitted) of a kind (PVD_R_DUP_HEADER, ...): "prog: file:line: msg" on
 * stderr under the same --max-messages cap per kind as the rejects, so that
 * a header of 200 000 repeated names is 20 lines, not 200 000.  The caller
 * decides whether quiet mutes it. */
void pvd_rejects_warn(struct pvd_rejects *rj, const char *file, long line, const char *kind,
		      const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* "pvd-join: … and 372 more no-match rejects (see --rejects)", once per
 * reason over the limit, and "… and 199 979 more duplicate-header warnings
 * (not shown)" per kind of warning; called before the summary line, and by
 * close/abort when it was not. */
void pvd_rejects_note_unshown(struct pvd_rejects *rj);
/* The stream last opened in this process (each filter has one), or NULL. */
struct pvd_rejects *pvd_rejects_current(void);

/* Finishes the reject file (atomic rename).  Returns 0 or PVD_EX_IO. */
int pvd_rejects_close(struct pvd_rejects *rj, struct pvd_err *e);
/* Drops the reject file (the run failed). */
void pvd_rejects_abort(struct pvd_rejects *rj);
#endif
