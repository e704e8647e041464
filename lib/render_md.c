/* render_md — the dashboard as a Markdown note (for a note to the
 * ministry): the same sections and sentences as the HTML page, charts and
 * tables as pipe tables, then the table of every indicator and the sources.
 * Every text from the data or the config goes through pvd_md_escape(). */
#include "render.h"
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

static void piece(void *ctx, enum pvd_piece kind, const char *text, size_t n)
{
	struct pvd_buf *b = ctx;
	const char *mark = kind == PVD_P_VALUE ? "**" : kind == PVD_P_MISSING ? "_" : "";
	pvd_buf_adds(b, mark);
	pvd_md_escape(b, text, n);
	pvd_buf_adds(b, mark);
}

/* Appends a template, with a space before it when after is set; nothing
 * when the template is empty or left out.  Returns 1 if something was written. */
static int tmpl(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_tmpl *t, int after)
{
	if (!t->n)
		return 0;
	size_t mark = b->len;
	if (after)
		pvd_buf_addc(b, ' ');
	if (pvd_dash_expand(d, t, piece, b)) {
		b->len = mark;
		b->p[mark] = '\0';
		return 0;
	}
	return 1;
}

static void qty(struct pvd_buf *b, const struct pvd_dash *d, enum pvd_ukind k, const struct pvd_qty *q,
		enum pvd_fmt f, int diff)
{
	if (pvd_qty_fr(d, k, q, f, diff, b) != 0)
		pvd_buf_adds(b, q->state == PVD_Q_NULL ? PVD_NC : q->state == PVD_Q_NONE && diff ? "" : PVD_NA);
}

static void prev_label(struct pvd_buf *b, const struct pvd_dash *d)
{
	pvd_fr_period(&d->prev_period, b);
}

static void figures(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	for (size_t i = 0; i < bl->nfig; i++) {
		const struct pvd_figure *f = &bl->fig[i];
		struct pvd_buf v = { 0 };
		if (f->title) {
			pvd_buf_adds(b, "*");
			esc(b, f->title);
			pvd_buf_adds(b, "*  \n");
		}
		pvd_figure_value(d, f, &v);
		pvd_buf_adds(b, d->ind[f->ind].head.cur.state == PVD_Q_VALUE ? "**" : "_");
		esc(b, v.p);
		pvd_buf_adds(b, d->ind[f->ind].head.cur.state == PVD_Q_VALUE ? "**" : "_");
		tmpl(b, d, &f->text, 1);
		tmpl(b, d, &f->previous, 1);
		pvd_buf_adds(b, "\n\n");
		pvd_buf_free(&v);
	}
}

static void chart(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	struct pvd_bar *bars;
	size_t n = pvd_chart_bars(d, bl, &bars);
	int prev = d->have_prev;
	if (bl->title && *bl->title) {
		pvd_buf_adds(b, "#### ");
		esc(b, bl->title);
		pvd_buf_adds(b, "\n\n");
	}
	pvd_buf_adds(b, "| | ");
	pvd_fr_period(&d->period, b);
	if (prev) {
		pvd_buf_adds(b, " | ");
		prev_label(b, d);
		pvd_buf_adds(b, " | Évolution |\n|---|--:|--:|--:|\n");
	} else {
		pvd_buf_adds(b, " |\n|---|--:|\n");
	}
	for (size_t i = 0; i < n; i++) {
		pvd_buf_adds(b, "| ");
		esc(b, bars[i].label);
		pvd_buf_adds(b, " | ");
		qty(b, d, bars[i].kind, bars[i].cur, bl->fmt, 0);
		if (prev) {
			struct pvd_qty df = pvd_qty_diff(bars[i].cur, bars[i].prev);
			pvd_buf_adds(b, " | ");
			qty(b, d, bars[i].kind, bars[i].prev, bl->fmt, 0);
			pvd_buf_adds(b, " | ");
			qty(b, d, bars[i].kind, &df, bl->fmt, 1);
		}
		pvd_buf_adds(b, " |\n");
	}
	if (!n)
		pvd_buf_adds(b, prev ? "| _" PVD_NA "_ | | | |\n" : "| _" PVD_NA "_ | |\n");
	pvd_buf_addc(b, '\n');
	free(bars);
}

