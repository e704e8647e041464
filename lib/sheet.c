#include "sheet.h"
#include "datefmt.h"
#include "sheetdrv.h"
#include "xmem.h"
#include "zipsafe.h"
#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#define SPOOL_MAX (4ULL << 30)

/* ---- cells and rows ---- */

void pvd_cellref(long col, long line, char *out, size_t cap)
{
	char letters[8], *q = letters + sizeof letters;
	*--q = '\0';
	for (long c = col + 1; c > 0 && q > letters; c = (c - 1) / 26)
		*--q = (char)('A' + (c - 1) % 26);
	snprintf(out, cap, "%s%ld", q, line);
}

int pvd_cellref_parse(const char *s, long *col, long *line)
{
	long c = 0, l = 0;
	int nl = 0, nd = 0;
	for (; *s >= 'A' && *s <= 'Z'; s++, nl++) {
		c = c * 26 + (*s - 'A' + 1);
		if (c > PVD_SHEET_MAX_COLS)
			return -1;
	}
	for (; *s >= '0' && *s <= '9'; s++, nd++) {
		l = l * 10 + (*s - '0');
		if (l > PVD_SHEET_MAX_ROWS)
			return -1;
	}
	if (*s || (nd && !l))
		return -1;
	*col = nl ? c - 1 : -1;
	*line = nd ? l : -1;
	return 0;
}

void pvd_rowb_start(struct pvd_rowb *rb, long line)
{
	rb->line = line;
	rb->n = 0;
	pvd_buf_reset(&rb->text);
	rb->bad_reason = NULL;
	rb->bad_msg[0] = '\0';
}

void pvd_rowb_bad(struct pvd_rowb *rb, long col, const char *reason, const char *fmt, ...)
{
	if (rb->bad_reason)
		return;
	char ref[24];
	pvd_cellref(col, rb->line, ref, sizeof ref);
	int k = snprintf(rb->bad_msg, sizeof rb->bad_msg, "%s: ", ref);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(rb->bad_msg + k, sizeof rb->bad_msg - (size_t)k, fmt, ap);
	va_end(ap);
	rb->bad_reason = reason;
}

void pvd_rowb_keep(struct pvd_rowb *rb, long col, const char *s, size_t n)
{
	if (n > 256) {
		n = 256;
		while (n && ((unsigned char)s[n] & 0xC0) == 0x80) /* not in the middle of a character */
			n--;
	}
	pvd_rowb_cell(rb, col, s, n);
}

void pvd_rowb_cell(struct pvd_rowb *rb, long col, const char *s, size_t n)
{
	if (!n)
		return;
	if (rb->n && (size_t)col <= rb->cell[rb->n - 1].col) {
		pvd_rowb_bad(rb, col, PVD_R_EXTRA_CELL, "cell given twice or out of order");
		return;
	}
	if (n > rb->field_cap) {
		pvd_rowb_bad(rb, col, PVD_R_FIELD_TOO_LARGE, "cell larger than %zu bytes", rb->field_cap);
		return;
	}
	/* 16384 cells of the field cap each would be 16 GiB: a row has a cap too. */
	if (rb->text.len + n > PVD_SHEET_MAX_ROW_BYTES) {
		pvd_rowb_bad(rb, col, PVD_R_FIELD_TOO_LARGE, "row larger than %d bytes", PVD_SHEET_MAX_ROW_BYTES);
		return;
	}
	rb->cell = xgrow(rb->cell, &rb->cap, rb->n + 1, sizeof *rb->cell);
	rb->cell[rb->n] = (struct pvd_rowcell){ .col = (size_t)col, .off = rb->text.len, .len = n };
	rb->n++;
	pvd_buf_add(&rb->text, s, n);
	pvd_buf_addc(&rb->text, '\0');
}

/* ---- numbers and dates ---- */

