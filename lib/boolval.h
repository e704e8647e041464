/* boolval — yes/no answers of raw exports.
 *
 * Owned by pvd-clean.  Matched on pvd_fold keys (case, accents, spaces and
 * punctuation do not matter):
 *   true:    oui o x 1 true vrai yes y
 *   false:   non n 0 false faux no
 *   unknown: inconnu nsp "ne sait pas" nc "non communique" nr "non renseigne"
 *            and a value with no letter or digit ("?", "-"): unknown is not
 *            false, it is null. */
#ifndef PVD_BOOLVAL_H
#define PVD_BOOLVAL_H
#include <stddef.h>

enum {
	PVD_BOOL_FALSE = 0,
	PVD_BOOL_TRUE = 1,
	PVD_BOOL_UNKNOWN = 2,  /* also an empty value */
	PVD_BOOL_BAD = 3,      /* not a yes/no answer */
};

int pvd_bool_parse(const char *s, size_t n);
#endif
