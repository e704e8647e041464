/* textnorm — text cleaning and the folded keys used to match names.
 *
 * pvd_text_clean: trims and collapses white space (ASCII, tab, newline,
 * U+00A0, U+202F, U+2009) into single spaces; accents and case are kept.
 * pvd_fold: a matching key: lower case, accents removed (é→e, œ→oe, ß→ss),
 * every run of other characters (spaces, punctuation, apostrophes, hyphens)
 * turned into one separator `sep` (or dropped when sep is 0), trimmed.
 *   pvd_fold("Signée ?", 0)            → "signee"
 *   pvd_fold("Bénéficiaire - Code INSEE", 0) → "beneficiairecodeinsee"
 *   pvd_fold("Saint-Étienne-du-Bois", ' ')   → "saint etienne du bois" */
#ifndef PVD_TEXTNORM_H
#define PVD_TEXTNORM_H
#include "buf.h"

void pvd_text_clean(const char *s, size_t n, struct pvd_buf *out);
void pvd_fold(const char *s, size_t n, char sep, struct pvd_buf *out);
/* Trims the white space pvd_text_clean collapses from both ends of s (n
 * bytes): advances *s and returns the new length.  Copies nothing. */
size_t pvd_trim(const char **s, size_t n);
/* Decodes one UTF-8 code point at s (n bytes available); returns its length,
 * or 0 for an invalid sequence (*cp untouched). */
int pvd_utf8_decode(const unsigned char *s, size_t n, unsigned *cp);
/* Length of the longest valid UTF-8 prefix of s. */
size_t pvd_utf8_valid_prefix(const char *s, size_t n);
/* The candidate closest to word by edit distance (a typo: at most 2 edits,
 * fewer for short words), for "did you mean ..."; NULL when none is close. */
const char *pvd_nearest(const char *word, const char *const *cand, size_t n);
#endif
