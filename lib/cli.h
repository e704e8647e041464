/* cli — what every program does the same way on its command line.
 * See the README, "Conventions", for the user-facing side. */
#ifndef PVD_CLI_H
#define PVD_CLI_H
#include <getopt.h>
#include "stats.h"

/* getopt value of --progress (progress.h), shared by the filters. */
#define PVD_OPT_PROGRESS 0x150
#define PVD_HELP_PROGRESS \
	"      --progress           a live line on stderr (bytes, records, rejects, rate,\n" \
	"                           ETA) even when stderr is not a terminal; shown by\n" \
	"                           default on a terminal for a regular file input\n"

/* The end of every record filter's --help: the options pvd_cli_getopt
 * handles, --progress, --help and --version.  UNIT: what is counted. */
#define PVD_HELP_FILTER_TAIL(UNIT) \
	"      --max-messages N     at most N lines on stderr per reject reason, then one\n" \
	"                           line counting the rest (default 20, 0: no limit)\n" \
	"      --max-rejected N|P%  exit 65 (outputs written) when more than N " UNIT ",\n" \
	"                           or P% of those read, are rejected, or none emitted\n" \
	PVD_HELP_PROGRESS \
	"  -h, --help               show this help and exit\n" \
	"  -V, --version            show the version and exit\n"
/* The last long options of every record filter's table, its end included. */
#define PVD_LONGOPTS_FILTER_TAIL \
	{ "help", no_argument, NULL, 'h' }, \
	{ "version", no_argument, NULL, 'V' }, \
	{ 0 }

/* Sets the program name for diagnostics and restores SIGPIPE's default, so
 * that `pvd-x | head` ends quietly. */
void pvd_cli_init(int argc, char **argv);
/* "pvd-clean (pvd) 0.1.0" on stdout. */
_Noreturn void pvd_cli_version(void);
/* Prints "prog: msg" and "Try 'prog --help'." on stderr, exits 64. */
_Noreturn void pvd_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses a whole non-negative decimal number; exits 64 naming the option on junk. */
unsigned long pvd_cli_ulong(const char *opt, const char *s);
/* getopt_long() with the options every filter shares, handled here:
 *   --max-messages N      at most N lines on stderr per reject reason, then
 *                         one line counting the rest (default 20, 0 = all)
 *   --max-rejected N|P%   the guard: exit 65 (after writing the rejects and
 *                         the report) when more than N records, or more than
 *                         P% of those read, were rejected, or when records
 *                         were read and none emitted (default: off)
 * and the check that no output replaces an input: when the options are
 * over, the FILE operands and the files given to input options (--profile,
 * --dataset, --indicators, --previous, --provenance, --config, --ref) are
 * noted (pvd_out_protect), and the --rejects, --report and --output files
 * are checked against them: exit 64 when one is an input, or when two of
 * them are one file.  --lineage is an input (pvd-render, pvd-explain)
 * unless the program declares it one of its outputs. */
int pvd_cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts);
/* Declares that option name (without "--") names an output file of this
 * program (pvd-aggregate: "lineage"); before the first pvd_cli_getopt. */
void pvd_cli_output_option(const char *name);
/* The last step of a filter's main: rc when it is not 0; else the guard's
 * verdict on the counts (prints the reason and returns 65), else 0. */
int pvd_cli_finish(int rc, const struct pvd_stats *st);
/* Prints help (a string) to stdout and exits 0, checking that stdout was written. */
_Noreturn void pvd_cli_help(const char *text);
#endif
