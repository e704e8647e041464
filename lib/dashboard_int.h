/* dashboard_int — what the modules of the dashboard share and its API
 * (dashboard.h) does not show:
 *   dashboard.c       the model: indicator slots, the sink of pvd-aggregate's
 *                     records, sorting, freeing, the lineage summary;
 *   dashboard_conf.c  loading config/dashboard.yaml: sections, blocks and
 *                     their sentence templates (expanded by render.c);
 *   dashboard_prev.c  reading the previous quarter's document and the
 *                     runner's provenance file. */
#ifndef PVD_DASHBOARD_INT_H
#define PVD_DASHBOARD_INT_H
#include "dashboard.h"
#include "strset.h"

struct pvd_dash_map {
	struct pvd_strset ids;  /* indicator id → index in d->ind (same order) */
	struct pvd_strset seen; /* "id\0dim\0key" of every record taken */
};

/* dashboard.c */
/* A new indicator slot (in section `section`; configured: listed in
 * dashboard.yaml); its index. */
size_t pvd_dash_ind_new(struct pvd_dash *d, const char *id, size_t section, int configured);
/* Index of the indicator id, or -1. */
long pvd_dash_ind_find(const struct pvd_dash *d, const char *id);
/* The exact quantity of a value of kind k from its texts (value NULL =
 * null; num/den may be NULL): NULL, or "field: what is wrong".  The one
 * reader of a value, for records and for the previous document. */
const char *pvd_dash_qty_parse(enum pvd_ukind k, const char *value, const char *num, const char *den,
			       struct pvd_qty *q);
/* qsort/bsearch order of struct pvd_dash_val: pvd_key_cmp of their keys. */
int pvd_dash_val_cmp(const void *a, const void *b);
/* Adds a warning to d->warnings (the caller prints them: lib never prints). */
void pvd_dash_warn(struct pvd_dash *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* dashboard_conf.c */
/* Frees the sections and their blocks (what pvd_dash_load made). */
void pvd_dash_sections_free(struct pvd_dash *d);
#endif
