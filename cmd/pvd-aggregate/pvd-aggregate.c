/* pvd-aggregate — cleaned, joined records to one record per indicator. */
#include "chain.h"
#include "cli.h"
#include "progress.h"
#include <getopt.h>
#include <stdio.h>

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
	PVD_HELP_FILTER_TAIL("records")
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
		PVD_LONGOPTS_FILTER_TAIL,
	};
	struct pvd_agg_stage s = { 0 };
	const char *period = NULL;
	int c;
	pvd_cli_init(argc, argv);
	pvd_cli_output_option("lineage");
	while ((c = pvd_cli_getopt(argc, argv, "p:i:r:l:qhV", longopts)) != -1) {
		switch (c) {
		case 'p': period = optarg; break;
		case 'i': s.catalog = optarg; break;
		case OPT_PARTIAL: s.partial = 1; break;
		case OPT_MERGE: s.merge = 1; break;
		case 'r': s.base.rejects = optarg; break;
		case 'l': s.lineage = optarg; break;
		case OPT_REPORT: s.base.report = optarg; break;
		case 'q': s.base.quiet = 1; pvd_progress_quiet(); break;
		case PVD_OPT_PROGRESS: pvd_progress_force(); break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}
	if (!period)
		pvd_cli_usage_error("--period is required (2021-Q4, 2021-11, 2021-12-31 or 2021)");
	if (pvd_period_parse(period, &s.period))
		pvd_cli_usage_error("--period: '%s' is not a period (2021-Q4, 2021-11, 2021-12-31 or 2021)", period);
	char *const *files = argv + optind;
	int nfiles = argc - optind;
	/* Never write over an input. */
	if (s.lineage && pvd_lineage_is_input(s.lineage, files, nfiles))
		pvd_cli_usage_error("--lineage %s is one of the inputs", s.lineage);
	pvd_agg_stage_init(&s);
	return pvd_filter_run(&s.base, "-", files, nfiles);
}
