/* amount — the amounts of raw exports, read exactly into int64 cents.
 *
 * Owned by pvd-clean.  Accepted forms (spaces may be ASCII, U+00A0, U+202F
 * or U+2009; a group separator is followed by exactly three digits):
 *   3 076 335,49 €   3076335.49   97669,34   19 180   1.234.567,89
 *   1,234,567.89   ,5   1,2 M€   3,3 M€   12 k€   2 Md€   € 12   12 EUR
 *   -12,50   − 12,50   (12,50)   (accounting notation: negative)
 * Which mark is the decimal one: when both ',' and '.' occur, the last; a
 * single ',' or a single '.' is decimal; a mark that occurs several times
 * groups thousands ("12,3,4" is not an amount).  A source whose sheets write
 * "1.234" for a thousand says so (decimal comma: a '.' only groups).
 * Digits beyond the cent (spreadsheet formulas: "13621.544") are rounded half
 * away from zero, exactly, in decimal; the caller is told.  No locale, no
 * floating point, overflow checked. */
#ifndef PVD_AMOUNT_H
#define PVD_AMOUNT_H
#include <stddef.h>
#include <stdint.h>

enum pvd_decimal {
	PVD_DEC_AUTO,   /* as above */
	PVD_DEC_COMMA,  /* ',' is the decimal mark; '.' only groups thousands */
	PVD_DEC_POINT,  /* '.' is the decimal mark; ',' only groups thousands */
};

enum {
	PVD_AMT_OK = 0,
	PVD_AMT_EMPTY,  /* nothing but white space: a missing value, not zero */
	PVD_AMT_BAD,    /* not an amount */
	PVD_AMT_RANGE,  /* more than int64 cents */
};

/* Parses s (n bytes, UTF-8) into *cents.  *rounded (may be NULL) is set to 1
 * when non-zero digits beyond the cent were rounded away, else 0.  Returns
 * one of PVD_AMT_*. */
int pvd_amount_parse(const char *s, size_t n, enum pvd_decimal dec, int64_t *cents, int *rounded);

/* Whole numbers (counts, years, populations): "1004", "-3", "+3", "12 345"
 * (spaces of any kind grouping thousands), "3439.0" (a spreadsheet's
 * float).  No unit, no other decimals.  Returns one of PVD_AMT_*. */
int pvd_int_parse(const char *s, size_t n, int64_t *v);
#endif
