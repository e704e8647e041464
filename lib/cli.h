/* cli — what every program does the same way on its command line.
 * See the README, "Conventions", for the user-facing side. */
#ifndef PVD_CLI_H
#define PVD_CLI_H

/* getopt value of --progress (progress.h), shared by the filters. */
#define PVD_OPT_PROGRESS 0x150
#define PVD_HELP_PROGRESS \
	"      --progress           a live line on stderr (bytes, records, rejects, rate,\n" \
	"                           ETA) even when stderr is not a terminal; shown by\n" \
	"                           default on a terminal for a regular file input\n"

/* Sets the program name for diagnostics and restores SIGPIPE's default, so
 * that `pvd-x | head` ends quietly. */
void pvd_cli_init(int argc, char **argv);
/* "pvd-clean (pvd) 0.1.0" on stdout. */
_Noreturn void pvd_cli_version(void);
/* Prints "prog: msg" and "Try 'prog --help'." on stderr, exits 64. */
_Noreturn void pvd_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Parses a whole non-negative decimal number; exits 64 naming the option on junk. */
unsigned long pvd_cli_ulong(const char *opt, const char *s);
/* Prints help (a string) to stdout and exits 0, checking that stdout was written. */
_Noreturn void pvd_cli_help(const char *text);
#endif
