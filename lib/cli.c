#include "cli.h"
#include "diag.h"
#include "output.h"
#include "reject.h"
#include "xmem.h"
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

/* ---- options shared by every filter ---- */

enum { OPT_MAX_MESSAGES = 0x7f00, OPT_MAX_REJECTED };

/* The guard (--max-rejected): off, a count, or a share in millionths. */
static struct {
	int on, share;
	unsigned long long n;
	const char *text; /* as given */
} guard;

static void parse_max_rejected(const char *s)
{
	size_t n = strlen(s);
	if (n && s[n - 1] == '%') {
		/* P% with up to 4 decimals, kept in millionths: no floating point. */
		unsigned long long ip = 0, frac = 0;
		size_t i = 0, nd = 0;
		for (; i < n - 1 && s[i] >= '0' && s[i] <= '9' && ip < 1000; i++)
			ip = ip * 10 + (unsigned)(s[i] - '0');
		if (i < n - 1 && s[i] == '.')
			for (i++; i < n - 1 && s[i] >= '0' && s[i] <= '9' && nd < 4; i++, nd++)
				frac = frac * 10 + (unsigned)(s[i] - '0');
		for (; nd < 4; nd++)
			frac *= 10;
		if (i != n - 1 || !(s[0] >= '0' && s[0] <= '9') || ip > 100 || (ip == 100 && frac))
			pvd_cli_usage_error("--max-rejected: '%s' is not a count or a percentage (N or P%%, 0 to 100)", s);
		guard.share = 1;
		guard.n = ip * 10000 + frac;
	} else {
		guard.share = 0;
		guard.n = pvd_cli_ulong("--max-rejected", s);
	}
	guard.on = 1;
	guard.text = s;
}

/* Which options name files: inputs to protect, outputs to check. */
static const char *const input_opts[] = { "profile", "dataset", "indicators", "previous",
					  "provenance", "config", "ref", "lineage", NULL };
static const char *const output_opts[] = { "rejects", "report", "output", NULL };

static int among(const char *name, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(name, *list) == 0)
			return 1;
	return 0;
}

/* A program's own output options (pvd_cli_output_option): checked as the
 * ones above, and not taken for inputs of the same name. */
static const char *own_outputs[4];

void pvd_cli_output_option(const char *name)
{
	for (size_t i = 0; i < sizeof own_outputs / sizeof *own_outputs; i++)
		if (!own_outputs[i] || !strcmp(own_outputs[i], name)) {
			own_outputs[i] = name;
			return;
		}
}

static int is_output(const char *name)
{
	for (size_t i = 0; i < sizeof own_outputs / sizeof *own_outputs && own_outputs[i]; i++)
		if (!strcmp(own_outputs[i], name))
			return 1;
	return among(name, output_opts);
}

static struct {
	const char *opt, *path;
} outputs[8];
static size_t noutputs;

/* Same name, or same existing file; "-" and devices are written in place. */
static int same_file(const char *a, const char *b)
{
	struct stat x, y;
	if (!strcmp(a, "-") || !strcmp(b, "-") || !strncmp(a, "/dev/", 5) || !strncmp(b, "/dev/", 5))
		return 0;
	if (strcmp(a, b) == 0)
		return 1;
	return stat(a, &x) == 0 && stat(b, &y) == 0 && S_ISREG(x.st_mode) && x.st_dev == y.st_dev &&
	       x.st_ino == y.st_ino;
}

int pvd_cli_getopt(int argc, char **argv, const char *shortopts, const struct option *longopts)
{
	static struct option *all;
	static const struct option *mine;
	static const struct option common[] = {
		{ "max-messages", required_argument, NULL, OPT_MAX_MESSAGES },
		{ "max-rejected", required_argument, NULL, OPT_MAX_REJECTED },
	};
	size_t n = 0;
	while (longopts[n].name)
		n++;
	if (mine != longopts) {
		free(all);
		all = xcalloc(n + 3, sizeof *all);
		memcpy(all, longopts, n * sizeof *all);
		memcpy(all + n, common, sizeof common);
		mine = longopts;
	}
	for (;;) {
		int li = -1;
		int c = getopt_long(argc, argv, shortopts, all, &li);
		if (c == OPT_MAX_MESSAGES) {
			pvd_reject_max_messages = pvd_cli_ulong("--max-messages", optarg);
			continue;
		}
		if (c == OPT_MAX_REJECTED) {
			parse_max_rejected(optarg);
			continue;
		}
		if (c == -1) {
			/* The operands, or standard input when there are none. */
			if (optind >= argc)
				pvd_out_protect("-");
			for (int i = optind; i < argc; i++)
				pvd_out_protect(argv[i]);
			for (size_t i = 0; i < noutputs; i++) {
				struct pvd_err e = { 0 };
				if (pvd_out_check(outputs[i].path, &e))
					pvd_cli_usage_error("--%s %s: %s", outputs[i].opt, outputs[i].path, e.msg);
				/* two outputs in one file: the last renamed would win */
				for (size_t j = 0; j < i; j++)
					if (same_file(outputs[i].path, outputs[j].path))
						pvd_cli_usage_error("--%s %s: is also the --%s file", outputs[i].opt,
								    outputs[i].path, outputs[j].opt);
			}
			return -1;
		}
		/* The option's long name, whichever form was used. */
		const char *name = NULL;
		if (li >= 0 && li < (int)n)
			name = longopts[li].name;
		for (size_t i = 0; !name && c != '?' && c != ':' && i < n; i++)
			if (!longopts[i].flag && longopts[i].val == c)
				name = longopts[i].name;
		if (name && optarg && !is_output(name) && among(name, input_opts)) {
			/* --ref pvd=FILE names its file after the '='. */
			const char *eq = strcmp(name, "ref") == 0 ? strchr(optarg, '=') : NULL;
			pvd_out_protect(eq ? eq + 1 : optarg);
		} else if (name && optarg && is_output(name) &&
			   noutputs < sizeof outputs / sizeof *outputs) {
			outputs[noutputs].opt = name;
			outputs[noutputs++].path = optarg;
		}
		return c;
	}
}

int pvd_cli_finish(int rc, const struct pvd_stats *st)
{
	if (rc || !guard.on)
		return rc;
	struct pvd_err e = { 0 };
	if (st->in > 0 && st->out == 0)
		pvd_err_set(&e, PVD_EX_DATA, NULL, 0, 0,
			    "read %llu %s and emitted none (--max-rejected): is this the right input, profile or dataset?",
			    st->in, st->unit);
	else if (guard.share ? (unsigned __int128)st->rejected * 1000000 > (unsigned __int128)guard.n * st->in
			     : st->rejected > guard.n)
		pvd_err_set(&e, PVD_EX_DATA, NULL, 0, 0,
			    "%llu of %llu %s rejected (%llu.%llu%%), more than --max-rejected %s allows",
			    st->rejected, st->in, st->unit, st->rejected * 1000 / (st->in ? st->in : 1) / 10,
			    st->rejected * 1000 / (st->in ? st->in : 1) % 10, guard.text);
	else
		return 0;
	pvd_err_print(&e);
	return PVD_EX_DATA;
}
