/* pvd-run — one command per quarter: runs the pvd filters of a pipeline file. */
#include "buf.h"
#include "cli.h"
#include "confpath.h"
#include "diag.h"
#include "output.h"
#include "pipeline.h"
#include "runner.h"
#include "runplan.h"
#include "xmem.h"
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"Usage: pvd-run [OPTION]... PIPELINE.yaml\n"
	"Run one quarter's pipeline: for each source, pvd-ingest | pvd-clean | pvd-join |\n"
	"pvd-aggregate --partial; then pvd-aggregate --merge of all the sources; then\n"
	"pvd-render once per format.  Everything is written into a new directory beside\n"
	"the output directory, which replaces it only when every stage succeeded and the\n"
	"counts reconcile: a failed run leaves the previous output as it was.\n"
	"\n"
	"  -n, --dry-run      print the equivalent shell commands, run nothing\n"
	"  -o, --output DIR   write there instead of the pipeline's output directory\n"
	"      --config DIR   the config directory (profiles, references, datasets,\n"
	"                     catalogue, dashboard) instead of the pipeline's own\n"
	"  -j, --jobs N       sources processed at the same time (default: the number of cores)\n"
	"  -k, --keep-going   after a stage fails, finish the other sources (the run still fails)\n"
	"      --pipes        one process per stage, joined by pipes, as the --dry-run\n"
	"                     script does (default: each source's stages in one process)\n"
	"      --progress     show progress on stderr even when it is not a terminal\n"
	"      --no-progress  no progress, even on a terminal\n"
	"  -v, --verbose      show the stages' stderr even when they succeed\n"
	"      --keep-work    keep the work directory (stage reports, states, stderr)\n"
	"      --print-deps   print the files the run reads, one per line, run nothing\n"
	"      --check        check the pipeline file, run nothing\n"
	"  -q, --quiet        no progress and no summary line\n"
	"  -h, --help         show this help and exit\n"
	"  -V, --version      show the version and exit\n"
	"\n"
	"Config directory: --config DIR or $PVD_CONFIG, else the pipeline's config:,\n"
	"else the config/ of the project holding the pipeline (beside it or one level\n"
	"up), else the installed one; never the current directory's.\n"
	"The filters are looked for beside pvd-run first, then on PATH.  Outputs:\n"
	"indicators.ndjson, indicators.FORMAT, provenance.json, run-report.json,\n"
	"run-report.txt, rejects/STAGE-SOURCE.ndjson.  NO_COLOR turns colour off.\n"
	"Exit status: 0 ok, 64 usage, 78 bad pipeline file (every error is shown);\n"
	"65 a source lost every record at a stage, or more than its fail_rejected;\n"
	"when a stage fails, its own status; 70 a stage killed by a signal, counts that\n"
	"do not reconcile or a program missing; 73 cannot create the output; 74 I/O error.\n";

/* pvd-run's own directory, from /proc/self/exe: the filters installed or
 * built with it are found there before anything on PATH. */
static char *self_dir(void)
{
	char buf[4096];
	ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	char *slash = strrchr(buf, '/');
	if (!slash)
		return NULL;
	*slash = '\0';
	return xstrdup(slash == buf ? "/" : buf);
}