static void table(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl)
{
	const char **keys, **labels;
	size_t n = pvd_table_rows(d, bl, &keys, &labels);
	if (bl->title && *bl->title) {
		pvd_buf_adds(b, "#### ");
		esc(b, bl->title);
		pvd_buf_adds(b, "\n\n");
	}
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
	for (size_t r = 0; r <= n; r++) {
		pvd_buf_adds(b, "| ");
		if (r < n)
			esc(b, labels[r]);
		else
			pvd_buf_adds(b, "**Ensemble**");
		for (size_t c = 0; c < bl->nitems; c++) {
			const struct pvd_dash_ind *in = &d->ind[bl->items[c].ind];
			const struct pvd_dash_val *v = r < n ? pvd_dash_group(in, bl->by, keys[r]) : &in->head;
			pvd_buf_adds(b, " | ");
			if (v)
				qty(b, d, in->kind, &v->cur, bl->items[c].fmt, 0);
		}
		pvd_buf_adds(b, " |\n");
	}
	pvd_buf_addc(b, '\n');
	free(keys);
	free(labels);
}

static void section(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_section *s)
{
	pvd_buf_adds(b, "## ");
	esc(b, s->title);
	pvd_buf_adds(b, "\n\n");
	for (size_t i = 0; i < s->nb; i++) {
		const struct pvd_block *bl = &s->b[i];
		switch (bl->type) {
		case PVD_B_HEADING:
			pvd_buf_adds(b, "### ");
			esc(b, bl->title);
			pvd_buf_adds(b, "\n\n");
			break;
		case PVD_B_FIGURES:
			figures(b, d, bl);
			break;
		case PVD_B_TEXT:
		case PVD_B_NOTE:
			if (bl->type == PVD_B_NOTE)
				pvd_buf_addc(b, '_');
			tmpl(b, d, &bl->text, 0);
			tmpl(b, d, &bl->previous, 1);
			pvd_buf_adds(b, bl->type == PVD_B_NOTE ? "_\n\n" : "\n\n");
			break;
		case PVD_B_CHART:
			chart(b, d, bl);
			break;
		case PVD_B_TABLE:
			table(b, d, bl);
			break;
		case PVD_B_LIST:
			if (bl->title && *bl->title) {
				pvd_buf_adds(b, "**");
				esc(b, bl->title);
				pvd_buf_adds(b, "**\n\n");
			}
			for (size_t j = 0; j < bl->nlist; j++) {
				size_t mark = b->len;
				pvd_buf_adds(b, "- ");
				if (tmpl(b, d, &bl->list[j], 0))
					pvd_buf_addc(b, '\n');
				else
					b->len = mark, b->p[mark] = '\0';
			}
			pvd_buf_addc(b, '\n');
			break;
		}
	}
}

/* Every indicator: section, label (id), value, previous, difference. */
static void annex(struct pvd_buf *b, const struct pvd_dash *d)
{
	pvd_buf_adds(b, "## Tableau des indicateurs\n\n| Section | Indicateur | Identifiant | ");
	pvd_fr_period(&d->period, b);
	if (d->have_prev) {
		pvd_buf_adds(b, " | ");
		prev_label(b, d);
		pvd_buf_adds(b, " | Évolution |\n|---|---|---|--:|--:|--:|\n");
	} else {
		pvd_buf_adds(b, " |\n|---|---|---|--:|\n");
	}
	for (size_t i = 0; i < d->nsec; i++)
		for (size_t j = 0; j < d->sec[i].ninds; j++) {
			const struct pvd_dash_ind *in = &d->ind[d->sec[i].inds[j]];
			pvd_buf_adds(b, "| ");
			esc(b, d->sec[i].title);
			pvd_buf_adds(b, " | ");
			esc(b, pvd_dash_label(in));
			pvd_buf_adds(b, " | ");
			esc(b, in->id);
			pvd_buf_adds(b, " | ");
			qty(b, d, in->kind, &in->head.cur, PVD_F_DEFAULT, 0);
			if (d->have_prev) {
				struct pvd_qty df = pvd_qty_diff(&in->head.cur, &in->head.prev);
				pvd_buf_adds(b, " | ");
				qty(b, d, in->kind, &in->head.prev, PVD_F_DEFAULT, 0);
				pvd_buf_adds(b, " | ");
				qty(b, d, in->kind, &df, PVD_F_DEFAULT, 1);
			}
			pvd_buf_adds(b, " |\n");
		}
	pvd_buf_addc(b, '\n');
}

