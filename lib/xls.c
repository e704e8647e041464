/* xls — BIFF workbooks (Excel 97-2003), read by libfreexl, checked and
 * completed by pvd.
 *
 * freexl is not safe on a hostile file (it trusts lengths and sector
 * numbers: see cfb.h), so three layers:
 *   1. cfb.c checks the OLE2 container the way freexl reads it and gives the
 *      Workbook stream; pvd walks its BIFF records itself (every record
 *      inside the stream, the sheet list, a FILEPASS record = encrypted);
 *   2. freexl runs in a forked child that writes the cells, as text, to an
 *      unlinked temporary file: whatever freexl does on a file the checks
 *      did not foresee, pvd-ingest sees a child that died, and rejects the
 *      workbook (PVD_EX_DATA, one line) instead of crashing with it;
 *   3. what freexl does not give is read from the BIFF records: which
 *      sheets are hidden (BOUNDSHEET), formulas' cached values (FORMULA,
 *      STRING: freexl leaves formula cells empty), booleans and error cells
 *      (BOOLERR).  Those cells take the place of freexl's.
 * freexl loads a workbook whole (at most 65536 rows by 256 columns); the
 * child's file is read back one row at a time. */
#include "cfb.h"
#include "sheetdrv.h"
#include "xmem.h"
#include <errno.h>
#include <fcntl.h>
#include <freexl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define BIFF_MAX_RECORD 8224
#define MAX_CELL_TEXT (64u << 20)

/* ---- the BIFF records of the Workbook stream ---- */

struct rec {
	unsigned type, len;
	const unsigned char *d;
};

static unsigned le16(const unsigned char *p) { return p[0] | p[1] << 8; }
static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }

/* The record at *pos: 1, 0 at the stream's end, -1 for a record that does
 * not fit in the stream. */
static int next_rec(const unsigned char *p, size_t n, size_t *pos, struct rec *r)
{
	if (*pos + 4 > n)
		return 0;
	r->type = le16(p + *pos);
	r->len = le16(p + *pos + 2);
	if (r->len > BIFF_MAX_RECORD || *pos + 4 + r->len > n)
		return -1;
	r->d = p + *pos + 4;
	*pos += 4 + (size_t)r->len;
	return 1;
}

struct xsheet {
	uint32_t pos;                /* offset of its BOF in the stream */
	int state;
	long cells_off;              /* its cells in the child's file */
	unsigned rows, cols;
};

/* A cell read from the records: its text (a value, or an error's name). */
struct ov {
	uint32_t row, seq;
	uint16_t col;
	unsigned char bad;           /* 0 a value, 1 an error value, 2 unreadable */
	size_t off, len;
};

struct xls {
	unsigned char *wb;           /* the Workbook stream */
	size_t nwb;
	int biff8, date1904;
	unsigned short *xf_fmt;      /* number format of each XF */
	size_t nxf, xfcap;
	struct { unsigned id; unsigned char kind; } *fmt;
	size_t nfmt, fmtcap;
	struct xsheet *sh;
	size_t nsh, shcap;
	/* the child's file */
	int fd;
	long off;                    /* next read */
	unsigned char buf[1 << 16];
	size_t have, at;
	/* the sheet being read */
	long cells_left;             /* -1 once the sheet's end marker is read */
	int have_fx;
	uint32_t fx_row;
	uint16_t fx_col;
	unsigned char fx_bad;
	struct pvd_buf fx_text;
	struct ov *ov;
	size_t nov, ovcap, oi;
	struct pvd_buf ovtext;
};

static int corrupt(struct pvd_book *b, struct pvd_err *e, const char *what)
{
	return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "corrupt workbook: %s", what);
}

/* BIFF8 XLUnicodeString characters (compressed: one byte each, else UTF-16LE)
 * as UTF-8, appended to out; returns the bytes used, or 0 if they do not
 * fit in n. */