size_t pvd_num_text(double v, char *out, size_t cap)
{
	if (!isfinite(v) || cap < 400)
		return 0;
	if (v == 0) {
		memcpy(out, "0", 2);
		return 1;
	}
	/* The fewest significant digits that read back as the same double.  Any
	 * decimal of 15 digits or fewer that reads back as v is v rounded to 15
	 * digits (DBL_DIG), trailing zeros aside: so 15, else 16, else 17. */
	char e[40];
	for (int p = fabs(v) < DBL_MIN ? 1 : 15; p <= 17; p++) { /* subnormals: fewer digits */
		snprintf(e, sizeof e, "%.*e", p - 1, v);
		if (strtod(e, NULL) == v)
			break;
	}
	/* e: [-]D[.DDD]e±XX, written out without exponent. */
	char digits[24];
	size_t nd = 0;
	const char *s = e;
	size_t k = 0;
	if (*s == '-')
		out[k++] = *s++;
	for (; *s && *s != 'e'; s++)
		if (*s != '.')
			digits[nd++] = *s;
	long x = strtol(s + 1, NULL, 10);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	if (x >= (long)nd - 1) {
		memcpy(out + k, digits, nd), k += nd;
		for (long i = 0; i < x - ((long)nd - 1); i++)
			out[k++] = '0';
	} else if (x >= 0) {
		memcpy(out + k, digits, (size_t)x + 1), k += (size_t)x + 1;
		out[k++] = '.';
		memcpy(out + k, digits + x + 1, nd - (size_t)x - 1), k += nd - (size_t)x - 1;
	} else {
		out[k++] = '0';
		out[k++] = '.';
		for (long i = 0; i < -x - 1; i++)
			out[k++] = '0';
		memcpy(out + k, digits, nd), k += nd;
	}
	out[k] = '\0';
	return k;
}

size_t pvd_serial_text(double v, int date1904, int kind, char *out, size_t cap)
{
	if (!isfinite(v) || v < 0 || v >= 2958466)
		return 0;
	long days = (long)floor(v);
	long secs = lround((v - (double)days) * 86400.0);
	if (secs >= 86400)
		days++, secs -= 86400;
	int n = 0;
	if (kind != 3) {
		struct pvd_date d;
		/* 1904 system: serial 0 is 1904-01-01, serial 1462 of the 1900 one. */
		long n1900 = date1904 ? days + 1462 : days;
		if (!date1904 && (days == 60 || days == 0))
			/* Excel's 29/02/1900 (Lotus's leap year) and 00/01/1900, as shown. */
			d = (struct pvd_date){ .y = 1900, .m = days ? 2 : 1, .d = days ? 29 : 0 };
		else if (pvd_excel_date(n1900, &d))
			return 0;
		n = snprintf(out, cap, "%04d-%02d-%02d%s", d.y, d.m, d.d, kind == 2 ? "T" : "");
	}
	if (kind != 1) {
		n += snprintf(out + n, cap - (size_t)n, "%02ld:%02ld", secs / 3600, secs / 60 % 60);
		if (secs % 60)
			n += snprintf(out + n, cap - (size_t)n, ":%02ld", secs % 60);
	}
	return (size_t)n;
}

/* ---- number formats ---- */

int pvd_numfmt_builtin(long id)
{
	if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || (id >= 34 && id <= 36) || (id >= 50 && id <= 58))
		return 1;
	if (id == 22)
		return 2;
	if ((id >= 18 && id <= 21) || id == 32 || id == 33 || (id >= 45 && id <= 47))
		return 3;
	return 0;
}

/* A format code's kind, from its first section: d y (date), h s (time), m
 * either; quoted text, escapes, [colours] and AM/PM left out. */
int pvd_numfmt_kind(const char *c)
{
	int date = 0, time = 0, m = 0;
	for (; *c && *c != ';'; c++) {
		char ch = (char)(*c | 0x20);
		if (*c == '"') {
			while (c[1] && c[1] != '"')
				c++;
			if (c[1])
				c++;
		} else if (*c == '\\' || *c == '_' || *c == '*') {
			if (c[1])
				c++;
		} else if (*c == '[') {
			/* [h] [mm] [ss]: elapsed time; [Red], [$€-40C]: not date parts */
			if (c[1] && strchr("hHmMsS", c[1]))
				time = 1;
			while (c[1] && c[1] != ']')
				c++;
			if (c[1])
				c++;
		} else if (!strncasecmp(c, "AM/PM", 5)) {
			time = 1;
			c += 4;
		} else if (!strncasecmp(c, "A/P", 3)) {
			time = 1;
			c += 2;
		} else if (ch == 'd' || ch == 'y') {
			date = 1;
		} else if (ch == 'h' || ch == 's') {
			time = 1;
		} else if (ch == 'm') {
			m = 1;
		}
	}
	if (m && !date && !time)
		date = 1;
	return date && time ? 2 : date ? 1 : time ? 3 : 0;
}