static int print_text(const char *s, size_t n)
{
	struct pvd_out out;
	struct pvd_err e = { 0 };
	pvd_out_open(&out, "-", &e);
	pvd_out_add(&out, s, n);
	if (pvd_out_commit(&out, &e)) {
		pvd_err_print(&e);
		return e.status;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { O_PROGRESS = 256, O_NO_PROGRESS, O_KEEP_WORK, O_PRINT_DEPS, O_CHECK, O_CONFIG, O_PIPES };
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "output", required_argument, NULL, 'o' },
		{ "config", required_argument, NULL, O_CONFIG },
		{ "jobs", required_argument, NULL, 'j' },
		{ "keep-going", no_argument, NULL, 'k' },
		{ "progress", no_argument, NULL, O_PROGRESS },
		{ "no-progress", no_argument, NULL, O_NO_PROGRESS },
		{ "verbose", no_argument, NULL, 'v' },
		{ "keep-work", no_argument, NULL, O_KEEP_WORK },
		{ "pipes", no_argument, NULL, O_PIPES },
		{ "print-deps", no_argument, NULL, O_PRINT_DEPS },
		{ "check", no_argument, NULL, O_CHECK },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	int dry = 0, deps = 0, check = 0, quiet = 0, progress = -1, c;
	const char *output = NULL;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	struct pvd_run_opts o = { .jobs = ncpu > 0 ? (unsigned)ncpu : 1, .version = PVD_VERSION, .msg = stderr };
	const char *pipes = getenv("PVD_RUN_PIPES");
	o.pipes = pipes && *pipes;
	pvd_cli_init(argc, argv);
	while ((c = getopt_long(argc, argv, "nj:kvqhVo:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n': dry = 1; break;
		case 'o': output = optarg; break;
		case O_CONFIG: pvd_config_set(optarg); break;
		case 'j':
			o.jobs = (unsigned)pvd_cli_ulong("--jobs", optarg);
			if (o.jobs == 0 || o.jobs > 1024)
				pvd_cli_usage_error("--jobs: expected 1 to 1024, got '%s'", optarg);
			break;
		case 'k': o.keep_going = 1; break;
		case O_PROGRESS: progress = 1; break;
		case O_NO_PROGRESS: progress = 0; break;
		case 'v': o.verbose = 1; break;
		case O_KEEP_WORK: o.keep_work = 1; break;
		case O_PIPES: o.pipes = 1; break;
		case O_PRINT_DEPS: deps = 1; break;
		case O_CHECK: check = 1; break;
		case 'q': quiet = 1; break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}
	if (optind + 1 != argc)
		pvd_cli_usage_error(optind == argc ? "a pipeline file is needed (pipelines/2021-Q4.yaml)"
						   : "one pipeline file at a time");
	if (dry + deps + check > 1)
		pvd_cli_usage_error("--dry-run, --print-deps and --check go alone");

	struct pvd_err e = { 0 };
	struct pvd_pipeline p;
	struct pvd_err *all = NULL;
	size_t nall = 0;
	if (pvd_pipeline_load_all(&p, argv[optind], deps ? PVD_PL_LENIENT : 0, &e, &all, &nall)) {
		/* every error of the file, not only the first */
		for (size_t i = 0; i < nall; i++)
			pvd_err_print(&all[i]);
		free(all);
		return e.status;
	}
	free(all);
	if (output && pvd_pipeline_set_output(&p, output, &e)) {
		pvd_err_print(&e);
		pvd_pipeline_free(&p);
		return e.status;
	}
	/* the filters find what the pipeline found, wherever they are run from */
	if (setenv("PVD_CONFIG", p.config, 1) != 0) {
		pvd_err_print(&(struct pvd_err){ .status = PVD_EX_SOFTWARE, .msg = "setenv: out of memory" });
		pvd_pipeline_free(&p);
		return PVD_EX_SOFTWARE;
	}
	int rc = 0;
	if (check) {
		/* nothing more: the pipeline loaded */
	} else if (deps) {
		size_t n;
		char **d = pvd_pipeline_deps(&p, &n);
		struct pvd_buf b = { 0 };
		for (size_t i = 0; i < n; i++) {
			pvd_buf_printf(&b, "%s\n", d[i]);
			free(d[i]);
		}
		free(d);
		rc = print_text(pvd_buf_str(&b), b.len);
		pvd_buf_free(&b);
	} else if (dry) {
		struct pvd_plan plan;
		struct pvd_buf b = { 0 };
		pvd_plan_build(&plan, &p, PVD_PLAN_SCRIPT);
		pvd_plan_script(&plan, &b);
		rc = print_text(b.p, b.len);
		pvd_buf_free(&b);
		pvd_plan_free(&plan);
	} else {
		int tty = isatty(2);
		const char *nc = getenv("NO_COLOR");
		o.progress = quiet || progress == 0 ? 0 : tty ? 2 : progress == 1 ? 1 : 0;
		o.color = tty && o.progress && !(nc && *nc);
		char *dir = self_dir();
		o.self_dir = dir;
		struct pvd_run_result res;
		rc = pvd_run(&p, &o, &res, &e);
		for (size_t i = 0; !quiet && !rc && i < res.nwarnings; i++)
			pvd_warn("warning: %s", res.warnings[i]);
		if (res.work)
			pvd_warn("work directory kept: %s", res.work);
		if (res.signal) {
			/* die of the same signal, as a shell expects of an interrupted command */
			int sig = res.signal;
			pvd_run_result_free(&res);
			pvd_pipeline_free(&p);
			free(dir);
			signal(sig, SIG_DFL);
			raise(sig);
			return rc;
		}
		if (rc && !res.reported)
			pvd_err_print(&e);
		else if (!rc && !quiet)
			fprintf(stderr, "%s: %s: %zu source%s, %llu rows read, %llu rejected, %zu warning%s: wrote %s\n",
				pvd_progname, p.period, p.nsources, p.nsources > 1 ? "s" : "", res.rows, res.rejected,
				res.nwarnings, res.nwarnings == 1 ? "" : "s", p.output);
		pvd_run_result_free(&res);
		free(dir);
	}
	pvd_pipeline_free(&p);
	return rc;
}
