/* fieldmap — where a stage's fields sit in a record, resolved once per
 * record layout instead of by a name search per field per record.
 *
 * A stage that knows the names it reads or writes (a schema's fields, a
 * catalogue's slots, the join fields) asks the map for their indices in each
 * record.  The records of a stream nearly always share one layout (the same
 * names in the same order): the map keeps the names of the record it last
 * resolved, and a record with the same names (a length compare and a memcmp
 * each, no hash) gets the same indices back.  Another layout is resolved
 * again, in n × fields compares (n is the stage's own count of names, so the
 * cost stays linear in the record however many fields it has).
 *
 * The indices are those of the record as it was passed: valid while it only
 * gains fields or changes values (pvd_rec_set*, pvd_rec_add), not after a
 * pvd_rec_del (record.h). */
#ifndef PVD_FIELDMAP_H
#define PVD_FIELDMAP_H
#include "record.h"

struct pvd_fieldmap {
	size_t n;               /* names asked for */
	char **name;
	int *at;                /* per name: index in the last record, or -1 */
	/* the layout resolved: its field names, back to back, and their lengths */
	char *lnames;
	size_t llen, lcap;
	uint32_t *lnl;
	size_t ln, lncap;
	int valid;              /* at[] holds a resolved layout, that of lnames */
	uint64_t stamp;         /* its layout stamp (record.h), 0: none */
	/* the layout resolved before, by its stamp: records often alternate
	 * between two layouts (a field present or not) */
	int *alt_at;
	uint64_t alt_stamp;     /* 0: none */
};

/* The map of n names (copied). */
void pvd_fieldmap_init(struct pvd_fieldmap *m, const char *const *names, size_t n);
void pvd_fieldmap_free(struct pvd_fieldmap *m);
/* The index in r of each name (m->n of them, in the order given; -1: absent). */
const int *pvd_fieldmap_resolve(struct pvd_fieldmap *m, const struct pvd_record *r);
/* Field k of r (after pvd_fieldmap_resolve on r), or NULL. */
static inline const struct pvd_field *pvd_fieldmap_get(const struct pvd_fieldmap *m, size_t k,
						       const struct pvd_record *r)
{
	return m->at[k] >= 0 ? &r->f[m->at[k]] : NULL;
}
#endif
