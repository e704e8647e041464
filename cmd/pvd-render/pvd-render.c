/* pvd-render — pvd-aggregate's indicator records to the period's dashboard. */
#include "cli.h"
#include "filter.h"
#include "progress.h"
#include "dashboard.h"
#include "render.h"
#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"Usage: pvd-render [OPTION]... [FILE]...\n"
	"Render pvd-aggregate's indicator records (NDJSON, one per indicator and group)\n"
	"as the period's dashboard: the consolidated JSON document (default), a\n"
	"self-contained HTML page, a Markdown note or the CSV indicator table.  With no\n"
	"FILE, or when FILE is -, read standard input.\n"
	"\n"
	"  -f, --format FMT         json (default), html, md or csv\n"
	"  -l, --locale LOC         csv: c (default: ',' and '.') or fr (';', decimal\n"
	"                           comma, CRLF and a UTF-8 BOM, for Excel); the other\n"
	"                           formats are always French\n"
	"      --bom yes|no         csv: a UTF-8 byte order mark or not (default: with\n"
	"                           --locale fr only)\n"
	"  -p, --previous FILE      the previous quarter's JSON document (this program's\n"
	"                           output): previous values and differences\n"
	"  -P, --provenance FILE    the runner's provenance file (input files, sha256,\n"
	"                           record counts, rejects per stage), copied in\n"
	"      --lineage FILE       pvd-aggregate's lineage: the page shows each\n"
	"                           figure's records per source file\n"
	"  -c, --config FILE        the dashboard's sections and sentences (default:\n"
	"                           dashboard.yaml of the config directory: $PVD_CONFIG,\n"
	"                           ./config or the installed one)\n"
	"  -o, --output FILE        write FILE (atomically) instead of standard output\n"
	"  -r, --rejects FILE       write rejected records there as NDJSON\n"
	"      --report FILE        write the counts as JSON\n"
	"  -q, --quiet              no line on stderr per rejected record or missing\n"
	"                           indicator, no summary\n"
	PVD_HELP_FILTER_TAIL("records")
	"\n"
	"A line that is not an indicator record (no id, unit, period or numeric value,\n"
	"an unknown unit, a share whose value is not num/den) and a second record for\n"
	"the same id, breakdown and key are rejected.  An indicator of the dashboard\n"
	"missing from the input is shown as \"non disponible\" and listed as missing.\n"
	"Summary on stderr: read N records: emitted U, rejected K (emitted = used).\n"
	"Exit status: 0 ok, 64 usage, 65 bad data (no usable record, a bad previous\n"
	"or provenance document), 66 cannot open input, 73 cannot create output,\n"
	"74 I/O error, 78 bad configuration.\n";

struct opts {
	enum pvd_render_fmt fmt;
	int fr, quiet;
	int bom;             /* csv: -1 the locale's habit (fr: a BOM), 0 none, 1 one */
	const char *previous, *provenance, *config, *output, *rejects, *report, *lineage;
};

static void parse(int argc, char **argv, struct opts *o)
{
	enum { OPT_REPORT = 256, OPT_BOM, OPT_LINEAGE };
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "locale", required_argument, NULL, 'l' },
		{ "bom", required_argument, NULL, OPT_BOM },
		{ "previous", required_argument, NULL, 'p' },
		{ "provenance", required_argument, NULL, 'P' },
		{ "config", required_argument, NULL, 'c' },
		{ "output", required_argument, NULL, 'o' },
		{ "rejects", required_argument, NULL, 'r' },
		{ "report", required_argument, NULL, OPT_REPORT },
		{ "lineage", required_argument, NULL, OPT_LINEAGE },
		{ "quiet", no_argument, NULL, 'q' },
		{ "progress", no_argument, NULL, PVD_OPT_PROGRESS },
		PVD_LONGOPTS_FILTER_TAIL,
	};
	int c;
	while ((c = pvd_cli_getopt(argc, argv, "f:l:p:P:c:o:r:qhV", longopts)) != -1) {
		switch (c) {
		case 'f':
			if (pvd_render_format(optarg, &o->fmt))
				pvd_cli_usage_error("--format: '%s' is not json, html, md or csv", optarg);
			break;
		case 'l':
			if (strcmp(optarg, "fr") != 0 && strcmp(optarg, "c") != 0 && strcmp(optarg, "C") != 0)
				pvd_cli_usage_error("--locale: '%s' is not fr or c", optarg);
			o->fr = strcmp(optarg, "fr") == 0;
			break;
		case OPT_BOM:
			if (strcmp(optarg, "yes") != 0 && strcmp(optarg, "no") != 0)
				pvd_cli_usage_error("--bom: '%s' is not yes or no", optarg);
			o->bom = strcmp(optarg, "yes") == 0;
			break;
		case 'p': o->previous = optarg; break;
		case 'P': o->provenance = optarg; break;
		case 'c': o->config = optarg; break;
		case 'o': o->output = optarg; break;
		case 'r': o->rejects = optarg; break;
		case OPT_REPORT: o->report = optarg; break;
		case OPT_LINEAGE: o->lineage = optarg; break;
		case 'q': o->quiet = 1; pvd_progress_quiet(); break;
		case PVD_OPT_PROGRESS: pvd_progress_force(); break;
		case 'h': pvd_cli_help(usage);
		case 'V': pvd_cli_version();
		default: pvd_cli_usage_error("unknown option");
		}
	}
}

