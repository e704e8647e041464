/* render_html — the dashboard as one self-contained HTML page that a
 * programme officer can open and send: inline CSS, charts as inline SVG, no
 * script, no font or image fetched from anywhere (a Content-Security-Policy
 * forbids it, so even an injection that slipped through could not run or
 * call out).  Every text from the data or the config goes through
 * pvd_html_escape(), in element content and in attributes alike. */
#include "lineage.h"
#include "render.h"
#include "render_map.h"
#include "xmem.h"
#include <stdlib.h>
#include <string.h>

void pvd_html_escape(struct pvd_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		switch (c) {
		case '&': pvd_buf_adds(b, "&amp;"); break;
		case '<': pvd_buf_adds(b, "&lt;"); break;
		case '>': pvd_buf_adds(b, "&gt;"); break;
		case '"': pvd_buf_adds(b, "&quot;"); break;
		case '\'': pvd_buf_adds(b, "&#39;"); break;
		default:
			pvd_buf_addc(b, c < 0x20 && c != '\n' && c != '\t' ? ' ' : (char)c);
		}
	}
}

static void esc(struct pvd_buf *b, const char *s)
{
	if (s)
		pvd_html_escape(b, s, strlen(s));
}

static const char css[] =
	":root{--bleu:#000091;--bleu-2:#6a6af4;--bleu-clair:#ececfe;--texte:#161616;--gris:#595959;"
	"--fond:#f5f5fe;--trait:#dddddd;--alerte:#b34000;--piste:#eeeeee;--prev:#b8b8ef}\n"
	"*{box-sizing:border-box}\n"
	"body{margin:0;font-family:system-ui,-apple-system,\"Segoe UI\",Roboto,\"Helvetica Neue\",Arial,"
	"\"Liberation Sans\",sans-serif;color:var(--texte);background:#fff;line-height:1.5;font-size:16px}\n"
	".wrap{max-width:60rem;margin:0 auto;padding:0 1.5rem}\n"
	"header.masthead{background:var(--bleu);color:#fff;padding:1.8rem 0 1.6rem}\n"
	"header .org{text-transform:uppercase;letter-spacing:.08em;font-size:.78rem;margin:0;opacity:.9}\n"
	"header h1{margin:.35rem 0 .2rem;font-size:2.1rem;line-height:1.2}\n"
	"header h1 span{display:block;font-weight:400;font-size:1.35rem}\n"
	"header .period{margin:.6rem 0 0;font-size:.95rem}\n"
	"nav.toc{margin:1.5rem 0 0;padding:.8rem 1rem;background:var(--fond);font-size:.92rem}\n"
	"nav.toc ol{margin:0;padding-left:1.3rem;columns:2}\n"
	"nav.toc a{color:var(--bleu)}\n"
	"section.sec{margin-top:2.6rem}\n"
	"h2{color:var(--bleu);font-size:1.55rem;border-bottom:3px solid var(--bleu);padding-bottom:.25rem;margin:0 0 1rem}\n"
	"h3{font-size:1.15rem;margin:1.8rem 0 .6rem}\n"
	"p{margin:.6rem 0}\n"
	".figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:1rem;margin:1rem 0}\n"
	".figure{background:var(--fond);border-left:4px solid var(--bleu);padding:.9rem 1.1rem}\n"
	".figures.one{grid-template-columns:minmax(15rem,24rem)}\n"
	".figure .cap{font-size:.85rem;color:var(--gris);margin:0 0 .3rem}\n"
	".captioned .figure .cap{min-height:3.9em}\n"
	".figure .big{font-size:2.1rem;font-weight:700;color:var(--bleu);margin:0;line-height:1.15;"
	"font-variant-numeric:tabular-nums}\n"
	".figure p{margin:.35rem 0 0}\n"
	".prev{color:var(--gris);font-size:.92rem}\n"
	".nd{color:var(--alerte);font-style:italic;font-weight:400}\n"
	".figure .big.long{font-size:1.6rem}\n"
	".figure .big.nd{font-size:1.3rem;color:var(--alerte)}\n"
	".note{font-size:.85rem;color:var(--gris)}\n"
	"details.def,details.lin{font-size:.82rem;color:var(--gris);margin:.4rem 0 0}\n"
	"details.def summary,details.lin summary{cursor:pointer;color:var(--bleu);width:max-content}\n"
	"details.def summary:focus-visible,details.lin summary:focus-visible{outline:2px solid var(--bleu);outline-offset:2px}\n"
	"details.def p{margin:.25rem 0 0;max-width:40rem;font-weight:400}\n"
	"details.lin table.lin{font-size:.8rem;margin:.3rem 0;width:auto}\n"
	"details.lin table.lin caption{font-weight:600;font-size:.8rem}\n"
	"details.lin p{margin:.2rem 0 0;font-weight:400}\n"
	".missing{background:#fff4f0;border-left:4px solid var(--alerte);padding:.6rem 1rem;margin:1.5rem 0 0}\n"
	"figure.chart{margin:1.4rem 0}\n"
	"figure.chart figcaption{font-weight:600;margin-bottom:.5rem}\n"
	"svg.bars{display:block;width:100%;height:auto}\n"
	"svg.bars text{font-size:13px;fill:var(--texte)}\n"
	"svg.bars text.val{font-weight:700;fill:var(--bleu)}\n"
	"svg.bars text.val.na{font-weight:400;font-style:italic;fill:var(--alerte)}\n"
	"svg.bars .track{fill:var(--piste)}\n"
	"svg.bars .bar{fill:var(--bleu)}\n"
	"svg.bars .bar-prev{fill:var(--prev)}\n"
	"svg.bars text.pval{font-size:11px;fill:var(--gris)}\n"
	".legend{font-size:.85rem;color:var(--gris);margin:0 0 .4rem}\n"
	".legend i{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .8rem;vertical-align:-.05rem}\n"
	".legend i:first-child{margin-left:0}\n"
	".legend i.c{background:var(--bleu)}.legend i.p{background:var(--prev)}\n"
	"figure.map{margin:1.4rem 0}\n"
	"figure.map figcaption{font-weight:600;margin-bottom:.5rem}\n"
	"svg.map{display:block;width:100%;max-width:46rem;height:auto}\n"
	"svg.map .dep{stroke:#fff;stroke-width:.6}\n"
	"svg.map .dep:hover{stroke:var(--texte);stroke-width:1.2}\n"
	"svg.map text{font-size:12px;fill:var(--texte)}\n"
	"svg.map text.omh{font-weight:600}\n"
	".map-legend i{border:1px solid var(--trait)}\n"
	"table{border-collapse:collapse;width:100%;margin:.8rem 0 1.2rem;font-size:.9rem}\n"
	"caption{text-align:left;font-weight:600;margin-bottom:.4rem}\n"
	"th,td{padding:.35rem .55rem;border-bottom:1px solid var(--trait);text-align:left;vertical-align:top}\n"
	"thead th{background:var(--bleu-clair);vertical-align:bottom}\n"
	"thead th.n{white-space:normal}\n"
	".tscroll{overflow-x:auto}\n"
	"table.bd th,table.bd td{padding:.3rem .45rem}\n"
	"table.bd tbody th,table.bd tfoot th{min-width:9rem}\n"
	".n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}\n"
	"tr.total td,tr.total th{font-weight:700;border-top:2px solid var(--texte)}\n"
	"tr.grp th{background:var(--fond);color:var(--bleu)}\n"
	"tbody th{font-weight:400}\n"
	"td code,th code{font-size:.78rem;color:var(--gris)}\n"
	"ul.list{margin:.4rem 0 1rem;padding-left:1.3rem}\n"
	".lists{display:grid;grid-template-columns:repeat(auto-fit,minmax(15rem,1fr));gap:0 1.5rem}\n"
	"footer{margin:3rem auto 2rem;color:var(--gris);font-size:.82rem;border-top:1px solid var(--trait);padding-top:.8rem}\n"
	"@media print{header.masthead{background:none;color:var(--bleu);padding:0}nav.toc{display:none}"
	".figure,figure.chart,table{break-inside:avoid}}\n";

