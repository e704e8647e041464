/* sheetdrv — what the format readers (xlsx.c, ods.c, xls.c) share with
 * sheet.c: the workbook, the row being built, the reader's operations.
 * A reader fills the row builder with the cells of the next row that holds
 * any cell; sheet.c turns that into the rows the ingest engine reads
 * (blank rows in gaps, padding, the raw text, bad rows). */
#ifndef PVD_SHEETDRV_H
#define PVD_SHEETDRV_H
#include "buf.h"
#include "sheet.h"

#define PVD_SHEET_MAX_ROWS 1048576L   /* Excel's and LibreOffice's limits */
#define PVD_SHEET_MAX_COLS 16384L
#define PVD_SHEET_MAX_ROW_BYTES (64 << 20)

/* A non-empty cell of the row being read: its column, its text in rb.text. */
struct pvd_rowcell {
	size_t col, off, len;
};

/* The row being read: non-empty cells in column order, each NUL-terminated
 * in text; the first cell that makes the row bad. */
struct pvd_rowb {
	long line;
	struct pvd_buf text;
	struct pvd_rowcell *cell;
	size_t n, cap;
	const char *bad_reason;      /* NULL, or a PVD_R_* */
	char bad_msg[256];
	size_t field_cap;
};

void pvd_rowb_start(struct pvd_rowb *rb, long line);
/* Adds the text of column col (0-based); empty text adds nothing.  A column
 * at or before the last one added makes the row bad. */
void pvd_rowb_cell(struct pvd_rowb *rb, long col, const char *s, size_t n);
/* Marks the row bad because of cell col (the first reason is kept). */
void pvd_rowb_bad(struct pvd_rowb *rb, long col, const char *reason, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* After pvd_rowb_bad: keeps the faulty cell's text as the file has it
 * ("#N/A", "=C8+1"; at most 256 bytes) in the row, so that the reject's raw
 * text shows it. */
void pvd_rowb_keep(struct pvd_rowb *rb, long col, const char *s, size_t n);
/* "C42" into out (8 bytes at least). */
void pvd_cellref(long col, long line, char *out, size_t cap);
/* Parses "C42" (either part may be missing: *col or *line left at -1).
 * Returns 0, or -1 when the text is no cell reference. */
int pvd_cellref_parse(const char *s, long *col, long *line);

/* Number formats (xlsx and xls share Excel's): the kind of a built-in
 * format id, and of a format code (from its first section); 0 for no date,
 * 1 date, 2 date-time, 3 time, as pvd_serial_text() takes them. */
int pvd_numfmt_builtin(long id);
int pvd_numfmt_kind(const char *code);

struct pvd_book;
struct pvd_book_ops {
	/* Prepares sheet idx for next_row(). */
	int (*begin)(struct pvd_book *b, size_t idx, struct pvd_err *e);
	/* Next row holding cells (in rb), with a row number above the last one:
	 * 1, 0 at the end, or an error status. */
	int (*next_row)(struct pvd_book *b, struct pvd_rowb *rb, struct pvd_err *e);
	void (*close)(struct pvd_book *b);
};

struct pvd_book {
	const struct pvd_book_ops *ops;
	int format;
	char *file;                  /* display name of the file */
	char *path;                  /* what the libraries open */
	int spool_fd;                /* the copy of a pipe, or -1 */
	struct pvd_sheet_info *sheets;
	size_t nsheets;
	size_t width_hint;           /* per sheet being read: its used width, 0 if unknown */
	size_t field_cap;
	void *impl;
	/* reading */
	char *where;
	long sheet_idx;
	struct pvd_rowb rb;
	int have_pending, ended;
	long next_line;              /* next row number to return */
	size_t width;
	unsigned long long bytes;
	const char **cellp;
	size_t *cellv;
	size_t cellcap;
	struct pvd_buf raw;
};

/* Adds a sheet to the list (the reader's open step). */
void pvd_book_add_sheet(struct pvd_book *b, const char *name, size_t n, int state);

extern const struct pvd_book_ops pvd_xlsx_ops, pvd_ods_ops, pvd_xls_ops;
/* Each takes the open archive (closed by the reader's close, or on failure). */
struct pvd_zip;
int pvd_xlsx_open(struct pvd_book *b, struct pvd_zip *z, struct pvd_err *e);
int pvd_ods_open(struct pvd_book *b, struct pvd_zip *z, struct pvd_err *e);
/* Returns PVD_EX_DATA for an OLE2 file that is no workbook freexl reads. */
int pvd_xls_open(struct pvd_book *b, struct pvd_err *e);
#endif
