/* reftable — the reference CSV tables of pvd-join, read whole and validated.
 *
 * The PVD list of the period and the COG tables (communes, old codes of
 * merged communes, delegated/associated communes, EPCI, départements,
 * régions) are CSV files read once at start-up, through csvread.h (libcsv,
 * strict quoting; UTF-8 or Windows-1252 and the delimiter detected, so a
 * list saved by hand from a spreadsheet reads too).  Each kind of table is
 * described here by its columns: the header names accepted for each
 * (compared folded, so "Insee_Com" is "insee_com"), the shape its values
 * must have, and whether a row is usable without it.  pvd_reftab_load reads
 * a file, finds the columns and checks every row:
 *   - a row that cannot be used (a required value missing or malformed, too
 *     few or too many cells, broken quoting, a byte that cannot be decoded)
 *     is marked skipped, with one warning "FILE:LINE: column: message";
 *   - an optional value that is malformed is warned about and read as
 *     missing;
 *   - a column declared "count missing" gets one summary warning at the
 *     line of its first missing value ("id_pvd: missing on 585 rows...").
 * Only a file that cannot be used at all (cannot be read, no header, a
 * required column absent) is an error: PVD_EX_CONFIG with the position.
 * lib/ never prints: warnings go to a struct pvd_reflog the caller prints.
 *
 * Missing values: an empty cell, or the marker NA that R writes unquoted.
 * (The reader does not say whether a cell was quoted, so a quoted "NA" is
 * missing too; no code, name or id of these tables is "NA".)
 *
 * Ownership: a table owns its strings (header, cells, file name) until
 * pvd_reftab_free; a log owns its warnings until pvd_reflog_free. */
#ifndef PVD_REFTABLE_H
#define PVD_REFTABLE_H
#include "diag.h"
#include <stddef.h>

/* --- warnings ----------------------------------------------------------- */

struct pvd_refwarn {
	char *file;   /* as opened */
	long line;    /* 0 when the warning is about the whole file */
	char *field;  /* column (header as written) or NULL */
	char *msg;
};
struct pvd_reflog {
	struct pvd_refwarn *w;
	size_t n, cap;
};
void pvd_reflog_add(struct pvd_reflog *log, const char *file, long line, const char *field,
		    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Orders the warnings file by file (in the order files first appear), then
 * by line (warnings about a whole file last), keeping the order of equals. */
void pvd_reflog_sort(struct pvd_reflog *log);
void pvd_reflog_free(struct pvd_reflog *log);

/* --- string pool: strings that never move (blocks, freed together) ----- */

struct pvd_strpool {
	struct pvd_poolblock *head;
};
const char *pvd_strpool_dup(struct pvd_strpool *p, const char *s, size_t n);
void pvd_strpool_free(struct pvd_strpool *p);

/* --- the tables we know -------------------------------------------------- */

enum pvd_reftab_kind {
	PVD_TAB_PVD,        /* the PVD list of a period */
	PVD_TAB_COMMUNES,   /* COG: current communes */
	PVD_TAB_OLDCODES,   /* COG: old code → current code */
	PVD_TAB_SUBS,       /* COG: delegated / associated communes, municipal arrondissements */
	PVD_TAB_EPCI,       /* COG: EPCI */
	PVD_TAB_DEPS,       /* COG: départements */
	PVD_TAB_REGS,       /* COG: régions */
};
/* Columns of each kind, in the order of the table's column list. */
enum { PVD_PVD_CODE, PVD_PVD_ID, PVD_PVD_NOM, PVD_PVD_DEP, PVD_PVD_EPCI };
enum { PVD_COM_CODE, PVD_COM_NOM, PVD_COM_DEP, PVD_COM_DEP_NOM, PVD_COM_REG, PVD_COM_REG_NOM,
       PVD_COM_EPCI, PVD_COM_EPCI_NOM };
enum { PVD_OLD_CODE, PVD_OLD_CUR };
enum { PVD_SUB_CODE, PVD_SUB_NOM, PVD_SUB_TYPE, PVD_SUB_PARENT };
enum { PVD_EPCI_SIREN, PVD_EPCI_NOM, PVD_EPCI_NB };
enum { PVD_DEP_CODE, PVD_DEP_NOM, PVD_DEP_REG };
enum { PVD_REG_CODE, PVD_REG_NOM };
#define PVD_REFTAB_MAXCOLS 8

struct pvd_reftab {
	enum pvd_reftab_kind kind;
	char *file;                     /* path as opened, for messages */
	size_t ncols, nrows, nskipped;  /* nrows counts every data row, skipped ones too */
	char **head;                    /* header cells as written */
	int col[PVD_REFTAB_MAXCOLS];    /* file column of each known column, -1 if absent */
	long *line;                     /* physical line where each row starts */
	const char **cell;              /* nrows * ncols; NULL = missing */
	unsigned char *skip;            /* per row: 1 when the row was skipped */
	struct pvd_strpool pool;
};

/* Reads and checks path as a table of that kind (see above).  Returns 0, or
 * PVD_EX_CONFIG with e filled (the table is then empty but still must be
 * freed). */
int pvd_reftab_load(struct pvd_reftab *t, enum pvd_reftab_kind kind, const char *path,
		    struct pvd_reflog *log, struct pvd_err *e);
void pvd_reftab_free(struct pvd_reftab *t);

/* Value of known column `col` in row r: NULL when missing (or the column is
 * absent from the file). */
static inline const char *pvd_reftab_get(const struct pvd_reftab *t, size_t r, int col)
{
	int c = t->col[col];
	return c < 0 ? NULL : t->cell[r * t->ncols + (size_t)c];
}
/* Header of known column `col` as written in the file (its canonical name
 * when absent), for messages. */
const char *pvd_reftab_colname(const struct pvd_reftab *t, int col);

/* --- value shapes, shared with the join engine -------------------------- */

/* A commune code: 5 digits, or 2A/2B and 3 digits (Corsica). */
int pvd_is_insee(const char *s, size_t n);
/* A SIREN: 9 digits. */
int pvd_is_siren(const char *s, size_t n);
/* A département code: 2 digits, 2A, 2B, or overseas 971..978, 984..989. */
int pvd_is_dep(const char *s, size_t n);
#endif