static void figures(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
static void chart(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
static void table(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
static void num(struct pvd_buf *b, const struct pvd_jnode *n);
static void file_ref(struct pvd_buf *b, const struct pvd_jnode *f);

/* The page's markup for the walker shared with the Markdown note (render.h). */
static const struct pvd_markup html = {
	.escape = pvd_html_escape,
	.num = num,
	.file_ref = file_ref,
	.figures = figures,
	.chart = chart,
	.table = table,
	.map = pvd_map_html,
	.value = { "<strong>", "</strong>" },
	.missing = { "<span class=\"nd\">", "</span>" },
	.na = { "<span class=\"nd\">", "</span>" },
	.absent = "<span title=\"" PVD_NA "\">—</span>",
	.row = { "<tr><th scope=\"row\">", "</tr>\n" },
	.head_end = "</th>",
	.cell = { "<td class=\"n\">", "</td>" },
	.total_row = "<tr class=\"total\"><th scope=\"row\">",
	.foot = "</tbody>\n<tfoot>",
	.total = "Ensemble",
	.heading = { "<h3>", "</h3>\n" },
	.text = { "<p>", "</p>\n" },
	.note = { "<p class=\"note\">", "</p>\n" },
	.previous = { " <span class=\"prev\">", "</span>" },
	.drop_empty = 1,
	.lists = { "<div class=\"lists\">\n", "</div>\n" },
	.list = { "<div class=\"lst\">", "<ul class=\"list\">\n", "</ul></div>\n" },
	.list_title = { "<h4>", "</h4>" },
	.item = { "<li>", "</li>\n" },
	.references = 1,
};

/* The definition of an indicator, as a note the reader opens (a <details>:
 * reachable with the keyboard, readable without script). */
static void definition(struct pvd_buf *b, const struct pvd_dash_ind *in)
{
	if (!in->description)
		return;
	pvd_buf_adds(b, "<details class=\"def\"><summary>Définition</summary><p>");
	esc(b, in->description);
	pvd_buf_adds(b, "</p></details>");
}

/* One side of a figure's records, per source file: rows (and the sum). */
static void lineage_side(struct pvd_buf *b, const struct pvd_lin_acc *a, const char *caption)
{
	int sum = !strcmp(a->kind, "sum") || !strcmp(a->kind, "mean");
	unsigned long long rows = 0;
	int64_t tot = 0;
	pvd_buf_adds(b, "<table class=\"lin\">");
	if (caption)
		pvd_buf_printf(b, "<caption>%s</caption>", caption);
	pvd_buf_printf(b, "<thead><tr><th scope=\"col\">Fichier</th><th scope=\"col\" class=\"n\">Lignes</th>%s</tr></thead><tbody>",
		       sum ? "<th scope=\"col\" class=\"n\">Somme</th>" : "");
	for (size_t i = 0; i < a->nsrc; i++) {
		pvd_buf_adds(b, "<tr><td><code>");
		esc(b, a->src[i].file);
		pvd_buf_adds(b, "</code></td><td class=\"n\">");
		pvd_fr_fixed(b, (int64_t)a->src[i].rows, 0);
		if (sum) {
			pvd_buf_adds(b, "</td><td class=\"n\">");
			pvd_fr_fixed(b, a->eur ? a->src[i].sum : a->src[i].sum / 100, a->eur ? 2 : 0);
		}
		pvd_buf_adds(b, "</td></tr>");
		rows += a->src[i].rows;
		tot += a->src[i].sum;   /* each file's sum was overflow-checked; the figure's is too */
	}
	pvd_buf_adds(b, "</tbody><tfoot><tr class=\"total\"><th scope=\"row\">Ensemble</th><td class=\"n\">");
	pvd_fr_fixed(b, (int64_t)rows, 0);
	if (sum) {
		pvd_buf_adds(b, "</td><td class=\"n\">");
		pvd_fr_fixed(b, a->eur ? tot : tot / 100, a->eur ? 2 : 0);
	}
	pvd_buf_adds(b, "</td></tr></tfoot></table>");
}

/* Where a figure comes from: its records per source file, from the run's
 * lineage (pvd-explain ID prints the rows themselves). */
static void lineage(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_dash_ind *in)
{
	if (!d->lineage)
		return;
	const struct pvd_lin_acc *n = pvd_lin_summary_acc(d->lineage, in->id, 0),
				 *dn = pvd_lin_summary_acc(d->lineage, in->id, 1);
	if (!n)
		return;
	pvd_buf_adds(b, "<details class=\"lin\"><summary>Lignes sources</summary>");
	lineage_side(b, n, dn ? "Numérateur" : NULL);
	if (dn)
		lineage_side(b, dn, "Dénominateur");
	pvd_buf_adds(b, "<p>Le détail : <code>pvd-explain out/");
	esc(b, d->period.text);
	pvd_buf_adds(b, " ");
	esc(b, in->id);
	pvd_buf_adds(b, "</code></p></details>");
}

/* Characters (code points) of a UTF-8 string: how wide a figure is. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static void figures(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	struct pvd_buf v = { 0 };
	int captioned = 0;
	for (size_t i = 0; i < bl->nfig; i++)
		captioned |= bl->fig[i].title != NULL;
	pvd_buf_printf(b, "<div class=\"figures%s%s\">\n", bl->nfig == 1 ? " one" : "", captioned ? " captioned" : "");
	for (size_t i = 0; i < bl->nfig; i++) {
		const struct pvd_figure *f = &bl->fig[i];
		int ok = d->ind[f->ind].head.cur.state == PVD_Q_VALUE;
		pvd_buf_adds(b, "<div class=\"figure\">");
		if (f->title) {
			pvd_buf_adds(b, "<p class=\"cap\">");
			esc(b, f->title);
			pvd_buf_adds(b, "</p>");
		}
		pvd_buf_reset(&v);
		pvd_figure_value(d, f, &v);
		pvd_buf_adds(b, !ok ? "<p class=\"big nd\">" : chars(v.p) > 12 ? "<p class=\"big long\">" : "<p class=\"big\">");
		esc(b, v.p);
		pvd_buf_adds(b, "</p>");
		pvd_mk_tmpl(&html, b, d, "<p>", "</p>", &f->text);
		pvd_mk_tmpl(&html, b, d, "<p class=\"prev\">", "</p>", &f->previous);
		definition(b, &d->ind[f->ind]);
		lineage(b, d, &d->ind[f->ind]);
		pvd_buf_adds(b, "</div>\n");
	}
	pvd_buf_adds(b, "</div>\n");
	pvd_buf_free(&v);
}

enum { CHART_W = 720, TRACK_W = 590, ROW = 46, ROW_CMP = 56 };

static void chart(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	struct pvd_bar *bars;
	size_t n = pvd_chart_bars(d, bl, &bars);
	int cmp = bl->compare && d->have_prev;
	int row = cmp ? ROW_CMP : ROW;
	struct pvd_buf v = { 0 };
	pvd_buf_adds(b, "<figure class=\"chart\">");
	pvd_mk_title(&html, b, "<figcaption>", bl->title, "</figcaption>");
	if (!n) {
		pvd_buf_adds(b, "<p class=\"nd\">" PVD_NA "</p></figure>\n");
		free(bars);
		return;
	}
	if (cmp) {
		pvd_buf_adds(b, "\n<p class=\"legend\"><i class=\"c\"></i>");
		pvd_fr_period(&d->period, b);
		pvd_buf_adds(b, "<i class=\"p\"></i>");
		pvd_fr_period(&d->prev_period, b);
		pvd_buf_adds(b, "</p>");
	}
	pvd_buf_printf(b, "\n<svg class=\"bars\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %zu\" role=\"img\" aria-label=\"",
		       CHART_W, n * (size_t)row + 4);
	esc(b, bl->title);
	pvd_buf_adds(b, "\">\n");
	for (size_t i = 0; i < n; i++) {
		long y = (long)i * row;
		long w = pvd_bar_length(bars, n, bars[i].cur, TRACK_W);
		pvd_buf_reset(&v);
		int na = pvd_qty_fr(d, bars[i].kind, bars[i].cur, bl->fmt, 0, &v) != 0;
		if (na)
			pvd_buf_adds(&v, bars[i].cur->state == PVD_Q_NULL ? PVD_NC : PVD_NA);
		pvd_buf_printf(b, "<text class=\"lbl\" x=\"0\" y=\"%ld\">", y + 15);
		esc(b, bars[i].label);
		pvd_buf_printf(b, "</text>\n<rect class=\"track\" x=\"0\" y=\"%ld\" width=\"%d\" height=\"16\" rx=\"2\"/>"
			       "<rect class=\"bar\" x=\"0\" y=\"%ld\" width=\"%ld\" height=\"16\" rx=\"2\"><title>",
			       y + 21, TRACK_W, y + 21, w);
		esc(b, bars[i].label);
		pvd_buf_adds(b, " : ");
		esc(b, v.p);
		pvd_buf_printf(b, "</title></rect><text class=\"val%s\" x=\"%d\" y=\"%ld\">", na ? " na" : "", TRACK_W + 8, y + 34);
		esc(b, v.p);
		pvd_buf_adds(b, "</text>\n");
		if (cmp && bars[i].prev->state == PVD_Q_VALUE) {
			long pw = pvd_bar_length(bars, n, bars[i].prev, TRACK_W);
			pvd_buf_reset(&v);
			pvd_qty_fr(d, bars[i].kind, bars[i].prev, bl->fmt, 0, &v);
			pvd_buf_printf(b, "<rect class=\"bar-prev\" x=\"0\" y=\"%ld\" width=\"%ld\" height=\"7\" rx=\"2\"><title>",
				       y + 40, pw);
			pvd_fr_period(&d->prev_period, b);
			pvd_buf_adds(b, " : ");
			esc(b, v.p);
			pvd_buf_printf(b, "</title></rect><text class=\"pval\" x=\"%ld\" y=\"%ld\">", pw + 6, y + 47);
			esc(b, v.p);
			pvd_buf_adds(b, "</text>\n");
		}
	}
	pvd_buf_adds(b, "</svg></figure>\n");
	pvd_buf_free(&v);
	free(bars);
}

static void table(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	pvd_buf_adds(b, "<div class=\"tscroll\"><table class=\"bd\">");
	pvd_mk_title(&html, b, "<caption>", bl->title, "</caption>");
	pvd_buf_adds(b, "\n<thead><tr><th scope=\"col\">");
	esc(b, bl->header ? bl->header : bl->by);
	pvd_buf_adds(b, "</th>");
	for (size_t c = 0; c < bl->nitems; c++) {
		pvd_buf_adds(b, "<th scope=\"col\" class=\"n\">");
		esc(b, pvd_item_label(d, &bl->items[c]));
		pvd_buf_adds(b, "</th>");
	}
	pvd_buf_adds(b, "</tr></thead>\n<tbody>\n");
	pvd_mk_table_rows(&html, b, d, bl);
	pvd_buf_adds(b, "</tfoot></table></div>\n");
}

static void section(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_section *s)
{
	pvd_buf_adds(b, "<section class=\"sec\" id=\"s-");
	esc(b, s->id);
	pvd_buf_adds(b, "\">\n<h2>");
	esc(b, s->title);
	pvd_buf_adds(b, "</h2>\n");
	pvd_mk_blocks(&html, b, d, s);
	pvd_buf_adds(b, "</section>\n");
}

static void annex(struct pvd_buf *b, const struct pvd_dash *d)
{
	int prev = d->have_prev;
	pvd_buf_adds(b, "<section class=\"sec\" id=\"s-indicateurs\">\n<h2>Tableau des indicateurs</h2>\n"
			"<table class=\"all\">\n<thead><tr><th scope=\"col\">Indicateur</th><th scope=\"col\" class=\"n\">");
	pvd_mk_compare_heads(b, d, "</th><th scope=\"col\" class=\"n\">");
	pvd_buf_adds(b, "</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < d->nsec; i++) {
		const struct pvd_section *s = &d->sec[i];
		if (!s->ninds)
			continue;
		pvd_buf_printf(b, "<tr class=\"grp\"><th colspan=\"%d\" scope=\"rowgroup\">", prev ? 4 : 2);
		esc(b, s->title);
		pvd_buf_adds(b, "</th></tr>\n");
		for (size_t j = 0; j < s->ninds; j++) {
			const struct pvd_dash_ind *in = &d->ind[s->inds[j]];
			pvd_buf_adds(b, "<tr><th scope=\"row\">");
			esc(b, pvd_dash_label(in));
			pvd_buf_adds(b, "<br><code>");
			esc(b, in->id);
			pvd_buf_adds(b, "</code>");
			definition(b, in);
			lineage(b, d, in);
			pvd_buf_adds(b, "</th>");
			pvd_mk_compare(&html, b, d, in->kind, &in->head.cur, &in->head.prev, PVD_F_DEFAULT);
			pvd_buf_adds(b, "</tr>\n");
		}
	}
	pvd_buf_adds(b, "</tbody></table>\n</section>\n");
}

static void num(struct pvd_buf *b, const struct pvd_jnode *n)
{
	int64_t v;
	if (n && n->type == PVD_J_NUM && pvd_fixed_parse(n->text, n->len, 0, &v) == 0)
		pvd_fr_fixed(b, v, 0);
	else if (n)
		esc(b, n->text);
}

/* "path (sha256 12 first digits…)" of a file entry. */
static void file_ref(struct pvd_buf *b, const struct pvd_jnode *f)
{
	const char *h = pvd_j_str(f, "sha256");
	pvd_buf_adds(b, "<code>");
	esc(b, pvd_j_str(f, "path"));
	pvd_buf_adds(b, "</code> <code class=\"sha\" title=\"SHA-256 ");
	esc(b, h);
	pvd_buf_adds(b, "\">");
	pvd_html_escape(b, h, 12);
	pvd_buf_adds(b, "…</code>");
}

static void sources(struct pvd_buf *b, const struct pvd_dash *d)
{
	const struct pvd_jnode *ins = pvd_j_get(d->provenance, "inputs");
	pvd_buf_adds(b, "<section class=\"sec\" id=\"s-sources\">\n<h2>Sources et traitements</h2>\n"
			"<p><a href=\"quality.html\">Qualité des données</a> : contrôle des lignes TOTAL, rejets par motif "
			"avec des exemples, comptes par source.</p>\n<ul class=\"list\">\n");
	pvd_mk_provenance(&html, b, d);
	pvd_buf_adds(b, "</ul>\n<table class=\"src\"><caption>Fichiers reçus</caption>\n<thead><tr>"
			"<th scope=\"col\">Fichier</th><th scope=\"col\">Source</th><th scope=\"col\" class=\"n\">Lignes</th>"
			"<th scope=\"col\" class=\"n\">Enregistrements</th><th scope=\"col\" class=\"n\">Rejetés</th>"
			"<th scope=\"col\">SHA-256</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < ins->n; i++) {
		const struct pvd_jnode *o = ins->items[i], *r = pvd_j_get(o, "rejected");
		const char *h = pvd_j_str(o, "sha256");
		int64_t tot = 0, v;
		pvd_buf_adds(b, "<tr><td>");
		esc(b, pvd_j_str(o, "path"));
		pvd_buf_adds(b, "</td><td>");
		esc(b, pvd_j_str(o, "source"));
		if (pvd_j_str(o, "profile") && (!pvd_j_str(o, "source") || strcmp(pvd_j_str(o, "source"), pvd_j_str(o, "profile")))) {
			pvd_buf_adds(b, " <code>");
			esc(b, pvd_j_str(o, "profile"));
			pvd_buf_adds(b, "</code>");
		}
		pvd_buf_adds(b, "</td><td class=\"n\">");
		num(b, pvd_j_get(o, "rows"));
		pvd_buf_adds(b, "</td><td class=\"n\">");
		num(b, pvd_j_get(o, "records"));
		pvd_buf_adds(b, "</td><td class=\"n\">");
		for (size_t k = 0; r && k < r->n; k++)
			if (pvd_fixed_parse(r->items[k]->text, r->items[k]->len, 0, &v) == 0)
				tot += v;
		if (r)
			pvd_fr_fixed(b, tot, 0);
		pvd_buf_adds(b, "</td><td><code class=\"sha\" title=\"");
		esc(b, h);
		pvd_buf_adds(b, "\">");
		pvd_html_escape(b, h, 12);
		pvd_buf_adds(b, "…</code></td></tr>\n");
	}
	pvd_buf_adds(b, "</tbody></table>\n<table class=\"src\"><caption>Enregistrements rejetés, par étape</caption>\n"
			"<thead><tr><th scope=\"col\">Étape</th><th scope=\"col\" class=\"n\">Rejetés</th></tr></thead>\n<tbody>\n");
	pvd_mk_rejects(&html, b, d);
	pvd_buf_adds(b, "</tbody></table>\n</section>\n");
}

void pvd_render_html(const struct pvd_dash *d, struct pvd_buf *b)
{
	struct pvd_buf t = { 0 };
	pvd_fr_period(&d->period, &t);
	pvd_buf_adds(b, "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
			"<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
			"<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:\">\n"
			"<title>");
	esc(b, d->title);
	if (d->programme) {
		pvd_buf_adds(b, " — ");
		esc(b, d->programme);
	}
	pvd_buf_adds(b, " — ");
	esc(b, t.p);
	pvd_buf_adds(b, "</title>\n<style>\n");
	pvd_buf_adds(b, css);
	pvd_buf_adds(b, "</style>\n</head>\n<body>\n<header class=\"masthead\"><div class=\"wrap\">\n");
	if (d->organisation) {
		pvd_buf_adds(b, "<p class=\"org\">");
		esc(b, d->organisation);
		pvd_buf_adds(b, "</p>\n");
	}
	pvd_buf_adds(b, "<h1>");
	esc(b, d->title);
	if (d->programme) {
		pvd_buf_adds(b, " <span>");
		esc(b, d->programme);
		pvd_buf_adds(b, "</span>");
	}
	pvd_buf_adds(b, "</h1>\n<p class=\"period\">");
	esc(b, t.p);
	pvd_buf_adds(b, " · données au ");
	pvd_fr_period_end(&d->period, b);
	if (d->have_prev) {
		pvd_buf_adds(b, " · comparaison avec le ");
		pvd_fr_period(&d->prev_period, b);
	}
	pvd_buf_adds(b, "</p>\n</div></header>\n<main class=\"wrap\">\n<nav class=\"toc\" aria-label=\"Sommaire\"><ol>\n");
	for (size_t i = 0; i + 1 < d->nsec; i++) {
		pvd_buf_adds(b, "<li><a href=\"#s-");
		esc(b, d->sec[i].id);
		pvd_buf_adds(b, "\">");
		esc(b, d->sec[i].title);
		pvd_buf_adds(b, "</a></li>\n");
	}
	pvd_buf_adds(b, "<li><a href=\"#s-indicateurs\">Tableau des indicateurs</a></li>\n");
	if (d->provenance)
		pvd_buf_adds(b, "<li><a href=\"#s-sources\">Sources et traitements</a></li>\n");
	pvd_buf_adds(b, "</ol></nav>\n");
	pvd_mk_missing(&html, b, d, "<p class=\"missing\" role=\"note\">", (const char *[]){ "<code>", "</code>" },
		       ".</p>\n");
	for (size_t i = 0; i + 1 < d->nsec; i++)
		section(b, d, &d->sec[i]);
	annex(b, d);
	if (d->provenance)
		sources(b, d);
	pvd_buf_adds(b, "</main>\n<footer class=\"wrap\">");
	esc(b, d->title);
	pvd_buf_adds(b, " · ");
	esc(b, t.p);
	pvd_buf_adds(b, " (");
	esc(b, d->period.text);
	pvd_buf_adds(b, ") · établi par pvd-render à partir des indicateurs consolidés.</footer>\n</body>\n</html>\n");
	pvd_buf_free(&t);
}
