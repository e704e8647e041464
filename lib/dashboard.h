/* dashboard — the quarterly dashboard as a document model.
 *
 * Configuration (config/dashboard.yaml, documented in the file itself): the
 * display rules (how shares are rounded, which month names a quarter), and
 * the sections in order, each with the indicator ids it holds, in order, and
 * the blocks that present them: headings, headline figures with their
 * sentences, paragraphs, notes, bar charts, tables by breakdown, lists.  The
 * sentences are templates: "{conventions.communes}" is the formatted value,
 * "{ort.communes_part@previous}" the previous quarter's, "{x@difference}"
 * the change, "{@previous_month}" the month of the previous period
 * ("juillet 2021"); see pvd_dash_expand() in render.h.
 *
 * Model: pvd_dash_load() reads the configuration and creates one slot per
 * configured indicator.  pvd-aggregate's records are fed to the dashboard's
 * sink (pvd_dash_sink_init), which validates each one and rejects what it
 * cannot use; pvd_dash_finish() sorts; pvd_dash_previous() attaches the
 * previous quarter's document (pvd-render's own JSON) and
 * pvd_dash_provenance() the runner's provenance file.  Renderers (render.h)
 * only read the model.
 *
 * Quantities are exact: value = n / d with d = 1 for counts, d = 100 (n in
 * cents) for amounts, and num/den for shares and means.
 *
 * Modules: dashboard_conf.c loads the configuration (templates included),
 * dashboard.c is the model and its sink, dashboard_prev.c reads the previous
 * document and the provenance file; dashboard_int.h is what they share.
 *
 * OWNERSHIP: struct pvd_dash owns everything reachable from it (strings,
 * arrays, the provenance tree); pvd_dash_free() releases it all. */
#ifndef PVD_DASHBOARD_H
#define PVD_DASHBOARD_H
#include "buf.h"
#include "diag.h"
#include "frfmt.h"
#include "jtree.h"
#include "period.h"
#include "reject.h"
#include "sink.h"
#include "stats.h"
#include "unit.h"
#include <stdint.h>

enum pvd_qstate { PVD_Q_NONE, PVD_Q_NULL, PVD_Q_VALUE };
struct pvd_qty {
	enum pvd_qstate state; /* NONE: no such value; NULL: not computable (den 0) */
	int64_t n, d;          /* see above; for a NULL share, num/den as read */
	int nd;                /* num/den are known (shares and means) */
};

/* How a value is shown (config: format:). */
enum pvd_fmt {
	PVD_F_DEFAULT,    /* by unit: number, eur, percent, decimal */
	PVD_F_NUMBER,     /* 1 426 */
	PVD_F_PERCENT,    /* the rounding rule: 87 %, 6,4 % */
	PVD_F_PERCENT0,   /* whole percent */
	PVD_F_PERCENT1,   /* one decimal */
	PVD_F_COMPLEMENT, /* 1 - share, as PERCENT: 15 % */
	PVD_F_EUR,        /* 7 818 107 €, 3 076 335,49 € */
	PVD_F_EUR_CENTS,  /* 7 818 107,00 € */
	PVD_F_EUROS,      /* rounded to the euro */
	PVD_F_MEUR,       /* 50,6 M€ */
	PVD_F_DECIMAL,    /* a mean: 2,4 */
	PVD_F_RANGE,      /* a mean between two whole numbers: "2 et 3" */
	PVD_F_POINTS,     /* a difference of shares: +0,4 pt */
};
enum pvd_which { PVD_W_CUR, PVD_W_PREV, PVD_W_DIFF };
enum pvd_docvar { PVD_D_PERIOD, PVD_D_PERIOD_END, PVD_D_PERIOD_MONTH, PVD_D_PREVIOUS_PERIOD,
		  PVD_D_PREVIOUS_MONTH };

/* One piece of a template: literal text, an indicator's value, or a
 * document variable. */
struct pvd_seg {
	enum { PVD_SEG_TEXT, PVD_SEG_VALUE, PVD_SEG_DOC } kind;
	char *text;           /* TEXT */
	size_t ind;           /* VALUE: indicator index */
	enum pvd_which which; /* VALUE */
	enum pvd_fmt fmt;     /* VALUE */
	enum pvd_docvar var;  /* DOC */
};
struct pvd_tmpl {
	struct pvd_seg *s;
	size_t n;             /* 0: no template */
};

struct pvd_figure {
	char *title;          /* small caption above the value, or NULL */
	char *prefix;         /* "+ de", "Entre", or NULL */
	size_t ind;
	enum pvd_fmt fmt;
	struct pvd_tmpl text, previous;
};
struct pvd_item {             /* a chart bar or a table column */
	size_t ind;
	char *label;          /* NULL: the indicator's own label */
	enum pvd_fmt fmt;     /* TABLE column: how its values are shown */
};
enum pvd_btype { PVD_B_HEADING, PVD_B_FIGURES, PVD_B_TEXT, PVD_B_NOTE, PVD_B_CHART, PVD_B_TABLE,
		 PVD_B_LIST, PVD_B_MAP };