static void file_ref(struct pvd_buf *b, const struct pvd_jnode *p, const char *key, const char *what)
{
	const struct pvd_jnode *f = pvd_j_typed(p, key, PVD_J_OBJ);
	if (!f)
		return;
	pvd_buf_printf(b, "- %s : ", what);
	esc(b, pvd_j_str(f, "path"));
	pvd_buf_adds(b, " (SHA-256 `");
	esc(b, pvd_j_str(f, "sha256"));
	pvd_buf_adds(b, "`)\n");
}

static void sources(struct pvd_buf *b, const struct pvd_dash *d)
{
	const struct pvd_jnode *p = d->provenance, *ins = pvd_j_get(p, "inputs"), *rj = pvd_j_get(p, "rejects");
	pvd_buf_adds(b, "## Sources et traitements\n\n");
	if (pvd_j_str(p, "program")) {
		pvd_buf_adds(b, "- Produit par ");
		esc(b, pvd_j_str(p, "program"));
		pvd_buf_adds(b, " ");
		esc(b, pvd_j_str(p, "version"));
		pvd_buf_addc(b, '\n');
	}
	file_ref(b, p, "pipeline", "Chaîne de traitement");
	file_ref(b, p, "indicators", "Catalogue des indicateurs");
	file_ref(b, p, "previous", "Tableau de bord précédent");
	pvd_buf_adds(b, "\n| Fichier | Source | Lignes | Enregistrements | SHA-256 |\n|---|---|--:|--:|---|\n");
	for (size_t i = 0; i < ins->n; i++) {
		const struct pvd_jnode *o = ins->items[i], *rows = pvd_j_get(o, "rows");
		pvd_buf_adds(b, "| ");
		esc(b, pvd_j_str(o, "path"));
		pvd_buf_adds(b, " | ");
		esc(b, pvd_j_str(o, "source"));
		pvd_buf_adds(b, " | ");
		esc(b, rows ? rows->text : NULL);
		pvd_buf_adds(b, " | ");
		esc(b, pvd_j_get(o, "records")->text);
		pvd_buf_adds(b, " | `");
		esc(b, pvd_j_str(o, "sha256"));
		pvd_buf_adds(b, "` |\n");
	}
	pvd_buf_adds(b, "\n| Étape | Rejetés |\n|---|--:|\n");
	for (size_t k = 0; k < rj->n; k++) {
		pvd_buf_adds(b, "| ");
		esc(b, rj->keys[k]);
		pvd_buf_adds(b, " | ");
		esc(b, rj->items[k]->text);
		pvd_buf_adds(b, " |\n");
	}
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
		prev_label(b, d);
	}
	pvd_buf_adds(b, "\n\n");
	size_t nm = pvd_dash_missing(d, NULL, 0);
	if (nm) {
		size_t *m = xcalloc(nm, sizeof *m);
		pvd_dash_missing(d, m, nm);
		pvd_buf_adds(b, "> Indicateurs non disponibles pour cette période : ");
		for (size_t i = 0; i < nm; i++) {
			pvd_buf_adds(b, i ? ", " : "");
			esc(b, d->ind[m[i]].id);
		}
		pvd_buf_adds(b, ".\n\n");
		free(m);
	}
	for (size_t i = 0; i + 1 < d->nsec; i++)
		section(b, d, &d->sec[i]);
	annex(b, d);
	if (d->provenance)
		sources(b, d);
}