/* ---- the workbook ---- */

const char *pvd_book_format_name(int fmt)
{
	return fmt == PVD_BOOK_XLSX ? "xlsx" : fmt == PVD_BOOK_ODS ? "ods" : fmt == PVD_BOOK_XLS ? "xls" : "csv";
}

int pvd_book_sniff(struct pvd_input *in, int *kind, struct pvd_err *e)
{
	const char *p;
	size_t n;
	int eof;
	if (pvd_input_peek(in, 8, &p, &n, &eof, e))
		return e->status ? e->status : PVD_EX_IO;
	*kind = pvd_container_kind((const unsigned char *)p, n);
	return 0;
}

/* A pipe cannot be seeked: its bytes go to an unlinked temporary file that
 * the libraries open by its /proc/self/fd name. */
static int spool(struct pvd_book *b, struct pvd_input *in, struct pvd_err *e)
{
	const char *dir = getenv("TMPDIR");
	int fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0)
		return pvd_err_set(e, PVD_EX_IO, b->file, 0, 0, "cannot make a temporary copy of the workbook: %s",
				   strerror(errno));
	b->spool_fd = fd;
	char *buf = xmalloc(1 << 16);
	ssize_t n;
	unsigned long long total = 0;
	while ((n = pvd_input_read(in, buf, 1 << 16, e)) > 0) {
		total += (unsigned long long)n;
		if (total > SPOOL_MAX) {
			free(buf);
			return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "refused: a workbook larger than %llu bytes",
					   SPOOL_MAX);
		}
		for (ssize_t off = 0; off < n;) {
			ssize_t w = write(fd, buf + off, (size_t)(n - off));
			if (w < 0 && errno == EINTR)
				continue;
			if (w < 0) {
				free(buf);
				return pvd_err_set(e, PVD_EX_IO, b->file, 0, 0, "cannot copy the workbook: %s",
						   strerror(errno));
			}
			off += w;
		}
	}
	free(buf);
	if (n < 0)
		return e->status;
	char path[64];
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	b->path = xstrdup(path);
	return 0;
}

static int open_zip(struct pvd_book *b, struct pvd_err *e)
{
	struct pvd_zip *z;
	int rc = pvd_zip_open(&z, b->path, b->file, e);
	if (rc)
		return rc;
	if (pvd_zip_has(z, "xl/workbook.xml")) {
		b->format = PVD_BOOK_XLSX;
		return pvd_xlsx_open(b, z, e);
	}
	if (pvd_zip_has(z, "content.xml") && pvd_zip_has(z, "mimetype")) {
		struct pvd_buf mt = { 0 };
		rc = pvd_zip_slurp(z, "mimetype", 256, &mt, e);
		int ods = !rc && !strcmp(pvd_buf_str(&mt), "application/vnd.oasis.opendocument.spreadsheet");
		pvd_buf_free(&mt);
		if (ods) {
			b->format = PVD_BOOK_ODS;
			return pvd_ods_open(b, z, e);
		}
		pvd_zip_close(z);
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0,
				   "not a spreadsheet pvd can read: an OpenDocument file that is not a spreadsheet");
	}
	pvd_zip_close(z);
	return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0,
			   "not a spreadsheet pvd can read: a zip archive with neither xl/workbook.xml nor content.xml");
}