static void render(const struct pvd_dash *d, const struct opts *o, struct pvd_buf *b)
{
	switch (o->fmt) {
	case PVD_RENDER_JSON: pvd_render_json(d, b); break;
	case PVD_RENDER_HTML: pvd_render_html(d, b); break;
	case PVD_RENDER_MD: pvd_render_md(d, b); break;
	case PVD_RENDER_CSV: pvd_render_csv(d, o->fr, b); break;
	}
	/* --bom against the locale's habit: the BOM is three bytes at the start */
	static const char bom[] = "\xEF\xBB\xBF";
	if (o->fmt == PVD_RENDER_CSV && o->bom >= 0) {
		int has = b->len >= 3 && memcmp(b->p, bom, 3) == 0;
		if (has && !o->bom) {
			memmove(b->p, b->p + 3, b->len - 3);
			b->len -= 3;
			b->p[b->len] = '\0';
		} else if (!has && o->bom) {
			struct pvd_buf t = { 0 };
			pvd_buf_add(&t, bom, 3);
			pvd_buf_add(&t, b->p, b->len);
			pvd_buf_free(b);
			*b = t;
		}
	}
}

static void notes(const struct pvd_dash *d)
{
	for (size_t i = 0; i < d->nwarnings; i++)
		pvd_warn("%s", d->warnings[i]);
	for (size_t s = 0; s < d->nsec; s++)
		for (size_t j = 0; j < d->sec[s].ninds; j++) {
			const struct pvd_dash_ind *in = &d->ind[d->sec[s].inds[j]];
			if (in->configured && !in->present)
				pvd_warn("%s: not in the input, shown as non disponible", in->id);
		}
}

/* pvd-render as a stage (filter.h): the model is filled by the records,
 * completed and rendered into the output when the stream ends. */
struct render_stage {
	struct pvd_stage base;
	struct opts o;
	struct pvd_dash d;
	struct pvd_dash_sink sink;
	int loaded, started;
};

static int r_load(struct pvd_stage *s, struct pvd_err *e)
{
	struct render_stage *r = (struct render_stage *)s;
	r->loaded = 1;
	return pvd_dash_load(&r->d, r->o.config, e);
}

static int r_start(struct pvd_stage *s, struct pvd_sink *next, struct pvd_err *e)
{
	struct render_stage *r = (struct render_stage *)s;
	pvd_dash_sink_init(&r->sink, &r->d, &s->rj, &s->st);
	r->started = 1;
	s->in = &r->sink.base;
	return 0;
}

/* Completes the model with the previous document and the provenance, then
 * renders it into the output. */
static int r_finish(struct pvd_stage *s, struct pvd_err *e)
{
	struct render_stage *r = (struct render_stage *)s;
	const struct opts *o = &r->o;
	int rc = pvd_dash_finish(&r->d, e);
	if (!rc && o->previous)
		rc = pvd_dash_previous(&r->d, o->previous, e);
	if (!rc && o->provenance)
		rc = pvd_dash_provenance(&r->d, o->provenance, e);
	if (!rc && o->lineage)
		rc = pvd_dash_lineage(&r->d, o->lineage, e);
	if (rc)
		return rc;
	if (!o->quiet)
		notes(&r->d);
	render(&r->d, o, &s->out->b);
	return 0;
}

static void r_free(struct pvd_stage *s)
{
	struct render_stage *r = (struct render_stage *)s;
	if (r->started)
		pvd_dash_sink_free(&r->sink);
	if (r->loaded)
		pvd_dash_free(&r->d);
	r->started = r->loaded = 0;
}

int main(int argc, char **argv)
{
	static const struct pvd_stage_ops ops = { .load = r_load, .start = r_start, .finish = r_finish,
						  .free = r_free };
	struct render_stage r = { .base = { .ops = &ops, .name = "render", .unit = "records" },
				  .o = { .fmt = PVD_RENDER_JSON, .bom = -1 } };
	pvd_cli_init(argc, argv);
	parse(argc, argv, &r.o);
	r.base.rejects = r.o.rejects;
	r.base.report = r.o.report;
	r.base.quiet = r.o.quiet;
	return pvd_filter_run(&r.base, r.o.output, argv + optind, argc - optind);
}
