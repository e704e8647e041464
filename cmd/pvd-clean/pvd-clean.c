/* pvd-clean — normalise each record to the schema of its dataset (the
 * engine is lib/clean.c). */
#include "clean.h"
#include "cli.h"
#include "progress.h"
#include "diag.h"
#include "output.h"
#include "reject.h"
#include "sink.h"
#include "stats.h"
#include "stream.h"
#include <getopt.h>
#include <stdio.h>

static const char usage[] =
	"Usage: pvd-clean [OPTION]... [FILE]...\n"
	"Normalise each NDJSON record to the schema of its dataset: codes, amounts,\n"
	"dates, booleans, codes lists and text in canonical form; reject the records\n"
	"that cannot be, with the reason.  With no FILE, or when FILE is -, read\n"
	"standard input.\n"
	"\n"
	"  -p, --profile NAME|FILE  source profile for records without _source: its\n"
	"                           clean: options, and its dataset: for records\n"
	"                           without _dataset (config/sources/NAME.yaml)\n"
	"  -d, --dataset NAME|FILE  dataset of records without _dataset\n"
	"                           (config/datasets/NAME.yaml)\n"
	"  -r, --rejects FILE       write rejected records there as NDJSON\n"
	"      --report FILE        write the counts (per input, reason, dataset) as JSON\n"
	"      --strict             stop at the first reject, exit 65\n"
	"  -q, --quiet              only errors on stderr: no line per rejected record,\n"
	"                           no summary\n"
	"      --max-messages N     at most N lines on stderr per reject reason, then one\n"
	"                           line counting the rest (default 20, 0: no limit)\n"
	"      --max-rejected N|P%  exit 65 (outputs written) when more than N records,\n"
	"                           or P% of those read, are rejected, or none emitted\n"
	PVD_HELP_PROGRESS
	"  -h, --help               show this help and exit\n"
	"  -V, --version            show the version and exit\n"
	"\n"
	"A record with several bad fields is rejected once, naming the first bad field\n"
	"in schema order; the message lists the others.  Summary on stderr:\n"
	"  read N records: emitted M, rejected K\n"
	"Exit status: 0 ok, 64 usage, 65 a reject under --strict, 66 cannot open input,\n"
	"73 cannot create output, 74 I/O error, 78 bad schema or profile.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "dataset", required_argument, NULL, 'd' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "report", required_argument, NULL, 'R' },
		{ "strict", no_argument, NULL, 'S' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, PVD_OPT_PROGRESS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	struct pvd_clean_opts o = { 0 };
	const char *rejects = NULL, *report = NULL;
	int quiet = 0, ch;
	pvd_cli_init(argc, argv);
	while ((ch = pvd_cli_getopt(argc, argv, "p:d:r:qhV", longopts)) != -1) {
		switch (ch) {
		case 'p': o.profile = optarg; break;
		case 'd': o.dataset = optarg; break;
		case 'r': rejects = optarg; break;
		case 'R': report = optarg; break;
		case 'S': o.strict = 1; break;
		case 'q': quiet = 1; pvd_progress_quiet(); break;
		case PVD_OPT_PROGRESS: pvd_progress_force(); break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}

	struct pvd_err e = { 0 };
	struct pvd_out out;
	struct pvd_rejects rj;
	struct pvd_stats st;
	struct pvd_ndjson_sink nd;
	struct pvd_clean *c;
	int rc;
	if ((rc = pvd_out_open(&out, "-", &e))) {
		pvd_err_print(&e);
		return rc;
	}
	if ((rc = pvd_rejects_open(&rj, "clean", rejects, quiet, &e))) {
		pvd_err_print(&e);
		pvd_out_commit(&out, &e);
		return rc;
	}
	pvd_stats_init(&st, "records");
	pvd_ndjson_sink_init(&nd, &out);
	if ((rc = pvd_clean_new(&c, &o, &nd.base, &rj, &st, &e))) {
		pvd_err_print(&e);
		pvd_rejects_abort(&rj);
		pvd_out_commit(&out, &e);
		pvd_stats_free(&st);
		return rc;
	}
	rc = pvd_stream_ndjson(argv + optind, argc - optind, pvd_clean_sink(c), &rj, &st, &e);
	if (rc == 0)
		rc = pvd_sink_end(pvd_clean_sink(c), &e);
	/* --strict: an invalid JSON line is a reject too. */
	if (rc == 0 && o.strict && rj.n)
		rc = pvd_err_set(&e, PVD_EX_DATA, NULL, 0, 0, "stopped: a record was rejected (--strict)");
	if (rc && !(rc == PVD_EX_DATA && o.strict)) {
		/* A failed run: no rejects file, stdout flushed as far as it went. */
		pvd_err_print(&e);
		pvd_rejects_abort(&rj);
		pvd_out_commit(&out, &e);
	} else {
		/* Done, or stopped by --strict: the counts of what was read still
		 * reconcile, and the outputs are finished. */
		struct pvd_err e2 = { 0 };
		int rc2;
		if (rc)
			pvd_err_print(&e);
		st.extra = pvd_clean_report(c);
		if ((rc2 = pvd_stats_finish(&st, NULL, quiet, &e2)) ||
		    (report && (rc2 = pvd_stats_report(&st, &rj, "clean", report, &e2))) ||
		    (rc2 = pvd_rejects_close(&rj, &e2)) || (rc2 = pvd_out_commit(&out, &e2))) {
			/* what was not finished is dropped */
			pvd_err_print(&e2);
			pvd_rejects_abort(&rj);
			pvd_out_abort(&out);
			rc = rc2;
		}
	}
	pvd_clean_free(c);
	rc = pvd_cli_finish(rc, &st);
	pvd_stats_free(&st);
	return rc;
}
