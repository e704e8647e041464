/* pvd-ingest — raw CSV exports to the NDJSON record stream. */
#include "chain.h"
#include "cli.h"
#include "progress.h"
#include "encoding.h"
#include "sheet.h"
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
	PVD_HELP_FILTER_TAIL("rows")
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
		PVD_LONGOPTS_FILTER_TAIL,
	};
	struct pvd_ingest_stage g = { .o = { .encoding = PVD_ENC_AUTO, .skip = -1 } };
	int list = 0, c;
	pvd_cli_init(argc, argv);
	while ((c = pvd_cli_getopt(argc, argv, "p:e:d:s:r:qhV", longopts)) != -1) {
		switch (c) {
		case 'p': g.profile = optarg; break;
		case 'e':
			if ((g.o.encoding = pvd_enc_parse(optarg)) < 0)
				pvd_cli_usage_error("--encoding: unknown encoding '%s' (auto, utf-8, windows-1252, utf-16le, utf-16be)", optarg);
			break;
		case 'd': {
			int d = pvd_delim_parse(optarg);
			if (d < 0)
				pvd_cli_usage_error("--delimiter: '%s' is not one of auto , ; tab |", optarg);
			g.o.delimiter = (char)d;
			break;
		}
		case 's': g.o.skip = (long)pvd_cli_ulong("--skip", optarg); break;
		case 'M': g.o.field_cap = pvd_cli_ulong("--max-field", optarg); break;
		case 'r': g.base.rejects = optarg; break;
		case 'R': g.base.report = optarg; break;
		case 'q': g.base.quiet = 1; pvd_progress_quiet(); break;
		case PVD_OPT_PROGRESS: pvd_progress_force(); break;
		case 'S': g.o.sheet = optarg; break;
		case 'L': list = 1; break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}
	char *const *files = optind < argc ? argv + optind : NULL;
	if (list)
		return list_sheets(files, argc - optind, &g.o);
	pvd_ingest_stage_init(&g);
	return pvd_filter_run(&g.base, "-", files, argc - optind);
}
