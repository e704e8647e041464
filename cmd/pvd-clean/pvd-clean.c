/* pvd-clean — normalise each record to the schema of its dataset (the
 * engine is lib/clean.c). */
#include "chain.h"
#include "cli.h"
#include "progress.h"
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
	PVD_HELP_FILTER_TAIL("records")
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
		PVD_LONGOPTS_FILTER_TAIL,
	};
	struct pvd_clean_stage s = { 0 };
	int ch;
	pvd_cli_init(argc, argv);
	while ((ch = pvd_cli_getopt(argc, argv, "p:d:r:qhV", longopts)) != -1) {
		switch (ch) {
		case 'p': s.o.profile = optarg; break;
		case 'd': s.o.dataset = optarg; break;
		case 'r': s.base.rejects = optarg; break;
		case 'R': s.base.report = optarg; break;
		case 'S': s.o.strict = 1; break;
		case 'q': s.base.quiet = 1; pvd_progress_quiet(); break;
		case PVD_OPT_PROGRESS: pvd_progress_force(); break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}

	pvd_clean_stage_init(&s);
	return pvd_filter_run(&s.base, "-", argv + optind, argc - optind);
}
