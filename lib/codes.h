/* codes — official codes of raw exports: INSEE commune codes, département
 * codes, SIREN (and SIRET) numbers, checked and put in canonical form.
 *
 * Owned by pvd-clean.  These check the shape of a code only: whether a
 * well-formed code names a real commune is pvd-join's business.
 *   insee: 01004, 2A004 (2a004 → 2A004), 1004 → 01004 (a spreadsheet ate
 *          the zero), "1004.0" → 01004; 20xxx (Corsica before 1976) is
 *          ambiguous; the département part must exist (01-19, 21-95, 2A,
 *          2B, 971-978, 984-988: no 00, 96, 99 "abroad", 999999 junk).
 *   dep:   1, 01, 001, 1.0 → 01; 2a, 02A, 20A → 2A; 971, 0971 → 971; 20 ambiguous.
 *   siren: 9 digits once spaces are removed, Luhn check digit; a SIRET (14
 *          digits, checked) reduces to its SIREN when the caller allows it.
 *          La Poste's establishments (SIRET 356000000xxxxx) are numbered by
 *          another rule: the sum of the 14 digits is a multiple of 5. */
#ifndef PVD_CODES_H
#define PVD_CODES_H
#include <stddef.h>

enum {
	PVD_CODE_OK = 0,
	PVD_CODE_EMPTY,      /* nothing but white space */
	PVD_CODE_BAD,        /* not a code of that kind (why says how) */
	PVD_CODE_AMBIGUOUS,  /* well formed but ambiguous (old Corsica "20") */
};

/* out receives the canonical code, NUL-terminated: 6 bytes for insee, 4 for
 * dep, 10 for siren.  On PVD_CODE_BAD / PVD_CODE_AMBIGUOUS, *why (why may be
 * NULL) is set to a static detail ("too long", "bad check digit") or NULL. */
int pvd_insee_norm(const char *s, size_t n, char out[6], const char **why);
int pvd_dep_norm(const char *s, size_t n, char out[4], const char **why);
#define PVD_SIREN_SIRET 1u /* flag: a SIRET is reduced to its SIREN */
int pvd_siren_norm(const char *s, size_t n, unsigned flags, char out[10], const char **why);

/* Luhn check over n ASCII digits (1 when valid). */
int pvd_luhn_ok(const char *d, size_t n);
/* A 14-digit SIRET's check (Luhn, or La Poste's rule). */
int pvd_siret_ok(const char d[14]);
#endif
