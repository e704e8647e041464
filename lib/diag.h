/* diag — exit statuses, diagnostics and error values.
 *
 * ERRORS: lib/ never prints and never exits on bad input: it fills a struct
 * pvd_err (status, position, one-line message) and returns the status.  Only
 * cmd/ prints, with pvd_err_print(), and chooses to exit.
 *
 * WARNINGS (something odd, nothing stopped): lib/ collects them for the
 * caller to print.  The route for a new one is the warning log of
 * reftable.h, struct pvd_reflog (file, line, field, message; sorted), used by
 * the reference tables, the commune index and pvd-join.  Two older lists
 * carry plain strings the same way: the dashboard's (dashboard.h,
 * pvd_dash_warn, printed by pvd-render) and the run's (runner.h, from the
 * run report, printed by pvd-run).  The one route that prints as it goes is
 * pvd-ingest's (reject.c's pvd_rejects_warn), listed below.
 *
 * THE EXCEPTIONS — lib/ code that prints or exits, and why:
 *   diag.c     pvd_err_print, pvd_warn, pvd_warn_at, pvd_die: the printing
 *              itself, for cmd/ and the cases below.
 *   cli.c      the mains' --help, --version and usage errors (exit 0 / 64);
 *              a write error on standard output at exit (74).
 *   stats.c    pvd_stats_finish: each filter's summary line on stderr
 *              (unless -q), part of the filters' contract.
 *   progress.c the live progress line on stderr (progress.h): showing it
 *              is the module's whole job; cleared before any message.
 *   reject.c   each rejected record, one line on stderr (unless -q) as it is
 *              rejected, beside the --rejects file: the contract's "one line
 *              per problem"; and pvd_rejects_warn, pvd-ingest's warnings as
 *              they are met (a column without a name or with a repeated one,
 *              a TOTAL row not emitted), under the same --max-messages cap
 *              and ordered with the rejects on stderr.
 *   filter.c   the filters' lifecycle, moved out of the mains: a stage's
 *              error, and its load warnings (the join's pvd_reflog) unless -q.
 *   chain.c    the same for fused stages, each on the stderr its own
 *              process would have (pvd-run's fused mode).
 *   runner.c   progress and the stages' captured stderr, on the stream the
 *              caller gives (struct pvd_run_opts.msg); in a forked child
 *              before exec, a message on fd 2 and _exit (no caller to return
 *              to); a fused child's exit status.
 *   runplan.c  a placeholder of its own command templates with no value: a
 *              bug in the table, message and abort() (the tests run every
 *              template).
 *   render_json.c  nesting deeper than its writer's stack: abort(), a bug
 *              (the readers bound nesting first), never an overflow.
 *   xmem.c, strset.c   out of memory, a string set past 4 GiB: pvd_die(70).
 *   record.c   a record past 4 GiB, or a list of more than 65 535 items:
 *              pvd_die(65) (pvd_rec_set* have no error path; only hostile
 *              input gets there). */
#ifndef PVD_DIAG_H
#define PVD_DIAG_H
#include <stdarg.h>

/* Exit statuses, the <sysexits.h> values; documented once in the README. */
enum {
	PVD_EX_OK = 0,
	PVD_EX_USAGE = 64,     /* bad command line */
	PVD_EX_DATA = 65,      /* bad data that could not be rejected record by record */
	PVD_EX_NOINPUT = 66,   /* cannot open an input */
	PVD_EX_SOFTWARE = 70,  /* internal error (out of memory, a bug) */
	PVD_EX_CANTCREAT = 73, /* cannot create an output */
	PVD_EX_IO = 74,        /* read or write error, stdout included */
	PVD_EX_CONFIG = 78,    /* bad configuration (YAML profile, schema, indicators, pipeline) */
};

struct pvd_err {
	int status;       /* one of PVD_EX_*, 0 when no error */
	char file[512];   /* "" when the error has no file */
	long line, col;   /* 0 when unknown */
	char msg[1024];
};

/* The program name used as the prefix of every diagnostic ("pvd-clean"). */
extern const char *pvd_progname;
void pvd_set_progname(const char *argv0);

/* Fills *e (when e is not NULL) and returns status, so that a caller can write
 * `return pvd_err_set(e, PVD_EX_DATA, file, line, 0, "...")`. */
int pvd_err_set(struct pvd_err *e, int status, const char *file, long line, long col,
		const char *fmt, ...) __attribute__((format(printf, 6, 7)));
int pvd_err_vset(struct pvd_err *e, int status, const char *file, long line, long col,
		 const char *fmt, va_list ap);

/* "prog: file:line:col: msg" on stderr, one line; parts that are unknown are left out. */
void pvd_err_print(const struct pvd_err *e);

/* "prog: msg" / "prog: file:line: msg" on stderr. */
void pvd_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void pvd_warn_at(const char *file, long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
_Noreturn void pvd_die(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Name shown for an input path: "-" reads as "<stdin>". */
const char *pvd_display_name(const char *path);
#endif
