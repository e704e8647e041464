/* render — the dashboard model (dashboard.h) written out: the consolidated
 * JSON document (render_json.c, described by
 * config/schema/dashboard.schema.json), a self-contained HTML page
 * (render_html.c), a Markdown note (render_md.c) and the CSV indicator table
 * (render_csv.c).  Each renderer appends the whole output to a pvd_buf and
 * never fails; the caller writes it out (atomically, see output.h).
 * render.c holds what several renderers share: the bars of a chart, the
 * rows of a table by breakdown, a section's sentences, and the walk of
 * the document that the HTML page and the Markdown note share (struct
 * pvd_markup below: each gives only its markup). */
#ifndef PVD_RENDER_H
#define PVD_RENDER_H
#include "buf.h"
#include "dashboard.h"

enum pvd_render_fmt { PVD_RENDER_JSON, PVD_RENDER_HTML, PVD_RENDER_MD, PVD_RENDER_CSV };
/* "json", "html", "md" (or "markdown"), "csv".  Returns 0 or -1. */
int pvd_render_format(const char *name, enum pvd_render_fmt *f);

void pvd_render_json(const struct pvd_dash *d, struct pvd_buf *out);
void pvd_render_html(const struct pvd_dash *d, struct pvd_buf *out);
void pvd_render_md(const struct pvd_dash *d, struct pvd_buf *out);
/* fr: ';' separators, decimal commas and a UTF-8 byte order mark (for
 * Excel); otherwise ',' and '.', no BOM. */
void pvd_render_csv(const struct pvd_dash *d, int fr, struct pvd_buf *out);

/* Escapers (exposed for the unit tests).
 * HTML: & < > " ' as entities, so the text is safe in element content and
 * in quoted attributes; C0 control characters become spaces. */
void pvd_html_escape(struct pvd_buf *b, const char *s, size_t n);
/* Markdown: every character that could start markup (\ ` * _ [ ] < > | #
 * ~ ! and & for entities) backslash-escaped; newlines become spaces, so a
 * value stays inside its table cell or sentence. */
void pvd_md_escape(struct pvd_buf *b, const char *s, size_t n);
/* One CSV cell (RFC 4180 quoting when needed).  text: a text cell that
 * starts with = + - @ tab or CR gets a leading apostrophe so that a
 * spreadsheet shows it instead of evaluating it as a formula. */
void pvd_csv_cell(struct pvd_buf *b, const char *s, size_t n, char sep, int text);

/* ---- shared by the renderers ---- */

/* Periods (period.h) in French: "4e trimestre 2021", "juillet 2021",
 * "31 décembre 2021", "2021". */
void pvd_fr_period(const struct pvd_period *p, struct pvd_buf *b);
/* The last day: "31 décembre 2021". */
void pvd_fr_period_end(const struct pvd_period *p, struct pvd_buf *b);
/* The month a sentence names for a period ("juillet 2021"): a quarter's
 * first month, or its last when last is set; a year is just "2021". */
void pvd_fr_period_month(const struct pvd_period *p, int last, struct pvd_buf *b);

/* v - prev as an exact quantity (state NONE when either is missing, NULL
 * when either is not computable). */
struct pvd_qty pvd_qty_diff(const struct pvd_qty *cur, const struct pvd_qty *prev);
/* Machine text of a quantity of kind k with decimal point `point`:
 * "1426", "3076335.49", "0.869512" (6 decimals, rounded half away from
 * zero).  Appends nothing for NONE/NULL. */
void pvd_qty_text(enum pvd_ukind k, const struct pvd_qty *q, char point, struct pvd_buf *b);
/* French display of a quantity (diff: a difference, signed).  Returns 0,
 * or -1 when the value is missing or not computable (nothing appended). */
int pvd_qty_fr(const struct pvd_dash *d, enum pvd_ukind k, const struct pvd_qty *q, enum pvd_fmt f,
	       int diff, struct pvd_buf *b);

/* Template expansion.  fn receives each piece in order: kind TEXT (literal
 * text from the config), VALUE (a formatted value) or MISSING (the value
 * is not available: text is "non disponible").  Returns 0, or 1 when the
 * template speaks of the previous period and a value it needs is missing:
 * the whole sentence is then left out and fn is not called. */
enum pvd_piece { PVD_P_TEXT, PVD_P_VALUE, PVD_P_MISSING };
typedef void (*pvd_piece_fn)(void *ctx, enum pvd_piece kind, const char *text, size_t n);
int pvd_dash_expand(const struct pvd_dash *d, const struct pvd_tmpl *t, pvd_piece_fn fn, void *ctx);
/* The same as plain text appended to b (returns 1 and appends nothing when left out). */
int pvd_dash_expand_text(const struct pvd_dash *d, const struct pvd_tmpl *t, struct pvd_buf *b);
/* A figure's value as shown (prefix included), or "non disponible". */
void pvd_figure_value(const struct pvd_dash *d, const struct pvd_figure *f, struct pvd_buf *b);


/* One bar of a chart. */
struct pvd_bar {
	const char *label;          /* borrowed from the model or the config */
	enum pvd_ukind kind;
	const struct pvd_qty *cur, *prev;
};
/* The bars of a CHART block (a malloc'd array the caller frees). */
size_t pvd_chart_bars(const struct pvd_dash *d, const struct pvd_block *b, struct pvd_bar **out);
/* Bar length for a value, 0..scale: shares against 100 %, other values
 * against the largest bar (cur or prev) of the chart. */
