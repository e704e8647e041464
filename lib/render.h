/* render — the dashboard model (dashboard.h) written out: the consolidated
 * JSON document (render_json.c, described by
 * config/schema/dashboard.schema.json), a self-contained HTML page
 * (render_html.c), a Markdown note (render_md.c) and the CSV indicator table
 * (render_csv.c).  Each renderer appends the whole output to a pvd_buf and
 * never fails; the caller writes it out (atomically, see output.h).
 * render.c holds what several renderers share: the bars of a chart, the
 * rows of a table by breakdown, a section's sentences. */
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
 * columns' breakdown along b->by, sorted by key.  keys[i] and labels[i]
 * are borrowed; the arrays are malloc'd (free both). */
size_t pvd_table_rows(const struct pvd_dash *d, const struct pvd_block *b, const char ***keys,
		      const char ***labels);
/* The group of indicator in along dim with that key, or NULL. */
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
#endif