int pvd_book_open(struct pvd_book **bp, struct pvd_input *in, int kind, const struct pvd_book_opts *o,
		  struct pvd_err *e)
{
	struct pvd_book *b = xcalloc(1, sizeof *b);
	b->file = xstrdup(in->name);
	b->spool_fd = -1;
	b->sheet_idx = -1;
	b->field_cap = o && o->field_cap ? o->field_cap : 1 << 20;
	b->rb.field_cap = b->field_cap;
	int rc = 0;
	if (in->fd == 0 || strcmp(in->path, "-") == 0)
		rc = spool(b, in, e);
	else
		b->path = xstrdup(in->path);
	if (!rc && kind == PVD_CONT_ZIP)
		rc = open_zip(b, e);
	else if (!rc) {
		b->format = PVD_BOOK_XLS;
		rc = pvd_xls_open(b, e);
	}
	if (!rc && !b->nsheets)
		rc = pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "the workbook has no sheet");
	if (rc) {
		pvd_book_close(b);
		return rc;
	}
	*bp = b;
	return 0;
}

int pvd_book_open_path(struct pvd_book **b, const char *path, const struct pvd_book_opts *o,
		       struct pvd_err *e)
{
	struct pvd_input in;
	int kind, rc = pvd_input_open(&in, path, e);
	if (rc)
		return rc;
	if (!(rc = pvd_book_sniff(&in, &kind, e)))
		rc = kind ? pvd_book_open(b, &in, kind, o, e)
			  : pvd_err_set(e, PVD_EX_DATA, in.name, 0, 0, "not a spreadsheet (.xlsx, .ods or .xls)");
	pvd_input_close(&in);
	return rc;
}

const char *pvd_sheet_state_name(int state)
{
	return state == PVD_SHEET_VISIBLE ? "visible" : state == PVD_SHEET_HIDDEN ? "hidden" : "very-hidden";
}

int pvd_book_format(const struct pvd_book *b) { return b->format; }
size_t pvd_book_nsheets(const struct pvd_book *b) { return b->nsheets; }
const struct pvd_sheet_info *pvd_book_sheet(const struct pvd_book *b, size_t i) { return &b->sheets[i]; }
const char *pvd_book_where(const struct pvd_book *b) { return b->where ? b->where : b->file; }
unsigned long long pvd_book_bytes(const struct pvd_book *b) { return b->bytes; }

void pvd_book_add_sheet(struct pvd_book *b, const char *name, size_t n, int state)
{
	size_t cap = b->nsheets;
	b->sheets = xgrow(b->sheets, &cap, b->nsheets + 1, sizeof *b->sheets);
	b->sheets[b->nsheets].name = xstrndup(name, n);
	b->sheets[b->nsheets].state = state;
	b->nsheets++;
}

int pvd_book_pick(const struct pvd_book *b, const char *sel, size_t *idx, struct pvd_err *e)
{
	if (!sel) {
		for (size_t i = 0; i < b->nsheets; i++)
			if (b->sheets[i].state == PVD_SHEET_VISIBLE) {
				*idx = i;
				return 0;
			}
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "no visible sheet (name one with --sheet)");
	}
	for (size_t i = 0; i < b->nsheets; i++)
		if (!strcmp(b->sheets[i].name, sel)) {
			*idx = i;
			return 0;
		}
	char *end;
	errno = 0;
	unsigned long k = strtoul(sel, &end, 10);
	if (*sel >= '1' && *sel <= '9' && !*end && !errno && k <= b->nsheets) {
		*idx = k - 1;
		return 0;
	}
	struct pvd_buf names = { 0 };
	for (size_t i = 0; i < b->nsheets && names.len < 400; i++)
		pvd_buf_printf(&names, "%s\"%s\"", i ? ", " : "", b->sheets[i].name);
	pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "no sheet \"%s\" (sheets: %s)", sel, pvd_buf_str(&names));
	pvd_buf_free(&names);
	return PVD_EX_DATA;
}

int pvd_book_begin(struct pvd_book *b, size_t idx, struct pvd_err *e)
{
	free(b->where);
	size_t n = strlen(b->file) + strlen(b->sheets[idx].name) + 3;
	b->where = xmalloc(n);
	snprintf(b->where, n, "%s[%s]", b->file, b->sheets[idx].name);
	b->sheet_idx = (long)idx;
	b->have_pending = b->ended = 0;
	b->next_line = 1;
	b->width = 0;
	b->width_hint = 0;
	b->bytes = 0;
	return b->ops->begin(b, idx, e);
}

