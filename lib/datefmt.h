/* datefmt — the dates of raw exports, read into calendar dates.
 *
 * Owned by pvd-clean.  Accepted forms (separators '/', '-' or '.', the same
 * twice; day and month on one or two digits; years on four):
 *   dd/mm/yyyy  dd-mm-yyyy  yyyy-mm-dd  yyyy/mm/dd
 *   any of those followed by a time: " hh:mm", " hh:mm:ss", ISO "Thh:mm:ss.fffZ"
 *   or "+01:00" (checked, then dropped: the date is the one written)
 *   5 janvier 2021, 1er mars 2021, 5 janv. 2021 (French month names)
 *   month only: mm/yyyy, mm-yyyy, yyyy-mm, janvier 2021 → precision month
 *   Excel serial numbers (1900 system), only when the source says so:
 *   44197 → 2021-01-01; 44197.75 (a time of day) too; serial 60 is the
 *   1900-02-29 that does not exist (Lotus' leap-year bug) and is refused.
 * Impossible dates (31/02/2021, 29/02/2021) are refused, with the reason.
 * Years outside 1900..2100 are refused as implausible for this programme. */
#ifndef PVD_DATEFMT_H
#define PVD_DATEFMT_H
#include "buf.h"
#include <stddef.h>

enum pvd_date_prec { PVD_PREC_DAY, PVD_PREC_MONTH };

struct pvd_date {
	int y, m, d;                /* d is 0 for a month */
	enum pvd_date_prec prec;
};

enum {
	PVD_DATE_OK = 0,
	PVD_DATE_EMPTY,   /* nothing but white space */
	PVD_DATE_BAD,     /* not a date (why says how) */
};

#define PVD_DATE_EXCEL 1u   /* flag: accept Excel serial numbers */
#define PVD_DATE_IN_TEXT 2u /* flag: a date inside a text ("Espace labellisé
			     * 01/01/2020"): the first run of digits and date
			     * marks that reads as a date */

/* Parses s (n bytes).  On PVD_DATE_BAD, why (whylen bytes, may be NULL)
 * receives the detail, "" when there is none to add to "not a date":
 * "February 2021 has 28 days", "two-digit year: which century?"... */
int pvd_date_parse(const char *s, size_t n, unsigned flags, struct pvd_date *d, char *why,
		   size_t whylen);
/* Appends "YYYY-MM-DD" or "YYYY-MM". */
void pvd_date_format(const struct pvd_date *d, struct pvd_buf *out);
/* Days in month m (1..12) of year y (proleptic Gregorian). */
int pvd_days_in_month(int y, int m);
/* The date of Excel serial n (1900 system), n >= 1, n != 60.  Returns 0, or
 * -1 for 0, 60 or out of range. */
int pvd_excel_date(long n, struct pvd_date *d);
#endif