static size_t put_chars(struct pvd_buf *out, const unsigned char *p, size_t n, size_t cch, int wide)
{
	size_t need = wide ? 2 * cch : cch;
	if (need > n)
		return 0;
	for (size_t i = 0; i < cch; i++) {
		uint32_t u = wide ? le16(p + 2 * i) : p[i];
		if (wide && u >= 0xD800 && u < 0xDC00 && i + 1 < cch && le16(p + 2 * i + 2) >= 0xDC00 &&
		    le16(p + 2 * i + 2) < 0xE000) {
			u = 0x10000 + ((u - 0xD800) << 10) + (le16(p + 2 * i + 2) - 0xDC00);
			i++;
		} else if (u >= 0xD800 && u < 0xE000) {
			u = 0xFFFD;
		}
		char c[4];
		size_t k;
		if (u < 0x80)
			c[0] = (char)u, k = 1;
		else if (u < 0x800)
			c[0] = (char)(0xC0 | u >> 6), c[1] = (char)(0x80 | (u & 63)), k = 2;
		else if (u < 0x10000)
			c[0] = (char)(0xE0 | u >> 12), c[1] = (char)(0x80 | (u >> 6 & 63)), c[2] = (char)(0x80 | (u & 63)),
			k = 3;
		else
			c[0] = (char)(0xF0 | u >> 18), c[1] = (char)(0x80 | (u >> 12 & 63)),
			c[2] = (char)(0x80 | (u >> 6 & 63)), c[3] = (char)(0x80 | (u & 63)), k = 4;
		pvd_buf_add(out, c, k);
	}
	return need ? need : 1;
}

static int date_kind(const struct xls *s, unsigned xf)
{
	if (xf >= s->nxf)
		return 0;
	unsigned id = s->xf_fmt[xf];
	for (size_t i = 0; i < s->nfmt; i++)
		if (s->fmt[i].id == id)
			return s->fmt[i].kind;
	return pvd_numfmt_builtin(id);
}

/* Each sheet's substream as freexl sizes its cells: it starts with a BOF
 * where its BOUNDSHEET says, ends with its EOF (substreams nested in it,
 * embedded charts, have theirs), runs into no other sheet, and holds at
 * most one DIMENSION record of its own: freexl allocates the cells by the
 * first and frees them by the last (a second one makes it free pointers
 * read past its array). */
static int check_sheets(struct pvd_book *b, struct xls *s, struct pvd_err *e)
{
	for (size_t i = 0; i < s->nsh; i++) {
		size_t pos = s->sh[i].pos;
		struct rec r;
		int rc = pos < s->nwb ? next_rec(s->wb, s->nwb, &pos, &r) : 0, depth = 1, dims = 0;
		if (rc <= 0 || r.type != 0x0809)
			return corrupt(b, e, "a sheet that does not start with a BOF record");
		while (depth > 0) {
			size_t at = pos;
			if ((rc = next_rec(s->wb, s->nwb, &pos, &r)) <= 0)
				return corrupt(b, e, "a sheet with no end (truncated file?)");
			if (r.type == 0x0809) {
				for (size_t j = 0; j < s->nsh; j++)
					if (s->sh[j].pos == at)
						return corrupt(b, e, "a sheet that runs into the next one");
				depth++;
			} else if (r.type == 0x000A) {
				depth--;
			} else if (r.type == 0x0200 && depth == 1 && ++dims > 1) {
				return corrupt(b, e, "a sheet with two DIMENSION records");
			}
		}
	}
	return 0;
}