struct pvd_block {
	enum pvd_btype type;
	char *title;               /* HEADING: its text; CHART, TABLE, LIST: title or NULL */
	struct pvd_tmpl text, previous; /* TEXT, NOTE; previous: said only with a previous period */
	struct pvd_figure *fig;    /* FIGURES */
	size_t nfig;
	struct pvd_item *items;    /* CHART bars / TABLE columns */
	size_t nitems;
	int has_of;                /* CHART: bars are the groups of indicator `of` along `by` */
	size_t of;
	char *by;                  /* CHART with has_of, TABLE: the breakdown dimension */
	char *header;              /* TABLE: heading of the groups' column ("Région") */
	int compare;               /* CHART: also draw the previous period's bars */
	enum pvd_fmt fmt;          /* CHART: format of the values */
	struct pvd_tmpl *list;     /* LIST */
	size_t nlist;
	struct pvd_map_geo *geo;   /* MAP: the geometry (render_map.h), of: and by: as a chart */
	char *geo_file;            /* MAP: the file it was read from (pvd-run --print-deps) */
	char *attribution;         /* MAP: the credit the geometry's licence asks for */
};
struct pvd_section {
	char *id, *title;
	size_t *inds, ninds;       /* indicators, in order */
	struct pvd_block *b;
	size_t nb;
};

struct pvd_dash_val {
	char *key, *key_label;     /* breakdown group: key NULL for the group without a
				    * value of the dimension (and for the headline) */
	struct pvd_qty cur, prev;
	long long records;         /* -1 when not given */
};
struct pvd_dash_dim {
	char *name;                /* "reg", "dep", "partenaire"... */
	struct pvd_dash_val *v;    /* sorted by key (pvd_key_cmp) after pvd_dash_finish() */
	size_t n, cap;
};
struct pvd_dash_ind {
	char *id, *label, *unit;   /* label, unit: NULL until a record gives them */
	char *description;         /* the catalogue's definition (the headline record's), or NULL */
	enum pvd_ukind kind;
	size_t section;
	int configured;            /* listed in dashboard.yaml */
	int present;               /* its headline record was read */
	struct pvd_dash_val head;
	struct pvd_dash_dim *dims;
	size_t ndims, capdims;
	char **datasets, **inputs;
	size_t ndatasets, ninputs;
};

struct pvd_dash_map; /* private hash tables */
struct pvd_map_geo;
struct pvd_lin_summary;

struct pvd_dash {
	/* configuration */
	char *conf_file;
	char *title, *programme, *organisation;
	struct pvd_pct_rule pct;
	int moyenne_decimals, millions_decimals;
	int quarter_last_month;    /* a quarter is named by its last month, not its first */
	struct pvd_section *sec;   /* the last one holds indicators the config does not list */
	size_t nsec;
	/* model */
	struct pvd_dash_ind *ind;
	size_t nind, capind;
	int have_period, have_prev;
	struct pvd_period period, prev_period;
	struct pvd_jnode *provenance; /* NULL when none */
	struct pvd_lin_summary *lineage; /* the run's lineage, per file (lineage.h); NULL when none */
	char *provenance_name;
	char **warnings;           /* for the caller to print */
	size_t nwarnings;
	struct pvd_dash_map *map;
};

/* Loads the configuration (path; NULL: dashboard.yaml in the config
 * directory, see confpath.h).  Returns 0 or PVD_EX_CONFIG. */
int pvd_dash_load(struct pvd_dash *d, const char *path, struct pvd_err *e);
void pvd_dash_free(struct pvd_dash *d);

/* The sink that fills the model: every record put is either taken
 * (st->out) or rejected (st->rejected, through rj) — never a fatal error. */
struct pvd_dash_sink {
	struct pvd_sink base;
	struct pvd_dash *d;
	struct pvd_rejects *rj;
	struct pvd_stats *st;
	struct pvd_buf tmp;
};
void pvd_dash_sink_init(struct pvd_dash_sink *s, struct pvd_dash *d, struct pvd_rejects *rj,
			struct pvd_stats *st);
void pvd_dash_sink_free(struct pvd_dash_sink *s);

/* After the last record: sorts breakdown groups and the unlisted
 * indicators.  Returns 0, or PVD_EX_DATA when no record was usable (the
 * period is unknown: nothing to render). */
int pvd_dash_finish(struct pvd_dash *d, struct pvd_err *e);
/* Reads the previous quarter's document and attaches its values.
 * Returns 0, PVD_EX_NOINPUT, PVD_EX_IO or PVD_EX_DATA (not a dashboard
 * document, or not for an earlier period). */
int pvd_dash_previous(struct pvd_dash *d, const char *path, struct pvd_err *e);
/* Reads and checks the runner's provenance file (shape in
 * config/schema/provenance.schema.json).  Same statuses. */
int pvd_dash_provenance(struct pvd_dash *d, const char *path, struct pvd_err *e);
/* Reads the run's lineage (pvd-aggregate --lineage) into per-file counts:
 * the page shows, under each figure, its records per source file.  Same
 * statuses. */
int pvd_dash_lineage(struct pvd_dash *d, const char *path, struct pvd_err *e);

/* Order of group keys: bytewise, the null key (no value) last. */
int pvd_key_cmp(const char *a, const char *b);
/* Configured indicators without a headline record, in config order. */
size_t pvd_dash_missing(const struct pvd_dash *d, size_t *out, size_t cap);
/* Label to show: the data's, else the id. */
const char *pvd_dash_label(const struct pvd_dash_ind *ind);

#define PVD_NA "non disponible"
#define PVD_NC "non calculable"
#endif
