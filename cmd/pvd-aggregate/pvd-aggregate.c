/* pvd-aggregate — cleaned, joined records to one record per indicator. */
#include "aggregate.h"
#include "cli.h"
#include "progress.h"
#include "diag.h"
#include "indicator.h"
#include "lineage.h"
#include "output.h"
#include "period.h"
#include "reject.h"
#include "sink.h"
#include "stats.h"
#include "stream.h"
#include "xmem.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: pvd-aggregate --period P [OPTION]... [FILE]...\n"
	"Compute the indicator catalogue over cleaned and joined NDJSON records (several\n"
	"datasets in one stream): one NDJSON record per indicator, and per group of\n"
	"each breakdown, on stdout.  With no FILE, or when FILE is -, read standard input.\n"
	"\n"
	"  -p, --period P           2021-Q4 (a quarter), 2021-11 (a month), 2021-12-31 (a\n"
	"                           date) or 2021 (a year): values are stocks at its end\n"
	"  -i, --indicators FILE    the catalogue (default: indicators.yaml of the config\n"
	"                           directory: $PVD_CONFIG, ./config or the installed one)\n"
	"      --partial            write the aggregation state instead of values\n"
	"      --merge              read partial states (not records) and combine them;\n"
	"                           with --partial, write the combined state\n"
	"  -l, --lineage FILE       write there, for each value, the records it counts\n"
	"                           (file, line, contribution; NDJSON, see pvd-explain);\n"
	"                           with --merge, lineage files given among the states\n"
	"                           are merged into it\n"
	"  -r, --rejects FILE       write rejected records there as NDJSON\n"
	"      --report FILE        write the counts (and skipped datasets) as JSON\n"
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
	"Output fields: id, label, unit, description, period, value, num, den, breakdown, key,\n"
	"key_label, datasets, records, inputs.  Records of datasets no indicator reads\n"
	"are skipped; a record with a non-canonical amount or a malformed date is\n"
	"rejected.  Summary on stderr:\n"
	"  read N records: emitted U, rejected K, skipped S (no indicator); V values\n"
	"(emitted = records used).  Exit status: 0 ok, 64 usage, 65 bad data (a sum\n"
	"overflowing, a bad state to merge), 66 cannot open input, 73 cannot create\n"
	"output, 74 I/O error, 78 bad catalogue.\n";