int pvd_book_count(struct pvd_book *b, size_t idx, long *rows, struct pvd_err *e)
{
	int rc = pvd_book_begin(b, idx, e);
	long last = 0;
	while (!rc && (rc = b->ops->next_row(b, &b->rb, e)) == 1) {
		if (b->rb.n || b->rb.bad_reason)
			last = b->rb.line;
		rc = 0;
	}
	*rows = last;
	return rc;
}

void pvd_book_set_width(struct pvd_book *b, size_t n)
{
	b->width = n;
}

int pvd_book_next(struct pvd_book *b, struct pvd_csv_row *r, struct pvd_err *e)
{
	if (!b->have_pending && !b->ended) {
		int rc = b->ops->next_row(b, &b->rb, e);
		if (rc == 1)
			b->have_pending = 1;
		else if (rc == 0)
			b->ended = 1;
		else
			return rc;
	}
	if (!b->have_pending)
		return 0;
	memset(r, 0, offsetof(struct pvd_csv_row, msg));
	r->msg[0] = '\0';
	r->nlines = 1;
	r->enc_col = r->enc_line = -1;
	r->raw = "";
	const struct pvd_rowb *rb = &b->rb;
	if (rb->line > b->next_line || (!rb->n && !rb->bad_reason)) {
		/* A row left out between two rows, or a row of empty cells. */
		r->type = PVD_CSV_BLANK;
		r->line = b->next_line++;
		if (r->line == rb->line)
			b->have_pending = 0;
		return 1;
	}
	b->have_pending = 0;
	b->next_line = rb->line + 1;
	r->line = rb->line;
	if (rb->bad_reason) {
		r->type = PVD_CSV_BAD;
		r->reason = rb->bad_reason;
		snprintf(r->msg, sizeof r->msg, "%s", rb->bad_msg);
	} else {
		r->type = PVD_CSV_ROW;
	}
	/* Before the header, rows are as wide as the sheet's used area (a title
	 * in A1 then reads as one cell of a wide row, as in the CSV export);
	 * after it, at least as wide as the header. */
	size_t width = b->width ? b->width : b->width_hint < 1024 ? b->width_hint : 1024;
	size_t n = rb->n ? rb->cell[rb->n - 1].col + 1 : 0;
	if (n < width)
		n = width;
	if (n > b->cellcap) {
		size_t c = b->cellcap;
		b->cellp = xgrow(b->cellp, &c, n, sizeof *b->cellp);
		c = b->cellcap;
		b->cellv = xgrow(b->cellv, &c, n, sizeof *b->cellv);
		b->cellcap = c;
	}
	for (size_t j = 0; j < n; j++)
		b->cellp[j] = "", b->cellv[j] = 0;
	for (size_t i = 0; i < rb->n; i++)
		b->cellp[rb->cell[i].col] = rb->text.p + rb->cell[i].off, b->cellv[rb->cell[i].col] = rb->cell[i].len;
	pvd_buf_reset(&b->raw);
	for (size_t j = 0; j < n; j++) {
		if (j)
			pvd_buf_addc(&b->raw, '\t');
		pvd_buf_add(&b->raw, b->cellp[j], b->cellv[j]);
	}
	r->ncells = n;
	r->cell = b->cellp;
	r->len = b->cellv;
	r->raw = b->raw.p;
	r->rawlen = b->raw.len;
	return 1;
}

void pvd_book_close(struct pvd_book *b)
{
	if (!b)
		return;
	if (b->ops)
		b->ops->close(b);
	for (size_t i = 0; i < b->nsheets; i++)
		free(b->sheets[i].name);
	free(b->sheets);
	free(b->file);
	free(b->path);
	free(b->where);
	if (b->spool_fd >= 0)
		close(b->spool_fd);
	pvd_buf_free(&b->rb.text);
	free(b->rb.cell);
	free(b->cellp);
	free(b->cellv);
	pvd_buf_free(&b->raw);
	free(b);
}
