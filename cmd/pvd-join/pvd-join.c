/* pvd-join — attach each record to its commune and to the PVD list of the
 * period (the engine is lib/join.c). */
#include "chain.h"
#include "cli.h"
#include "progress.h"
#include "diag.h"
#include <getopt.h>
#include <stdio.h>

static const char usage[] =
	"Usage: pvd-join --ref pvd=NAME|FILE [OPTION]... [FILE]...\n"
	"Attach each NDJSON record to its commune (or EPCI) in the official commune\n"
	"table, and to the PVD list in force: adds commune_*, collectivite, pvd,\n"
	"id_pvd, pvd_communes, match (and remapped_from).  With no FILE, or when FILE\n"
	"is -, read standard input.\n"
	"\n"
	"      --ref pvd=NAME|FILE  the PVD list in force (required): config/ref/NAME.csv\n"
	"                           (pvd-2021-01, pvd-cog2023) or any CSV with a commune\n"
	"                           code column; a bare --ref NAME|FILE means pvd=\n"
	"      --ref communes=NAME|DIR  the commune tables: config/ref/NAME/ or DIR\n"
	"                           (default cog-2026)\n"
	"  -m, --mode MODE          inner (default): emit records that found a commune\n"
	"                           or EPCI, reject the others; left: emit every record,\n"
	"                           unmatched ones with match null; anti: emit only the\n"
	"                           records outside the programme (pvd false, matched or\n"
	"                           not), skip those in it\n"
	"  -r, --rejects FILE       write rejected records there as NDJSON\n"
	"      --report FILE        write the counts and what was loaded as JSON\n"
	"  -q, --quiet              no line on stderr per rejected record or per\n"
	"                           reference-table warning, no summary\n"
	PVD_HELP_FILTER_TAIL("records")
	"\n"
	"Located by, in order: insee or beneficiaire_insee (old codes of merged\n"
	"communes mapped, match \"old-code\"); with no code, beneficiaire_siren or\n"
	"epci_siren of an EPCI (match \"epci\": pvd_communes lists its PVD communes,\n"
	"the record is not duplicated); then nom, beneficiaire_nom or commune in\n"
	"dep or beneficiaire_dep (match \"name\").  Summary on stderr:\n"
	"  read N records: emitted M, rejected K[, skipped S in the programme]\n"
	"Exit status: 0 ok, 64 usage, 66 cannot open input, 73 cannot create output,\n"
	"74 I/O error, 78 bad or missing reference table.\n";

int main(int argc, char **argv)
{
	enum { OPT_REF = 256, OPT_REPORT };
	static const struct option longopts[] = {
		{ "ref", required_argument, NULL, OPT_REF },
		{ "mode", required_argument, NULL, 'm' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, PVD_OPT_PROGRESS },
		PVD_LONGOPTS_FILTER_TAIL,
	};
	struct pvd_join_stage s = { .mode = PVD_JOIN_INNER };
	struct pvd_err e = { 0 };
	int mode, c;
	pvd_cli_init(argc, argv);
	while ((c = pvd_cli_getopt(argc, argv, "m:r:qhV", longopts)) != -1) {
		switch (c) {
		case OPT_REF:
			if (pvd_join_refs_add(&s.refs, optarg, &e))
				pvd_cli_usage_error("%s", e.msg);
			break;
		case 'm':
			if ((mode = pvd_join_mode_parse(optarg)) < 0)
				pvd_cli_usage_error("--mode: '%s' is not one of inner, left, anti", optarg);
			s.mode = (enum pvd_join_mode)mode;
			break;
		case 'r': s.base.rejects = optarg; break;
		case OPT_REPORT: s.base.report = optarg; break;
		case 'q': s.base.quiet = 1; pvd_progress_quiet(); break;
		case PVD_OPT_PROGRESS: pvd_progress_force(); break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}
	if (!s.refs.pvd)
		pvd_cli_usage_error("no PVD list: name the list in force with --ref pvd=NAME|FILE (e.g. pvd-2021-01)");

	pvd_join_stage_init(&s);
	return pvd_filter_run(&s.base, "-", argv + optind, argc - optind);
}
