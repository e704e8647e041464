/* joinfields — the fields a record carries whatever its dataset, declared
 * once: its provenance (_file, _line, _dataset, _source: see record.h) and
 * what pvd-join adds (join.h).  pvd-join writes them by these names; the
 * indicator catalogue (indicator.h) knows them, with these types, in every
 * dataset, beside the fields of the dataset's schema (schema.h).
 *
 * A new field written by pvd-join is added here and nowhere else. */
#ifndef PVD_JOINFIELDS_H
#define PVD_JOINFIELDS_H
#include "schema.h"

enum pvd_jf {
	PVD_JF_FILE, PVD_JF_LINE, PVD_JF_DATASET, PVD_JF_SOURCE,  /* provenance */
	PVD_JF_COMMUNE_INSEE, PVD_JF_COMMUNE_NOM, PVD_JF_COMMUNE_DEP, PVD_JF_COMMUNE_DEP_NOM,
	PVD_JF_COMMUNE_REG, PVD_JF_COMMUNE_REG_NOM, PVD_JF_COMMUNE_EPCI, PVD_JF_COMMUNE_EPCI_NOM,
	PVD_JF_COLLECTIVITE,    /* the commune's code, or the EPCI's SIREN */
	PVD_JF_PVD,             /* in the programme list of the period */
	PVD_JF_ID_PVD,
	PVD_JF_PVD_COMMUNES,    /* the PVD communes the record concerns (list of codes) */
	PVD_JF_MATCH,           /* how: code, old-code, name, epci (null: no match) */
	PVD_JF_REMAPPED_FROM,   /* the old or arrondissement code the record gave */
	PVD_JF_MATCH_ERROR, PVD_JF_MATCH_MESSAGE,  /* left and anti modes: why nothing matched */
	PVD_JF_N
};

struct pvd_joinfield {
	const char *name;
	enum pvd_ftype type;    /* as a schema would type it */
};
extern const struct pvd_joinfield pvd_joinfields[PVD_JF_N];

/* The field of that name, or NULL. */
const struct pvd_joinfield *pvd_joinfield_find(const char *name);
#endif
