/* csvread — raw CSV exports as a sequence of rows with physical line numbers.
 *
 * Built on libcsv, fed one physical line at a time so that every row knows
 * the line it starts on and how many lines it spans (quoted fields may hold
 * newlines).  Input is converted to UTF-8 line by line (encoding.h).  Quoting
 * is strict: a quote inside an unquoted field, or text after a closing quote,
 * rejects that row (stray-quote) and reading resumes on the next line; a
 * quoted field still open at the end of the file, or grown past the field
 * cap, rejects the row it started on and the lines after it are read again,
 * so one stray quote never swallows the rest of a file.  Quoted newlines
 * written CRLF are returned as LF.  A line longer than 16 times the field
 * cap (at least 16 MiB) is not kept: its start says whether a field was
 * over the cap, the rest is skipped, its row is field-too-large.
 *
 * Events, pulled with pvd_csv_next():
 *   PVD_CSV_ROW    a row: cells, first line, raw text; enc_col >= 0 when a
 *                  byte of it could not be decoded (the caller rejects it)
 *   PVD_CSV_BLANK  an empty line (or one of only spaces) outside any row
 *   PVD_CSV_BAD    a row that could not be read (reason, message, raw) */
#ifndef PVD_CSVREAD_H
#define PVD_CSVREAD_H
#include "buf.h"
#include "diag.h"
#include "encoding.h"
#include "input.h"

enum pvd_csv_event { PVD_CSV_ROW = 1, PVD_CSV_BLANK, PVD_CSV_BAD };

struct pvd_csv_row {
	enum pvd_csv_event type;
	long line, nlines;           /* first physical line (from 1), lines spanned */
	size_t ncells;
	const char **cell;           /* NUL-terminated UTF-8 */
	const size_t *len;
	const char *raw;             /* the row's text as read (UTF-8), lines joined by \n: */
	size_t rawlen;               /* rawlen bytes, NOT NUL-terminated */
	long enc_line, enc_col;      /* ROW: first undecodable byte (line, 1-based column), enc_col -1 if none */
	unsigned enc_byte;           /* the byte; 0 a NUL; PVD_CSV_ENC_BOM a byte-order mark */
	const char *reason;          /* BAD: PVD_R_STRAY_QUOTE, PVD_R_FIELD_TOO_LARGE */
	char msg[256];               /* BAD: message */
};

/* enc_byte of a byte-order mark (U+FEFF) after the start of the input. */
#define PVD_CSV_ENC_BOM 0xFEFFu

struct pvd_csv_opts {
	enum pvd_enc enc;            /* PVD_ENC_AUTO: detect */
	char delim;                  /* 0: sniff among , ; tab | */
	size_t field_cap;            /* bytes; 0: 1 MiB */
};

struct pvd_csv;

/* Starts reading an opened input: detects the encoding (skipping a BOM) and
 * the delimiter from the first block unless forced.  Returns 0 or an error
 * status (PVD_EX_IO; PVD_EX_DATA for a first block of control bytes: not
 * text). */
int pvd_csv_open(struct pvd_csv **c, struct pvd_input *in, const struct pvd_csv_opts *o,
		 struct pvd_err *e);
/* Next event into *row (valid until the next call).  Returns 1, 0 at the
 * end, or an error status (PVD_EX_IO) with e filled. */
int pvd_csv_next(struct pvd_csv *c, struct pvd_csv_row *row, struct pvd_err *e);
enum pvd_enc pvd_csv_encoding(const struct pvd_csv *c);
char pvd_csv_delimiter(const struct pvd_csv *c);
int pvd_csv_had_bom(const struct pvd_csv *c);
void pvd_csv_close(struct pvd_csv *c);

/* Delimiter most consistent across the sample's records, among , ; tab |,
 * ignoring text in quotes and the ';' that ends an HTML entity (&#039;).
 * Returns ',' when nothing stands out. */
char pvd_csv_sniff(const char *s, size_t n);
/* Printable name of a delimiter ("tab" for \t). */
const char *pvd_csv_delim_name(char d);
#endif