int main(int argc, char **argv)
{
	enum { OPT_PARTIAL = 256, OPT_MERGE, OPT_REPORT };
	static const struct option longopts[] = {
		{ "period", required_argument, NULL, 'p' },
		{ "indicators", required_argument, NULL, 'i' },
		{ "partial", no_argument, NULL, OPT_PARTIAL },
		{ "merge", no_argument, NULL, OPT_MERGE },
		{ "rejects", required_argument, NULL, 'r' },
		{ "lineage", required_argument, NULL, 'l' },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, PVD_OPT_PROGRESS },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	const char *period = NULL, *rejects = NULL, *report = NULL, *lineage = NULL;
	char *catalog = NULL;
	int partial = 0, merge = 0, quiet = 0, c;
	pvd_cli_init(argc, argv);
	pvd_cli_output_option("lineage");
	while ((c = pvd_cli_getopt(argc, argv, "p:i:r:l:qhV", longopts)) != -1) {
		switch (c) {
		case 'p': period = optarg; break;
		case 'i': free(catalog); catalog = xstrdup(optarg); break;
		case OPT_PARTIAL: partial = 1; break;
		case OPT_MERGE: merge = 1; break;
		case 'r': rejects = optarg; break;
		case 'l': lineage = optarg; break;
		case OPT_REPORT: report = optarg; break;
		case 'q': quiet = 1; pvd_progress_quiet(); break;
		case PVD_OPT_PROGRESS: pvd_progress_force(); break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}
	struct pvd_period p;
	if (!period)
		pvd_cli_usage_error("--period is required (2021-Q4, 2021-11, 2021-12-31 or 2021)");
	if (pvd_period_parse(period, &p))
		pvd_cli_usage_error("--period: '%s' is not a period (2021-Q4, 2021-11, 2021-12-31 or 2021)", period);
	if (!catalog)
		catalog = pvd_catalog_default();
	struct pvd_err e = { 0 };
	struct pvd_catalog cat;
	char *sdir = pvd_catalog_schema_dir(catalog);
	int rc = pvd_catalog_load(&cat, catalog, &p, sdir, &e);
	free(sdir);
	if (rc) {
		pvd_err_print(&e);
		pvd_catalog_free(&cat);
		free(catalog);
		return rc;
	}
	struct pvd_out out;
	struct pvd_rejects rj;
	struct pvd_stats st;
	struct pvd_ndjson_sink sink;
	if ((rc = pvd_out_open(&out, "-", &e)) || (rc = pvd_rejects_open(&rj, "aggregate", rejects, quiet, &e))) {
		pvd_err_print(&e);
		pvd_catalog_free(&cat);
		free(catalog);
		return rc;
	}
	pvd_stats_init(&st, "records");
	pvd_ndjson_sink_init(&sink, &out);
	struct pvd_agg *agg = pvd_agg_new(&cat, partial, &sink.base, &rj, &st);
	char *const *files = argv + optind;
	int nfiles = argc - optind;
	struct pvd_lineage lin;
	int have_lin = 0;
	if (lineage) {
		/* Never write over an input. */
		if (pvd_lineage_is_input(lineage, files, nfiles))
			pvd_cli_usage_error("--lineage %s is one of the inputs", lineage);
		if ((rc = pvd_lineage_open(&lin, lineage, &cat, &e))) {
			pvd_err_print(&e);
			pvd_rejects_abort(&rj);
			pvd_out_abort(&out);
			pvd_agg_free(agg);
			pvd_stats_free(&st);
			pvd_catalog_free(&cat);
			free(catalog);
			return rc;
		}
		have_lin = 1;
		pvd_agg_set_lineage(agg, &lin);
	}
	if (merge)
		rc = pvd_agg_merge(agg, files, nfiles, &e);
	else
		rc = pvd_stream_ndjson(files, nfiles, pvd_agg_sink(agg), &rj, &st, &e);
	if (!rc)
		rc = pvd_sink_end(pvd_agg_sink(agg), &e);
	if (rc) {
		pvd_err_print(&e);
		pvd_rejects_abort(&rj);
		pvd_out_abort(&out);
		if (have_lin)
			pvd_lineage_abort(&lin);
	} else {
		struct pvd_agg_counts k;
		pvd_agg_counts(agg, &k);
		if (merge) {
			/* The counts of the records behind the merged states. */
			st.in = k.in;
			st.out = k.used;
			st.rejected = k.rejected;
			st.skipped = k.skipped;
		}
		char detail[200];
		if (merge)
			snprintf(detail, sizeof detail, "(no indicator); %llu state%s merged, %llu %s", k.states,
				 k.states == 1 ? "" : "s", k.values, partial ? "state records" : "values");
		else
			snprintf(detail, sizeof detail, "(no indicator); %llu %s", k.values,
				 partial ? "state records" : "values");
		st.extra = json_pack("{s:I, s:o}", partial ? "state_records" : "values", (json_int_t)k.values,
				     "skipped_datasets", pvd_agg_skipped_json(agg));
		if ((rc = pvd_stats_finish(&st, detail, quiet, &e)) ||
		    (report && (rc = pvd_stats_report(&st, &rj, "aggregate", report, &e))) ||
		    (rc = pvd_rejects_close(&rj, &e)) || (have_lin && (have_lin = 0, rc = pvd_lineage_commit(&lin, &e))) ||
		    (rc = pvd_out_commit(&out, &e))) {
			/* what was not finished is dropped */
			pvd_err_print(&e);
			pvd_rejects_abort(&rj);
			pvd_out_abort(&out);
			if (have_lin)
				pvd_lineage_abort(&lin);
		}
	}
	pvd_agg_free(agg);
	rc = pvd_cli_finish(rc, &st);
	pvd_stats_free(&st);
	pvd_catalog_free(&cat);
	free(catalog);
	return rc;
}
