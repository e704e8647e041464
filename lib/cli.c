#include "cli.h"
#include "diag.h"
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

void pvd_cli_init(int argc, char **argv)
{
	pvd_set_progname(argc > 0 ? argv[0] : "pvd");
	signal(SIGPIPE, SIG_DFL);
}

static _Noreturn void close_stdout_exit(void)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0)
		pvd_die(PVD_EX_IO, "write error on standard output");
	exit(0);
}

void pvd_cli_version(void)
{
	printf("%s (pvd) %s\n", pvd_progname, PVD_VERSION);
	close_stdout_exit();
}

void pvd_cli_help(const char *text)
{
	fputs(text, stdout);
	close_stdout_exit();
}

void pvd_cli_usage_error(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s: ", pvd_progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s --help' for more information.\n", pvd_progname);
	exit(PVD_EX_USAGE);
}

unsigned long pvd_cli_ulong(const char *opt, const char *s)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 10);
	if (!*s || *end || errno || *s == '-')
		pvd_cli_usage_error("%s: not a whole number: '%s'", opt, s);
	return v;
}
