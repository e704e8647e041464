/* pvd-ingest — raw CSV exports to the NDJSON record stream. */
#include "cli.h"
#include "progress.h"
#include "diag.h"
#include "encoding.h"
#include "ingest.h"
#include "output.h"
#include "profile.h"
#include "reject.h"
#include "sheet.h"
#include "sink.h"
#include "stats.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Usage: pvd-ingest [OPTION]... [FILE]...\n"
	"Turn raw exports (CSV, or spreadsheets: .xlsx, .ods, .xls) into NDJSON\n"
	"records, one per data row, on stdout.\n"
	"With no FILE, or when FILE is -, read standard input.\n"
	"\n"
	"  -p, --profile NAME|FILE  map the columns onto a canonical dataset with a source\n"
	"                           profile (config/sources/NAME.yaml)\n"
	"  -e, --encoding E         auto (default), utf-8, windows-1252, utf-16le, utf-16be\n"
	"  -d, --delimiter C        auto (default: sniffed among , ; tab |), ',', ';', tab, '|'\n"
	"  -s, --skip N             N rows above the header are titles (default: detected)\n"
	"      --max-field BYTES    reject rows with a field larger than this (default 1048576)\n"
	"      --sheet NAME|N       spreadsheets: read this sheet (default: the profile's\n"
	"                           sheet:, else the first visible sheet)\n"
	"      --list-sheets        list each spreadsheet's sheets (name, state, rows), tab-\n"
	"                           separated, and exit\n"
	"  -r, --rejects FILE       write rejected rows there as NDJSON\n"
	"      --report FILE        write the counts, detected format and TOTAL rows as JSON\n"
	"  -q, --quiet              only errors on stderr: no line per rejected row or\n"
	"                           TOTAL row, no summary\n"
	"      --max-messages N     at most N lines on stderr per reject reason, then one\n"
	"                           line counting the rest (default 20, 0: no limit)\n"
	"      --max-rejected N|P%  exit 65 (outputs written) when more than N rows,\n"
	"                           or P% of those read, are rejected, or none emitted\n"
	PVD_HELP_PROGRESS
	"  -h, --help               show this help and exit\n"
	"  -V, --version            show the version and exit\n"
	"\n"
	"Each record carries _file and _line (the physical line of the row, or the\n"
	"spreadsheet's row number, with _sheet); with a profile also _dataset and\n"
	"_source.  Summary on stderr:\n"
	"  read N rows: emitted M, rejected K, skipped T (header, title, total, blank)\n"
	"Exit status: 0 ok, 64 usage, 65 bad data (no header, a required column\n"
	"missing), 66 cannot open input, 73 cannot create output, 74 I/O error,\n"
	"78 bad profile.\n";