/* The globals: BOF, FILEPASS, DATEMODE, XF, FORMAT, BOUNDSHEET. */
static int scan_globals(struct pvd_book *b, struct xls *s, struct pvd_err *e)
{
	size_t pos = 0;
	struct rec r;
	int rc = next_rec(s->wb, s->nwb, &pos, &r);
	if (rc <= 0 || r.type != 0x0809 || r.len < 4)
		return corrupt(b, e, "the Workbook stream does not start with a BOF record");
	unsigned ver = le16(r.d);
	if (ver != 0x0600 && ver != 0x0500)
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0,
				   "not a spreadsheet pvd can read: an Excel workbook older than Excel 5 (BIFF %#x)", ver);
	s->biff8 = ver == 0x0600;
	while ((rc = next_rec(s->wb, s->nwb, &pos, &r)) == 1 && r.type != 0x000A) {
		if (r.type == 0x002F)
			return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0,
					   "password-protected: the workbook is encrypted (save it without a password)");
		if (r.type == 0x0022 && r.len >= 2)
			s->date1904 = le16(r.d) == 1;
		else if (r.type == 0x00E0 && r.len >= 4 && s->nxf < 65536) {
			s->xf_fmt = xgrow(s->xf_fmt, &s->xfcap, s->nxf + 1, sizeof *s->xf_fmt);
			s->xf_fmt[s->nxf++] = (unsigned short)le16(r.d + 2);
		} else if (r.type == 0x041E && s->biff8 && r.len >= 5 && s->nfmt < 65536) {
			struct pvd_buf code = { 0 };
			if (put_chars(&code, r.d + 5, r.len - 5, le16(r.d + 2), r.d[4] & 1)) {
				s->fmt = xgrow(s->fmt, &s->fmtcap, s->nfmt + 1, sizeof *s->fmt);
				s->fmt[s->nfmt].id = le16(r.d);
				s->fmt[s->nfmt++].kind = (unsigned char)pvd_numfmt_kind(pvd_buf_str(&code));
			}
			pvd_buf_free(&code);
		} else if (r.type == 0x0085) {
			/* lbPlyPos, hsState, dt, then the name (freexl reads it: it
			 * must fit in its record). */
			size_t cch = r.len >= 7 ? r.d[6] : 0;
			size_t need = s->biff8 ? 8 + cch * (r.len >= 8 && (r.d[7] & 1) ? 2 : 1) : 7 + cch;
			if (r.len < 8 || need > r.len)
				return corrupt(b, e, "a sheet name longer than its record");
			s->sh = xgrow(s->sh, &s->shcap, s->nsh + 1, sizeof *s->sh);
			s->sh[s->nsh++] = (struct xsheet){ .pos = le32(r.d),
							   .state = (r.d[4] & 3) == 0   ? PVD_SHEET_VISIBLE
								    : (r.d[4] & 3) == 1 ? PVD_SHEET_HIDDEN
											: PVD_SHEET_VERY_HIDDEN };
		}
	}
	if (rc < 0)
		return corrupt(b, e, "a record runs past the end of the Workbook stream (truncated file?)");
	return check_sheets(b, s, e);
}

static const char *error_name(unsigned code)
{
	switch (code) {
	case 0x00: return "#NULL!";
	case 0x07: return "#DIV/0!";
	case 0x0F: return "#VALUE!";
	case 0x17: return "#REF!";
	case 0x1D: return "#NAME?";
	case 0x24: return "#NUM!";
	case 0x2A: return "#N/A";
	case 0x2B: return "#GETTING_DATA";
	default: return "#ERROR";
	}
}

static struct ov *add_ov(struct xls *s, unsigned row, unsigned col, int bad)
{
	s->ov = xgrow(s->ov, &s->ovcap, s->nov + 1, sizeof *s->ov);
	struct ov *o = &s->ov[s->nov];
	*o = (struct ov){ .row = row, .col = (uint16_t)col, .seq = (uint32_t)s->nov, .bad = (unsigned char)bad,
			  .off = s->ovtext.len };
	s->nov++;
	return o;
}

static void ov_text(struct xls *s, struct ov *o, const char *t, size_t n)
{
	pvd_buf_add(&s->ovtext, t, n);
	o->len = s->ovtext.len - o->off;
}

