/* unit — the units of an indicator's value, defined once.
 *
 * The catalogue (indicator.h) checks each indicator's unit against its
 * measure; the dashboard (dashboard.h) formats a value by the kind of its
 * unit.  A unit is one of the count units (communes, conventions,
 * collectivites, postes, structures, personnes, nombre: a whole number of
 * things), eur (exact cents), part (a share) or moyenne (a mean).  The
 * JSON Schema of the dashboard (config/schema/dashboard.schema.json) lists
 * them too: test_units checks that it lists these. */
#ifndef PVD_UNIT_H
#define PVD_UNIT_H
#include <stddef.h>

enum pvd_ukind { PVD_UK_COUNT, PVD_UK_EUR, PVD_UK_PART, PVD_UK_MOYENNE };

/* Every unit, in the order messages list them. */
#define PVD_UNIT_LIST "communes, conventions, collectivites, postes, structures, personnes, nombre, eur, part, moyenne"

/* The kind of a unit into *k: 0, or -1 when it is not a unit. */
int pvd_unit_kind(const char *unit, enum pvd_ukind *k);
/* 1 for a count unit, else 0. */
int pvd_unit_is_count(const char *unit);
/* The i-th unit in PVD_UNIT_LIST order, NULL past the last. */
const char *pvd_unit_name(size_t i);
#endif