/* --list-sheets: "NAME<TAB>STATE<TAB>ROWS" per sheet (the file first, given several). */
static int list_sheets(char *const *files, int n, const struct pvd_ingest_opts *o)
{
	static char *const dash[] = { "-", NULL };
	struct pvd_book_opts bo = { .field_cap = o->field_cap };
	struct pvd_err e = { 0 };
	int rc = 0;
	if (n < 1)
		files = dash, n = 1;
	for (int i = 0; i < n && !rc; i++) {
		struct pvd_book *b;
		if ((rc = pvd_book_open_path(&b, files[i], &bo, &e)))
			break;
		for (size_t k = 0; !rc && k < pvd_book_nsheets(b); k++) {
			const struct pvd_sheet_info *si = pvd_book_sheet(b, k);
			long rows;
			if (!(rc = pvd_book_count(b, k, &rows, &e)))
				printf("%s%s%s\t%s\t%ld\n", n > 1 ? files[i] : "", n > 1 ? "\t" : "", si->name,
				       pvd_sheet_state_name(si->state), rows);
		}
		pvd_book_close(b);
	}
	if (!rc && (fflush(stdout) || ferror(stdout)))
		rc = pvd_err_set(&e, PVD_EX_IO, "<stdout>", 0, 0, "write error");
	if (rc)
		pvd_err_print(&e);
	return rc;
}

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "profile", required_argument, NULL, 'p' },
		{ "encoding", required_argument, NULL, 'e' },
		{ "delimiter", required_argument, NULL, 'd' },
		{ "skip", required_argument, NULL, 's' },
		{ "max-field", required_argument, NULL, 'M' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "report", required_argument, NULL, 'R' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, PVD_OPT_PROGRESS },
		{ "sheet", required_argument, NULL, 'S' },
		{ "list-sheets", no_argument, NULL, 'L' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	const char *profile = NULL, *rejects = NULL, *report = NULL;
	struct pvd_ingest_opts o = { .encoding = PVD_ENC_AUTO, .skip = -1 };
	int quiet = 0, list = 0, c;
	pvd_cli_init(argc, argv);
	while ((c = pvd_cli_getopt(argc, argv, "p:e:d:s:r:qhV", longopts)) != -1) {
		switch (c) {
		case 'p': profile = optarg; break;
		case 'e':
			if ((o.encoding = pvd_enc_parse(optarg)) < 0)
				pvd_cli_usage_error("--encoding: unknown encoding '%s' (auto, utf-8, windows-1252, utf-16le, utf-16be)", optarg);
			break;
		case 'd': {
			int d = pvd_delim_parse(optarg);
			if (d < 0)
				pvd_cli_usage_error("--delimiter: '%s' is not one of auto , ; tab |", optarg);
			o.delimiter = (char)d;
			break;
		}
		case 's': o.skip = (long)pvd_cli_ulong("--skip", optarg); break;
		case 'M': o.field_cap = pvd_cli_ulong("--max-field", optarg); break;
		case 'r': rejects = optarg; break;
		case 'R': report = optarg; break;
		case 'q': quiet = 1; pvd_progress_quiet(); break;
		case PVD_OPT_PROGRESS: pvd_progress_force(); break;
		case 'S': o.sheet = optarg; break;
		case 'L': list = 1; break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}
	struct pvd_err e = { 0 };
	if (list)
		return list_sheets(optind < argc ? argv + optind : NULL, argc - optind, &o);
	struct pvd_profile prof;
	if (profile) {
		if (pvd_profile_load(&prof, profile, &e)) {
			pvd_err_print(&e);
			return PVD_EX_CONFIG;
		}
		o.profile = &prof;
	}
	struct pvd_out out;
	struct pvd_rejects rj;
	struct pvd_stats st;
	struct pvd_ingest_counts cnt = { 0 };
	struct pvd_ndjson_sink sink;
	int rc;
	if ((rc = pvd_out_open(&out, "-", &e)) || (rc = pvd_rejects_open(&rj, "ingest", rejects, quiet, &e))) {
		pvd_err_print(&e);
		if (profile)
			pvd_profile_free(&prof);
		return rc;
	}
	pvd_stats_init(&st, "rows");
	pvd_ndjson_sink_init(&sink, &out);
	static char *const dash[] = { "-", NULL };
	char *const *files = optind < argc ? argv + optind : dash;
	int nfiles = optind < argc ? argc - optind : 1;
	for (int i = 0; i < nfiles && !rc; i++)
		rc = pvd_ingest_file(files[i], &o, &sink.base, &rj, &st, &cnt, &e);
	if (rc) {
		pvd_err_print(&e);
		pvd_rejects_abort(&rj);
		pvd_out_commit(&out, &e);
	} else {
		char detail[160];
		snprintf(detail, sizeof detail, "(%llu header, %llu title, %llu total, %llu blank)", cnt.header,
			 cnt.title, cnt.total, cnt.blank);
		if ((rc = pvd_stats_finish(&st, detail, quiet, &e)) ||
		    (report && (rc = pvd_stats_report(&st, &rj, "ingest", report, &e))) ||
		    (rc = pvd_rejects_close(&rj, &e)) || (rc = pvd_out_commit(&out, &e))) {
			/* what was not finished is dropped */
			pvd_err_print(&e);
			pvd_rejects_abort(&rj);
			pvd_out_abort(&out);
		}
	}
	rc = pvd_cli_finish(rc, &st);
	pvd_stats_free(&st);
	if (profile)
		pvd_profile_free(&prof);
	return rc;
}
