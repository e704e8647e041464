/* sheet — spreadsheets (.xlsx, .ods, .xls) as a source of rows.
 *
 * A workbook is recognised by its signature, whatever its name (zipsafe.h):
 * a zip holding xl/workbook.xml is xlsx, a zip holding content.xml and the
 * ODF spreadsheet mimetype is ods, an OLE2 file with a Workbook stream is
 * xls.  One sheet is read, row after row, as the ingest engine reads CSV
 * lines: the same struct pvd_csv_row, with line = the row number a person
 * sees in the spreadsheet and cells as a person sees them:
 *   - text as typed (shared or inline strings, rich text runs joined);
 *   - numbers as the shortest decimal text that reads back as the same
 *     double, without exponent (7010.3100000000004 is "7010.31"); integers
 *     without decimals;
 *   - dates and date-times (by their number format) as ISO text,
 *     "2021-11-05", "2021-11-05T10:28" (seconds when not 0), times "10:28";
 *     1900 (with its phantom 29/02/1900) and 1904 date systems;
 *   - booleans TRUE / FALSE;
 *   - a formula by its cached value.
 * A row holding an error cell (#N/A, #DIV/0!) or a formula with no cached
 * value is a PVD_CSV_BAD row whose message names the cell ("C42: ...").
 * Rows missing between two rows are PVD_CSV_BLANK rows (as the blank lines
 * of the same sheet saved as CSV); empty rows after the last one are not
 * rows at all, however many a file declares.  Cells missing from a row are
 * empty cells.  The row's raw text is its cells joined by tabs.
 *
 * The workbook is untrusted: zip entries are capped in size and ratio,
 * entity declarations are refused, odd names, encrypted parts and indices
 * out of range end the read with PVD_EX_DATA and a message.  A sheet is
 * streamed: memory does not grow with its rows (xlsx's shared strings, which
 * every row may cite, are loaded whole, within the caps). */
#ifndef PVD_SHEET_H
#define PVD_SHEET_H
#include "csvread.h"
#include "reject.h"
#include "diag.h"
#include "input.h"
#include <stddef.h>

/* Reasons of rejected cells. */
#define PVD_R_CELL_ERROR "cell-error"          /* #N/A, #DIV/0!... */
#define PVD_R_NO_VALUE "formula-without-value" /* a formula never computed */

enum pvd_book_format { PVD_BOOK_NONE = 0, PVD_BOOK_XLSX, PVD_BOOK_ODS, PVD_BOOK_XLS };

enum pvd_sheet_state { PVD_SHEET_VISIBLE, PVD_SHEET_HIDDEN, PVD_SHEET_VERY_HIDDEN };

struct pvd_sheet_info {
	char *name;
	int state;               /* enum pvd_sheet_state */
};

struct pvd_book_opts {
	size_t field_cap;        /* largest cell, bytes (0: 1 MiB); larger: field-too-large */
};

struct pvd_book;

/* Whether the input is a container (a zip or OLE2 file, by its first bytes,
 * peeked, not consumed): *kind is PVD_CONT_NONE (text) or the container
 * (zipsafe.h).  Returns 0 or an I/O error status. */
int pvd_book_sniff(struct pvd_input *in, int *kind, struct pvd_err *e);

/* Opens the workbook of an input sniffed as a container (a pipe is copied to
 * an unlinked temporary file first: the formats need to seek), tells which
 * format it is and reads the list of sheets.  Returns 0, or PVD_EX_DATA
 * ("not a spreadsheet pvd can read", "password-protected", a broken file)
 * or PVD_EX_IO with e filled. */
int pvd_book_open(struct pvd_book **b, struct pvd_input *in, int kind, const struct pvd_book_opts *o,
		  struct pvd_err *e);
int pvd_book_format(const struct pvd_book *b);
/* The same from a path ("-": stdin); a file that is no spreadsheet is
 * PVD_EX_DATA ("not a spreadsheet"). */
int pvd_book_open_path(struct pvd_book **b, const char *path, const struct pvd_book_opts *o,
		       struct pvd_err *e);
const char *pvd_sheet_state_name(int state);
const char *pvd_book_format_name(int fmt);
size_t pvd_book_nsheets(const struct pvd_book *b);
const struct pvd_sheet_info *pvd_book_sheet(const struct pvd_book *b, size_t i);
/* The sheet chosen by sel: a name, or a position from 1; NULL: the first
 * visible sheet.  Returns 0 with *idx, or PVD_EX_DATA naming the sheets. */
int pvd_book_pick(const struct pvd_book *b, const char *sel, size_t *idx, struct pvd_err *e);
/* The number of the last row holding a value in sheet idx (reads it). */
int pvd_book_count(struct pvd_book *b, size_t idx, long *rows, struct pvd_err *e);
/* Starts reading sheet idx; then pvd_book_next() as pvd_csv_next(): returns
 * 1 with *row (valid until the next call), 0 at the end, or an error status. */
int pvd_book_begin(struct pvd_book *b, size_t idx, struct pvd_err *e);
int pvd_book_next(struct pvd_book *b, struct pvd_csv_row *row, struct pvd_err *e);
/* From now on rows have at least n cells (the header's width): cells a
 * spreadsheet leaves out at the end of a row are empty, not missing. */
void pvd_book_set_width(struct pvd_book *b, size_t n);
/* "conventions.xlsx[Suivi]": the name messages give the sheet being read. */
const char *pvd_book_where(const struct pvd_book *b);
/* Bytes of sheet XML read so far (0 for xls). */
unsigned long long pvd_book_bytes(const struct pvd_book *b);
void pvd_book_close(struct pvd_book *b);

/* Shortest decimal text that reads back as v, without exponent ("7010.31",
 * "1002", "-0.5", "1e+20" as "100000000000000000000").  out: 400 bytes
 * hold any double.  Returns the length, or 0 for NaN and infinities. */
size_t pvd_num_text(double v, char *out, size_t cap);
/* A date serial as ISO text in the 1900 (date1904 0) or 1904 system;
 * kind: 1 date, 2 date-time, 3 time.  Returns the length, 0 if out of
 * range (negative, or past pvd_excel_date's range). */
size_t pvd_serial_text(double v, int date1904, int kind, char *out, size_t cap);
#endif
