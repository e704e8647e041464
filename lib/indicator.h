/* indicator — the indicator catalogue (config/indicators.yaml), loaded and
 * checked against the datasets it reads.
 *
 * The catalogue is data, not C: each indicator says which dataset it reads,
 * which records it keeps (where + the period's date rule), what it measures
 * (count, distinct values, exact sum, mean, last value, ratio of two
 * measures) and how it is broken down.  Templates (`for:`) expand one entry
 * into several ids.  Loading compiles it into:
 *   - accumulators (struct pvd_acc): one per measure over one dataset, the
 *     unit of work of the aggregate engine (an inline ratio operand is an
 *     accumulator of its own, named "<id>#num" / "<id>#den");
 *   - indicators (struct pvd_ind): what is emitted, in catalogue order, each
 *     pointing at its accumulator (or at two for a ratio).
 * The fields a dataset has, and their types and codes, are those of its
 * pvd-clean schema (config/datasets/NAME.yaml, schema.h) and the provenance
 * and join fields (joinfields.h); the catalogue's `datasets:` says only
 * which date the period rule reads and what undated records do.
 * Every reference is resolved and every field, value, measure and unit
 * checked at load time: a bad catalogue is a config error naming
 * FILE:LINE:COL, never a surprise half way through a quarter's data.
 * The syntax is documented at the top of config/indicators.yaml.
 *
 * The catalogue owns everything it points to; pvd_catalog_free() frees it. */
#ifndef PVD_INDICATOR_H
#define PVD_INDICATOR_H
#include "diag.h"
#include "period.h"
#include "schema.h"
#include "strset.h"
#include "unit.h"
#include <stdint.h>

struct pvd_dataset {
	char *name;
	char *date;             /* the field the period rule reads, NULL: none */
	int undated_count;      /* a record without that date counts (1) or not (0) */
	struct pvd_schema schema;  /* its fields and types: config/datasets/<name>.yaml */
	/* Compiled: the accumulators reading this dataset, and the record
	 * fields they read (slots: a record's fields are looked up once). */
	size_t *accs, naccs, acap;
	struct pvd_strset slots;
	unsigned char *slot_money;  /* per slot: 1 eur amount, 2 int, 0 neither */
	unsigned char *slot_date;   /* per slot read by a date rule: 1 a date, 2 a period text (a text field) */
	size_t slotcap;
};

struct pvd_dim {
	char *name;             /* "reg" */
	char *key, *label;      /* record fields: "commune_reg", "commune_reg_nom" (label may be NULL) */
	struct pvd_strset lkeys;/* static labels: key → label (labels[id]) */
	char **labels;
};

enum pvd_cop { PVD_C_EQ, PVD_C_NE, PVD_C_NULL, PVD_C_NOTNULL, PVD_C_GE, PVD_C_GT, PVD_C_LE, PVD_C_LT };

struct pvd_cond {
	enum pvd_cop op;
	int slot;
	char **vals;            /* EQ / NE: any of these (one or more); compare: vals[0] */
	size_t nvals;
	int isnum;              /* compare: vals[0] is a whole number (num) */
	int64_t num;
};

enum pvd_mkind { PVD_M_COUNT, PVD_M_DISTINCT, PVD_M_SUM, PVD_M_MEAN, PVD_M_LAST, PVD_M_RATIO };

struct pvd_acc {
	char *name;             /* indicator id, or "<id>#num" / "<id>#den" */
	size_t ds;              /* dataset index */
	enum pvd_mkind kind;    /* COUNT, DISTINCT, SUM, MEAN or LAST */
	int *fields;            /* slots: DISTINCT tuple, or the one SUM/MEAN/LAST field */
	size_t nfields;
	int eur;                /* SUM/MEAN/LAST over an eur field (cents) rather than an int */
	struct pvd_cond *conds;
	size_t nconds;
	int date_slot, prec_slot;  /* -1: no date rule */
	int undated_count;
	int flow;               /* date rule: within the period (1) or up to its end (0, a stock) */
	size_t *dims, ndims;    /* breakdown dimensions */
	int *dim_key, *dim_label;  /* per dim: slots (label -1 when none) */
};

struct pvd_ind {
	char *id, *label, *unit;
	char *description;      /* what is counted, the date rule, a share's denominator (French); NULL: none */
	enum pvd_mkind kind;
	size_t acc;             /* non-ratio: its accumulator */
	size_t num, den;        /* RATIO: accumulators */
	size_t *dims, ndims;
	long line, col;
};

struct pvd_catalog {
	char *file;
	char fingerprint[17];   /* hash of the bytes of the catalogue and its schemas: states of other catalogues do not merge */
	struct pvd_period period;
	struct pvd_dataset *ds;
	size_t nds;
	struct pvd_strset dsnames;
	struct pvd_dim *dims;
	size_t ndims;
	struct pvd_acc *accs;
	size_t naccs, acccap;
	struct pvd_strset accnames;
	struct pvd_ind *inds;
	size_t ninds, indcap;
	char **pool;            /* strings owned by the catalogue */
	size_t npool, poolcap;
};

/* The default catalogue: indicators.yaml of the config directory
 * (confpath.h).  malloc'd. */
char *pvd_catalog_default(void);
/* Where a catalogue's dataset schemas are: the directory datasets/ beside
 * it, when there (malloc'd), else NULL (then each is looked up as pvd-clean
 * does: config/datasets/NAME.yaml of the config directory, confpath.h). */
char *pvd_catalog_schema_dir(const char *catalog);

/* Loads and compiles path for the given period (templates may use {period},
 * {period_start}, {period_end}, {period_year}).  Each dataset it reads is
 * typed by its pvd-clean schema (schema.h), loaded from schema_dir
 * (pvd_catalog_schema_dir) or, when NULL, from the config directory.
 * Returns 0, or PVD_EX_CONFIG (FILE:LINE:COL in e) / PVD_EX_NOINPUT. */
int pvd_catalog_load(struct pvd_catalog *c, const char *path, const struct pvd_period *period,
		     const char *schema_dir, struct pvd_err *e);
void pvd_catalog_free(struct pvd_catalog *c);

/* A canonical whole number ("-12": no sign +, no spaces, no decimals) into *v; -1 when
 * it is not one or overflows int64. */
int pvd_canon_int_parse(const char *s, size_t n, int64_t *v);
#endif