long pvd_bar_length(const struct pvd_bar *bars, size_t n, const struct pvd_qty *q, long scale);

/* The groups (rows) of a TABLE block: the union of the keys of its
 * columns' breakdown along b->by, sorted by key (a NULL key, the group
 * without one, last).  keys[i] and labels[i] are borrowed; the arrays are
 * malloc'd (free both). */
size_t pvd_table_rows(const struct pvd_dash *d, const struct pvd_block *b, const char ***keys,
		      const char ***labels);
/* How a group is named: its key_label, else its key, else PVD_NO_KEY. */
const char *pvd_group_label(const struct pvd_dash_val *v);
#define PVD_NO_KEY "Non renseigné"
/* The group of indicator in along dim with that key (NULL: the group
 * without a key), or NULL when there is none. */
const struct pvd_dash_val *pvd_dash_group(const struct pvd_dash_ind *in, const char *dim, const char *key);

/* Calls fn for each sentence of a section, as plain text (figures: value
 * then sentence; texts and notes; list items), the previous-period
 * sentences only when they can be said. */
void pvd_section_texts(const struct pvd_dash *d, const struct pvd_section *s,
		       void (*fn)(void *ctx, const char *text, size_t n), void *ctx);
/* The label of a chart item or table column. */
const char *pvd_item_label(const struct pvd_dash *d, const struct pvd_item *it);
/* A section is shown when it has blocks or (the last one) indicators. */
int pvd_section_shown(const struct pvd_dash *d, size_t i);
/* ---- the walker shared by the HTML page and the Markdown note ----
 * Both present the same document (sections of blocks, tables of values,
 * the sources) and differ only in markup: the walk is written once here,
 * and each renderer gives its markup as strings and a few callbacks. */
struct pvd_markup {
	void (*escape)(struct pvd_buf *b, const char *s, size_t n);
	/* a count from the provenance file (rows, records, rejects) */
	void (*num)(struct pvd_buf *b, const struct pvd_jnode *n);
	/* a file of the provenance file: path and SHA-256 */
	void (*file_ref)(struct pvd_buf *b, const struct pvd_jnode *f);
	/* the blocks with a layout of their own */
	void (*figures)(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
	void (*chart)(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
	void (*table)(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
	void (*map)(struct pvd_buf *b, const struct pvd_dash *d, const struct pvd_block *bl);
	const char *value[2], *missing[2]; /* around a sentence's values, missing values */
	const char *na[2];                 /* around "non disponible" in a table cell */
	const char *absent;                /* a table cell for a group the indicator lacks */
	/* a table row: row[0] HEAD head_end, then cell[0] VALUE cell[1] each, row[1];
	 * the total row starts with total_row instead of row[0] */
	const char *row[2], *head_end, *cell[2], *total_row;
	const char *foot;                  /* before a breakdown table's total row */
	const char *total;                 /* its head, already marked up */
	const char *heading[2];            /* a HEADING block */
	const char *text[2], *note[2];     /* TEXT and NOTE blocks */
	const char *previous[2];           /* their previous-period sentence */
	int drop_empty;                    /* leave out a TEXT or NOTE block that says nothing */
	const char *lists[2];              /* around consecutive LIST blocks */
	const char *list[3];               /* a LIST block: before its title, after it, after the items */
	const char *list_title[2];
	const char *item[2];               /* a list item (LIST blocks, the sources) */
	int references;                    /* the sources list the reference files */
};
/* Text from the data or the config, escaped (nothing for NULL). */
void pvd_mk_esc(const struct pvd_markup *m, struct pvd_buf *b, const char *s);
/* A title (when there is one) between open and close. */
void pvd_mk_title(const struct pvd_markup *m, struct pvd_buf *b, const char *open, const char *title,
		  const char *close);
/* open, the template, close; nothing when the template is empty or left
 * out (a sentence about a previous period there is none of).  Returns 1
 * when something was written. */
int pvd_mk_tmpl(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d, const char *open,
		const char *close, const struct pvd_tmpl *t);
/* A quantity as shown in a table ("non disponible" marked up with na). */
void pvd_mk_qty(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d, enum pvd_ukind k,
		const struct pvd_qty *q, enum pvd_fmt f, int diff);
/* The cells of a value: current, and with a previous period the previous
 * one and the change. */
void pvd_mk_compare(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d, enum pvd_ukind k,
		    const struct pvd_qty *cur, const struct pvd_qty *prev, enum pvd_fmt f);
/* The heads of those columns, separated by sep. */
void pvd_mk_compare_heads(struct pvd_buf *b, const struct pvd_dash *d, const char *sep);
/* The blocks of a section. */
void pvd_mk_blocks(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d,
		   const struct pvd_section *s);
/* The rows of a TABLE block: one a group, then foot and the total row. */
void pvd_mk_table_rows(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d,
		       const struct pvd_block *bl);
/* "Indicateurs non disponibles pour cette période : a, b." between open
 * and close, each id between id[0] and id[1]; nothing when none is missing. */
void pvd_mk_missing(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d, const char *open,
		    const char *id[2], const char *close);
/* The items that head the sources: program, pipeline, catalogue,
 * previous dashboard, reference files. */
void pvd_mk_provenance(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d);
/* The rejects by stage, one row each (the "total" one as a total row). */
void pvd_mk_rejects(const struct pvd_markup *m, struct pvd_buf *b, const struct pvd_dash *d);
#endif