static int ov_cmp(const void *a, const void *b)
{
	const struct ov *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	if (x->col != y->col)
		return x->col < y->col ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* The cells of sheet idx that freexl leaves out: formulas' cached values,
 * booleans, error values. */
static int scan_sheet(struct pvd_book *b, struct xls *s, size_t idx, struct pvd_err *e)
{
	s->nov = s->oi = 0;
	pvd_buf_reset(&s->ovtext);
	size_t pos = s->sh[idx].pos;
	struct rec r;
	int rc = pos < s->nwb ? next_rec(s->wb, s->nwb, &pos, &r) : 0;
	if (rc <= 0 || r.type != 0x0809)
		return corrupt(b, e, "a sheet that does not start with a BOF record");
	struct ov *str = NULL;       /* a string formula waiting for its STRING record */
	char num[400];
	while ((rc = next_rec(s->wb, s->nwb, &pos, &r)) == 1 && r.type != 0x000A) {
		if (r.type == 0x0006 && r.len >= 20) {
			str = NULL;
			unsigned row = le16(r.d), col = le16(r.d + 2), xf = le16(r.d + 4);
			const unsigned char *v = r.d + 6;
			if (v[6] == 0xFF && v[7] == 0xFF) {
				if (v[0] == 0)
					str = add_ov(s, row, col, 0);
				else if (v[0] == 1)
					ov_text(s, add_ov(s, row, col, 0), v[2] ? "TRUE" : "FALSE", v[2] ? 4 : 5);
				else if (v[0] == 2) {
					const char *name = error_name(v[2]);
					ov_text(s, add_ov(s, row, col, 1), name, strlen(name));
				} else
					add_ov(s, row, col, 0); /* an empty text */
				continue;
			}
			uint64_t u = (uint64_t)le32(v + 4) << 32 | le32(v);
			double d;
			memcpy(&d, &u, sizeof d);
			int kind = date_kind(s, xf);
			size_t n = kind ? pvd_serial_text(d, s->date1904, kind, num, sizeof num) : 0;
			if (!n)
				n = pvd_num_text(d, num, sizeof num);
			if (n)
				ov_text(s, add_ov(s, row, col, 0), num, n);
			else
				ov_text(s, add_ov(s, row, col, 2), "not a finite number", 19);
		} else if (r.type == 0x0207 && str) {
			/* The text of the formula just before; BIFF8: cch, flags, chars,
			 * continued in CONTINUE records that each start with flags. */
			struct ov *o = str;
			str = NULL;
			if (!s->biff8 || r.len < 3) {
				o->bad = 2;
				ov_text(s, o, "a formula's text in an Excel 5 workbook", 39);
				continue;
			}
			size_t cch = le16(r.d), done = 0;
			int wide = r.d[2] & 1;
			const unsigned char *p = r.d + 3;
			size_t left = r.len - 3;
			for (;;) {
				size_t fit = wide ? left / 2 : left;
				size_t k = cch - done < fit ? cch - done : fit;
				if (k)
					put_chars(&s->ovtext, p, left, k, wide);
				done += k;
				if (done == cch)
					break;
				size_t save = pos;
				if (next_rec(s->wb, s->nwb, &pos, &r) != 1 || r.type != 0x003C || r.len < 1) {
					pos = save;
					break;
				}
				wide = r.d[0] & 1;
				p = r.d + 1;
				left = r.len - 1;
			}
			o->len = s->ovtext.len - o->off;
			if (done != cch) {
				o->bad = 2;
				o->off = s->ovtext.len;
				ov_text(s, o, "a formula's text cut short", 26);
			}
		} else if (r.type == 0x0205 && r.len >= 8) {
			unsigned row = le16(r.d), col = le16(r.d + 2), val = r.d[6];
			if (r.d[7]) {
				const char *name = error_name(val);
				ov_text(s, add_ov(s, row, col, 1), name, strlen(name));
			} else {
				ov_text(s, add_ov(s, row, col, 0), val ? "TRUE" : "FALSE", val ? 4 : 5);
			}
		} else if (r.type != 0x04BC && r.type != 0x0221 && r.type != 0x0236) {
			str = NULL; /* SHRFMLA, ARRAY, TABLE may come between FORMULA and STRING */
		}
	}
	if (rc < 0)
		return corrupt(b, e, "a record runs past the end of the Workbook stream (truncated file?)");
	if (s->nov)
		qsort(s->ov, s->nov, sizeof *s->ov, ov_cmp);
	/* The same cell twice: the last one written stands. */
	size_t k = 0;
	for (size_t i = 0; i < s->nov; i++) {
		if (k && s->ov[k - 1].row == s->ov[i].row && s->ov[k - 1].col == s->ov[i].col)
			k--;
		s->ov[k++] = s->ov[i];
	}
	s->nov = k;
	return 0;
}

/* ---- freexl in a child ---- */

/* The child's file: 'R' rc(4); then 'N' count(2), each name len(2) bytes;
 * then per sheet 'H' rows(4) cols(2), cells 'C' row(4) col(2) bad(1)
 * len(4) text, and 'Z'; then 'E'.  Little-endian. */
static void put_u(FILE *f, uint32_t v, int n)
{
	for (int i = 0; i < n; i++)
		putc((int)(v >> 8 * i & 255), f);
}

static void put_cell(FILE *f, unsigned row, unsigned col, int bad, const char *t, size_t n)
{
	putc('C', f);
	put_u(f, row, 4);
	put_u(f, col, 2);
	putc(bad, f);
	put_u(f, (uint32_t)n, 4);
	fwrite(t, 1, n, f);
}

static void put_datetime(FILE *f, unsigned row, unsigned col, const char *t)
{
	/* "YYYY-MM-DD HH:MM:SS" → "YYYY-MM-DDTHH:MM" (":SS" unless 0); "HH:MM:SS" likewise. */
	char out[32];
	size_t n = strlen(t);
	if (n >= sizeof out)
		n = sizeof out - 1;
	memcpy(out, t, n);
	out[n] = '\0';
	if (n == 19 && out[10] == ' ')
		out[10] = 'T';
	if ((n == 19 || n == 8) && !strcmp(out + n - 3, ":00"))
		n -= 3;
	put_cell(f, row, col, 0, out, n);
}

static void child(const char *path, int fd)
{
	FILE *f = fdopen(fd, "w");
	if (!f)
		_exit(3);
	const void *h = NULL;
	int rc = freexl_open(path, &h);
	unsigned count = 0, pw = 0;
	if (rc == FREEXL_OK && (!h || (freexl_get_info(h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK &&
				       pw == FREEXL_BIFF_OBFUSCATED)))
		rc = 1; /* encrypted */
	if (rc == FREEXL_OK && freexl_get_info(h, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
		rc = 2;
	putc('R', f);
	put_u(f, (uint32_t)rc, 4);
	if (rc != FREEXL_OK)
		goto done;
	putc('N', f);
	put_u(f, count, 2);
	for (unsigned i = 0; i < count; i++) {
		const char *name = NULL;
		if (freexl_get_worksheet_name(h, (unsigned short)i, &name) != FREEXL_OK || !name)
			name = "";
		size_t n = strlen(name);
		n = n > 65535 ? 65535 : n;
		put_u(f, (uint32_t)n, 2);
		fwrite(name, 1, n, f);
	}
	char num[400];
	for (unsigned i = 0; i < count; i++) {
		unsigned rows = 0;
		unsigned short cols = 0;
		if (freexl_select_active_worksheet(h, (unsigned short)i) != FREEXL_OK ||
		    freexl_worksheet_dimensions(h, &rows, &cols) != FREEXL_OK)
			rows = cols = 0;
		putc('H', f);
		put_u(f, rows, 4);
		put_u(f, cols, 2);
		for (unsigned row = 0; row < rows; row++)
			for (unsigned short c = 0; c < cols; c++) {
				FreeXL_CellValue v;
				if (freexl_get_cell_value(h, row, c, &v) != FREEXL_OK) {
					put_cell(f, row, c, 2, "unreadable cell", 15);
					continue;
				}
				switch (v.type) {
				case FREEXL_CELL_INT:
					put_cell(f, row, c, 0, num,
						 (size_t)snprintf(num, sizeof num, "%d", v.value.int_value));
					break;
				case FREEXL_CELL_DOUBLE: {
					size_t n = pvd_num_text(v.value.double_value, num, sizeof num);
					if (n)
						put_cell(f, row, c, 0, num, n);
					else
						put_cell(f, row, c, 2, "not a finite number", 19);
					break;
				}
				case FREEXL_CELL_TEXT:
				case FREEXL_CELL_SST_TEXT:
					if (v.value.text_value && *v.value.text_value)
						put_cell(f, row, c, 0, v.value.text_value, strlen(v.value.text_value));
					break;
				case FREEXL_CELL_DATE:
				case FREEXL_CELL_DATETIME:
				case FREEXL_CELL_TIME:
					if (v.value.text_value)
						put_datetime(f, row, c, v.value.text_value);
					break;
				default:
					break;
				}
			}
		putc('Z', f);
	}
	putc('E', f);
	freexl_close(h);
done:
	/* _exit: neither the parent's stdio buffers nor its exit handlers. */
	_exit(fflush(f) || ferror(f) ? 3 : 0);
}

/* Buffered reading of the child's file. */
static int rd(struct xls *s, void *dst, size_t n)
{
	unsigned char *q = dst;
	while (n) {
		if (s->at == s->have) {
			ssize_t r;
			do
				r = pread(s->fd, s->buf, sizeof s->buf, s->off);
			while (r < 0 && errno == EINTR);
			if (r <= 0)
				return -1;
			s->have = (size_t)r;
			s->at = 0;
		}
		size_t k = s->have - s->at < n ? s->have - s->at : n;
		memcpy(q, s->buf + s->at, k);
		s->at += k, s->off += (long)k, q += k, n -= k;
	}
	return 0;
}

static void rd_seek(struct xls *s, long off)
{
	s->off = off;
	s->have = s->at = 0;
}

static int rd_u(struct xls *s, uint32_t *v, int n)
{
	unsigned char b[4];
	if (rd(s, b, (size_t)n))
		return -1;
	*v = 0;
	for (int i = 0; i < n; i++)
		*v |= (uint32_t)b[i] << 8 * i;
	return 0;
}

/* Reads a cell record's body (after 'C') into the fx slot, text skipped
 * when text is 0. */
static int rd_cell(struct xls *s, int text)
{
	uint32_t row, col, len;
	unsigned char bad;
	if (rd_u(s, &row, 4) || rd_u(s, &col, 2) || rd(s, &bad, 1) || rd_u(s, &len, 4) || len > MAX_CELL_TEXT)
		return -1;
	s->fx_row = row, s->fx_col = (uint16_t)col, s->fx_bad = bad;
	if (!text) {
		if (s->at + len <= s->have)
			s->at += len, s->off += (long)len;
		else
			rd_seek(s, s->off + (long)len);
		return 0;
	}
	pvd_buf_reset(&s->fx_text);
	char tmp[4096];
	while (len) {
		size_t k = len < sizeof tmp ? len : sizeof tmp;
		if (rd(s, tmp, k))
			return -1;
		pvd_buf_add(&s->fx_text, tmp, k);
		len -= (uint32_t)k;
	}
	return 0;
}

static int run_freexl(struct pvd_book *b, struct xls *s, struct pvd_err *e)
{
	const char *dir = getenv("TMPDIR");
	s->fd = open(dir && *dir ? dir : "/tmp", O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (s->fd < 0)
		return pvd_err_set(e, PVD_EX_IO, b->file, 0, 0, "cannot make a temporary file for the workbook: %s",
				   strerror(errno));
	pid_t pid = fork();
	if (pid < 0)
		return pvd_err_set(e, PVD_EX_SOFTWARE, b->file, 0, 0, "cannot fork to read the workbook: %s",
				   strerror(errno));
	if (pid == 0) {
		int fd = dup(s->fd);
		if (fd < 0)
			_exit(3);
		child(b->path, fd);
	}
	int st;
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return pvd_err_set(e, PVD_EX_SOFTWARE, b->file, 0, 0, "cannot wait for the .xls reader: %s",
					   strerror(errno));
	if (WIFEXITED(st) && WEXITSTATUS(st) == 3)
		return pvd_err_set(e, PVD_EX_IO, b->file, 0, 0, "cannot write the workbook's cells to a temporary file");
	/* Killed by a signal, or (sanitizer builds) exited on a report. */
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		return corrupt(b, e, "the .xls reader (libfreexl) crashed on it");
	return 0;
}

/* Reads the child's file: its status, the sheet names, where each sheet's
 * cells are. */
static int index_cells(struct pvd_book *b, struct xls *s, struct pvd_err *e)
{
	unsigned char tag;
	uint32_t rc, count;
	rd_seek(s, 0);
	if (rd(s, &tag, 1) || tag != 'R' || rd_u(s, &rc, 4))
		return corrupt(b, e, "the .xls reader (libfreexl) failed on it");
	if (rc == 1)
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0,
				   "password-protected: the workbook is encrypted (save it without a password)");
	if (rc == (uint32_t)FREEXL_INSUFFICIENT_MEMORY)
		return pvd_err_set(e, PVD_EX_SOFTWARE, b->file, 0, 0, "out of memory reading the workbook");
	if (rc)
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "truncated or corrupt workbook (freexl error %d)",
				   (int)rc);
	if (rd(s, &tag, 1) || tag != 'N' || rd_u(s, &count, 2))
		return corrupt(b, e, "the .xls reader (libfreexl) failed on it");
	/* freexl's sheets are the BOUNDSHEET records, in order. */
	if (count != s->nsh)
		return corrupt(b, e, "its sheet list does not read the same twice");
	struct pvd_buf name = { 0 };
	for (uint32_t i = 0; i < count; i++) {
		uint32_t n;
		pvd_buf_reset(&name);
		char tmp[256];
		if (rd_u(s, &n, 2)) {
			pvd_buf_free(&name);
			return corrupt(b, e, "the .xls reader (libfreexl) failed on it");
		}
		while (n) {
			size_t k = n < sizeof tmp ? n : sizeof tmp;
			if (rd(s, tmp, k)) {
				pvd_buf_free(&name);
				return corrupt(b, e, "the .xls reader (libfreexl) failed on it");
			}
			pvd_buf_add(&name, tmp, k);
			n -= (uint32_t)k;
		}
		pvd_book_add_sheet(b, pvd_buf_str(&name), name.len, s->sh[i].state);
	}
	pvd_buf_free(&name);
	for (uint32_t i = 0; i < count; i++) {
		uint32_t rows, cols;
		if (rd(s, &tag, 1) || tag != 'H' || rd_u(s, &rows, 4) || rd_u(s, &cols, 2))
			return corrupt(b, e, "the .xls reader (libfreexl) failed on it");
		s->sh[i].rows = rows, s->sh[i].cols = cols;
		s->sh[i].cells_off = s->off;
		while (!rd(s, &tag, 1) && tag == 'C')
			if (rd_cell(s, 0))
				return corrupt(b, e, "the .xls reader (libfreexl) failed on it");
		if (tag != 'Z')
			return corrupt(b, e, "the .xls reader (libfreexl) failed on it");
	}
	return 0;
}

/* ---- the reader's operations ---- */

/* The next cell of freexl's in the sheet being read (have_fx), or its end. */
static int next_fx(struct pvd_book *b, struct xls *s, struct pvd_err *e)
{
	unsigned char tag;
	s->have_fx = 0;
	if (s->cells_left < 0)
		return 0;
	if (rd(s, &tag, 1) || (tag != 'C' && tag != 'Z') || (tag == 'C' && rd_cell(s, 1)))
		return corrupt(b, e, "the .xls reader (libfreexl) failed on it");
	if (tag == 'Z')
		s->cells_left = -1;
	else
		s->have_fx = 1;
	return 0;
}

static int xls_begin(struct pvd_book *b, size_t idx, struct pvd_err *e)
{
	struct xls *s = b->impl;
	int rc = scan_sheet(b, s, idx, e);
	if (rc)
		return rc;
	rd_seek(s, s->sh[idx].cells_off);
	s->cells_left = 0;
	b->width_hint = s->sh[idx].cols;
	return next_fx(b, s, e);
}

static void add(struct pvd_rowb *rb, long col, int bad, const char *t, size_t n)
{
	if (bad == 1) {
		pvd_rowb_bad(rb, col, PVD_R_CELL_ERROR, "error value %.*s", (int)(n < 40 ? n : 40), t);
		pvd_rowb_keep(rb, col, t, n);
	} else if (bad)
		pvd_rowb_bad(rb, col, PVD_R_CELL_ERROR, "%.*s", (int)(n < 80 ? n : 80), t);
	else
		pvd_rowb_cell(rb, col, t, n);
}

static int xls_next(struct pvd_book *b, struct pvd_rowb *rb, struct pvd_err *e)
{
	struct xls *s = b->impl;
	int rc;
	for (;;) {
		uint64_t rf = s->have_fx ? s->fx_row : UINT64_MAX;
		uint64_t ro = s->oi < s->nov ? s->ov[s->oi].row : UINT64_MAX;
		uint64_t row = rf < ro ? rf : ro;
		if (row == UINT64_MAX)
			return 0;
		pvd_rowb_start(rb, (long)row + 1);
		for (;;) {
			int f = s->have_fx && s->fx_row == row, o = s->oi < s->nov && s->ov[s->oi].row == row;
			if (!f && !o)
				break;
			if (o && (!f || s->ov[s->oi].col <= s->fx_col)) {
				const struct ov *v = &s->ov[s->oi++];
				add(rb, v->col, v->bad, s->ovtext.p + v->off, v->len);
				/* freexl's cell at the same place gives way */
				if (f && s->fx_col == v->col && (rc = next_fx(b, s, e)))
					return rc;
			} else {
				add(rb, s->fx_col, s->fx_bad, pvd_buf_str(&s->fx_text), s->fx_text.len);
				if ((rc = next_fx(b, s, e)))
					return rc;
			}
		}
		if (rb->n || rb->bad_reason)
			return 1;
	}
}

static void xls_close(struct pvd_book *b)
{
	struct xls *s = b->impl;
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->wb);
	free(s->xf_fmt);
	free(s->fmt);
	free(s->sh);
	free(s->ov);
	pvd_buf_free(&s->ovtext);
	pvd_buf_free(&s->fx_text);
	free(s);
	b->impl = NULL;
}

const struct pvd_book_ops pvd_xls_ops = { xls_begin, xls_next, xls_close };

/* An OLE2 file with no workbook may be an encrypted xlsx (Office stores
 * those in OLE2, with an EncryptedPackage stream): its directory holds the
 * stream's name in UTF-16. */
static int encrypted_ooxml(const char *path)
{
	static const char name[] = "EncryptedPackage";
	char pat[2 * sizeof name];
	for (size_t i = 0; i < sizeof name - 1; i++)
		pat[2 * i] = name[i], pat[2 * i + 1] = 0;
	size_t plen = 2 * (sizeof name - 1);
	int fd = open(path, O_RDONLY | O_CLOEXEC), found = 0;
	if (fd < 0)
		return 0;
	char buf[65536 + 64];
	size_t keep = 0;
	ssize_t n;
	while (!found && (n = read(fd, buf + keep, 65536)) > 0) {
		size_t len = keep + (size_t)n;
		found = memmem(buf, len, pat, plen) != NULL;
		keep = len < plen ? len : plen;
		memmove(buf, buf + len - keep, keep);
	}
	close(fd);
	return found;
}

int pvd_xls_open(struct pvd_book *b, struct pvd_err *e)
{
	struct xls *s = xcalloc(1, sizeof *s);
	s->fd = -1;
	b->impl = s;
	b->ops = &pvd_xls_ops;
	int rc = pvd_cfb_workbook(b->path, b->file, &s->wb, &s->nwb, e);
	if (rc == 1)
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "%s",
				   encrypted_ooxml(b->path)
					   ? "password-protected: the workbook is encrypted (save it without a password)"
					   : "not a spreadsheet pvd can read: an OLE2 file with no workbook (a Word or other Office document?)");
	if (rc || (rc = scan_globals(b, s, e)) || (rc = run_freexl(b, s, e)) || (rc = index_cells(b, s, e)))
		return rc;
	return 0;
}
