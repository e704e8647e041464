/* render_md — the dashboard as a Markdown note (for a note to the
 * ministry): the same sections and sentences as the HTML page, charts and
 * tables as pipe tables, then the table of every indicator and the sources.
 * Every text from the data or the config goes through pvd_md_escape(). */
#include "render.h"
#include "render_map.h"
#include "tabrow.h"
#include "xmem.h"
#include <stdlib.h>
#include <string.h>

void pvd_md_escape(struct pvd_buf *b, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '\n' || c == '\r' || c == '\t')
			c = ' ';
		else if (strchr("\\`*_[]<>|#~!&", c))
			pvd_buf_addc(b, '\\');
		pvd_buf_addc(b, c);
	}
}

static void esc(struct pvd_buf *b, const char *s)
{
	if (s)
		pvd_md_escape(b, s, strlen(s));
}

static void figures(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
static void chart(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
static void table(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);

/* Numbers from the provenance file as they were written. */
static void num(struct pvd_buf *b, const struct pvd_jnode *n)
{
	esc(b, n ? n->text : NULL);
}

/* "path (SHA-256 `digest`)" of a file entry. */
static void file_ref(struct pvd_buf *b, const struct pvd_jnode *f)
{
	esc(b, pvd_j_str(f, "path"));
	pvd_buf_adds(b, " (SHA-256 `");
	esc(b, pvd_j_str(f, "sha256"));
	pvd_buf_adds(b, "`)");
}

/* The note's markup for the walker shared with the HTML page (render.h). */
static const struct pvd_markup md = {
	.escape = pvd_md_escape,
	.num = num,
	.file_ref = file_ref,
	.figures = figures,
	.chart = chart,
	.table = table,
	.map = pvd_map_md,
	.value = { "**", "**" },
	.missing = { "_", "_" },
	.na = { "", "" },
	.absent = "",
	.row = { "| ", " |\n" },
	.head_end = "",
	.cell = { " | ", "" },
	.total_row = "| ",
	.foot = "",
	.total = "**Ensemble**",
	.heading = { "### ", "\n\n" },
	.text = { "", "\n\n" },
	.note = { "_", "_\n\n" },
	.previous = { " ", "" },
	.drop_empty = 0, /* an empty block still ends its paragraph */
	.lists = { "", "" },
	.list = { "", "", "\n" },
	.list_title = { "**", "**\n\n" },
	.item = { "- ", "\n" },
	/* the note lists the reference files of the run, as the page does */
	.references = 1,
};

static void figures(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	for (size_t i = 0; i < bl->nfig; i++) {
		const struct pvd_figure *f = &bl->fig[i];
		struct pvd_buf v = { 0 };
		pvd_mk_title(&md, b, "*", f->title, "*  \n");
		pvd_figure_value(d, f, &v);
		pvd_buf_adds(b, d->ind[f->ind].head.cur.state == PVD_Q_VALUE ? "**" : "_");
		esc(b, v.p);
		pvd_buf_adds(b, d->ind[f->ind].head.cur.state == PVD_Q_VALUE ? "**" : "_");
		pvd_mk_tmpl(&md, b, d, " ", "", &f->text);
		pvd_mk_tmpl(&md, b, d, " ", "", &f->previous);
		pvd_buf_adds(b, "\n\n");
		pvd_buf_free(&v);
	}
}

static void chart(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	struct pvd_bar *bars;
	size_t n = pvd_chart_bars(d, bl, &bars);
	int prev = d->have_prev;
	pvd_mk_title(&md, b, "#### ", bl->title, "\n\n");
	pvd_buf_adds(b, "| | ");
	pvd_mk_compare_heads(b, d, " | ");
	pvd_buf_adds(b, prev ? " |\n|---|--:|--:|--:|\n" : " |\n|---|--:|\n");
	for (size_t i = 0; i < n; i++) {
		pvd_buf_adds(b, "| ");
		esc(b, bars[i].label);
		pvd_mk_compare(&md, b, d, bars[i].kind, bars[i].cur, bars[i].prev, bl->fmt);
		pvd_buf_adds(b, " |\n");
	}
	if (!n)
		pvd_buf_adds(b, prev ? "| _" PVD_NA "_ | | | |\n" : "| _" PVD_NA "_ | |\n");
	pvd_buf_addc(b, '\n');
	free(bars);
}

static void table(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	pvd_mk_title(&md, b, "#### ", bl->title, "\n\n");
	pvd_buf_adds(b, "| ");
	esc(b, bl->header ? bl->header : bl->by);
	for (size_t c = 0; c < bl->nitems; c++) {
		pvd_buf_adds(b, " | ");
		esc(b, pvd_item_label(d, &bl->items[c]));
	}
	pvd_buf_adds(b, " |\n|---|");
	for (size_t c = 0; c < bl->nitems; c++)
		pvd_buf_adds(b, "--:|");
	pvd_buf_addc(b, '\n');
	pvd_mk_table_rows(&md, b, d, bl);
	pvd_buf_addc(b, '\n');
}

static void section(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_section *s)
{
	pvd_buf_adds(b, "## ");
	esc(b, s->title);
	pvd_buf_adds(b, "\n\n");
	pvd_mk_blocks(&md, b, d, s);
}

/* Every indicator: section, label (id), value, previous, difference. */
static void annex(struct pvd_buf *b, const struct pvd_dash *d)
{
	pvd_buf_adds(b, "## Tableau des indicateurs\n\n| Section | Indicateur | Identifiant | ");
	pvd_mk_compare_heads(b, d, " | ");
	pvd_buf_adds(b, d->have_prev ? " |\n|---|---|---|--:|--:|--:|\n" : " |\n|---|---|---|--:|\n");
	for (size_t i = 0; i < d->nsec; i++)
		for (size_t j = 0; j < d->sec[i].ninds; j++) {
			const struct pvd_dash_ind *in = &d->ind[d->sec[i].inds[j]];
			pvd_buf_adds(b, "| ");
			esc(b, d->sec[i].title);
			pvd_buf_adds(b, " | ");
			esc(b, pvd_dash_label(in));
			pvd_buf_adds(b, " | ");
			esc(b, in->id);
			pvd_mk_compare(&md, b, d, in->kind, &in->head.cur, &in->head.prev, PVD_F_DEFAULT);
			pvd_buf_adds(b, " |\n");
		}
	pvd_buf_addc(b, '\n');
}

/* What each figure counts: the catalogue's definitions, in table order. */
static void definitions(struct pvd_buf *b, const struct pvd_dash *d)
{
	int any = 0;
	for (size_t i = 0; i < d->nsec; i++)
		for (size_t j = 0; j < d->sec[i].ninds; j++) {
			const struct pvd_dash_ind *in = &d->ind[d->sec[i].inds[j]];
			if (!in->description)
				continue;
			if (!any)
				pvd_buf_adds(b, "## Définitions\n\n");
			any = 1;
			pvd_buf_adds(b, "- **");
			esc(b, pvd_dash_label(in));
			pvd_buf_adds(b, "** (");
			esc(b, in->id);
			pvd_buf_adds(b, ") : ");
			esc(b, in->description);
			pvd_buf_addc(b, '\n');
		}
	if (any)
		pvd_buf_addc(b, '\n');
}

static void sources(struct pvd_buf *b, const struct pvd_dash *d)
{
	const struct pvd_jnode *ins = pvd_j_get(d->provenance, "inputs");
	pvd_buf_adds(b, "## Sources et traitements\n\n");
	pvd_mk_provenance(&md, b, d);
	pvd_buf_adds(b, "\n| Fichier | Source | Lignes | Enregistrements | SHA-256 |\n|---|---|--:|--:|---|\n");
	for (size_t i = 0; i < ins->n; i++) {
		const struct pvd_jnode *o = ins->items[i], *rows = pvd_j_get(o, "rows"), *recs = pvd_j_get(o, "records");
		struct pvd_tabrow r;
		pvd_tab_row(&r, b, 1, NULL);
		pvd_tab_cell(&r, 0, pvd_j_str(o, "path"));
		pvd_tab_cell(&r, 0, pvd_j_str(o, "source"));
		pvd_tab_cell(&r, PVD_TC_NUM, rows ? rows->text : NULL);
		pvd_tab_cell(&r, PVD_TC_NUM, recs ? recs->text : NULL);
		pvd_tab_cell(&r, PVD_TC_CODE, pvd_j_str(o, "sha256"));
		pvd_tab_end(&r);
	}
	pvd_buf_adds(b, "\n| Étape | Rejetés |\n|---|--:|\n");
	pvd_mk_rejects(&md, b, d);
	pvd_buf_addc(b, '\n');
}

void pvd_render_md(const struct pvd_dash *d, struct pvd_buf *b)
{
	pvd_buf_adds(b, "# ");
	esc(b, d->title);
	if (d->programme) {
		pvd_buf_adds(b, " — ");
		esc(b, d->programme);
	}
	pvd_buf_adds(b, "\n\n");
	if (d->organisation) {
		esc(b, d->organisation);
		pvd_buf_adds(b, " · ");
	}
	pvd_fr_period(&d->period, b);
	pvd_buf_adds(b, " (données au ");
	pvd_fr_period_end(&d->period, b);
	pvd_buf_adds(b, ")");
	if (d->have_prev) {
		pvd_buf_adds(b, " · comparaison : ");
		pvd_fr_period(&d->prev_period, b);
	}
	pvd_buf_adds(b, "\n\n");
	pvd_mk_missing(&md, b, d, "> ", (const char *[]){ "", "" }, ".\n\n");
	for (size_t i = 0; i + 1 < d->nsec; i++)
		section(b, d, &d->sec[i]);
	annex(b, d);
	definitions(b, d);
	if (d->provenance)
		sources(b, d);
}
