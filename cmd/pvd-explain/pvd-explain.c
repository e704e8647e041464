/* pvd-explain — the raw rows behind a figure, from pvd-aggregate's lineage. */
#include "cli.h"
#include "diag.h"
#include "explain.h"
#include "lineage.h"
#include "output.h"
#include "xmem.h"
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"Usage: pvd-explain [-C DIR] [--no-raw] (--lineage FILE | OUTDIR) ID[=KEY]\n"
	"Print the records behind one figure of pvd-aggregate's output: for each,\n"
	"its file and line, what it gives (the amount summed, the values counted) and\n"
	"the original record of the export, read back from the raw file; then the\n"
	"totals per file and the figure's value recomputed from them.\n"
	"\n"
	"  -l, --lineage FILE   the lineage written by pvd-aggregate --lineage\n"
	"  OUTDIR               a quarter's output directory: OUTDIR/lineage.ndjson\n"
	"  ID                   an indicator id: its headline (dotations.detr.montant)\n"
	"  ID=KEY               one group of its breakdowns (the first breakdown that\n"
	"                       has KEY), ID=DIM:KEY to name the breakdown (dep:01),\n"
	"                       ID=DIM: for the group without a value\n"
	"  -C, --directory DIR  the raw files' names are relative to DIR (default: .)\n"
	"      --no-raw         contributions and totals only, no raw lines\n"
	"  -h, --help           show this help and exit\n"
	"  -V, --version        show the version and exit\n"
	"\n"
	"A ratio shows its numerator's records, then its denominator's.  Control\n"
	"characters of raw lines are shown as \\xNN.  Exit status: 0 ok, 64 usage (or\n"
	"no such indicator or breakdown), 65 not a lineage file, 66 cannot open it,\n"
	"74 I/O error.\n";

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "lineage", required_argument, NULL, 'l' },
		{ "directory", required_argument, NULL, 'C' },
		{ "no-raw", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ 0 },
	};
	const char *lineage = NULL, *root = NULL;
	int raw = 1, c;
	pvd_cli_init(argc, argv);
	while ((c = getopt_long(argc, argv, "l:C:hV", longopts, NULL)) != -1) {
		switch (c) {
		case 'l': lineage = optarg; break;
		case 'C': root = optarg; break;
		case 'n': raw = 0; break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}
	int left = argc - optind;
	char *path = NULL;
	if (lineage) {
		if (left != 1)
			pvd_cli_usage_error("expected one figure: ID or ID=KEY");
		path = xstrdup(lineage);
	} else {
		if (left != 2)
			pvd_cli_usage_error("expected OUTDIR and a figure (or --lineage FILE and a figure)");
		struct pvd_buf p = { 0 };
		pvd_buf_printf(&p, "%s/lineage.ndjson", argv[optind++]);
		path = p.p;
	}
	const char *spec = argv[optind];
	if (!*spec || *spec == '=')
		pvd_cli_usage_error("'%s': expected ID or ID=KEY", spec);
	struct pvd_err e = { 0 };
	struct pvd_lin_fig f;
	int rc = pvd_lin_select(path, spec, &f, &e);
	if (rc == PVD_EX_USAGE) {
		free(path);
		pvd_lin_fig_free(&f);
		pvd_cli_usage_error("%s", e.msg);
	}
	struct pvd_buf b = { 0 };
	unsigned long unreadable = 0;
	if (!rc)
		rc = pvd_explain(&f, root, raw, &b, &unreadable, &e);
	struct pvd_out out;
	if (!rc && !(rc = pvd_out_open(&out, "-", &e))) {
		pvd_out_add(&out, b.p ? b.p : "", b.len);
		rc = pvd_out_commit(&out, &e);
	}
	if (rc)
		pvd_err_print(&e);
	else if (unreadable)
		fprintf(stderr, "pvd-explain: %lu record%s whose raw line could not be read (see -C)\n", unreadable,
			unreadable == 1 ? "" : "s");
	pvd_buf_free(&b);
	pvd_lin_fig_free(&f);
	free(path);
	return rc;
}
