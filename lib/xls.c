/* xls — BIFF workbooks (Excel 97-2003), read by libfreexl.
 *
 * freexl loads the workbook (at most 65536 rows by 256 columns) and gives
 * each cell typed: numbers, text, and dates and times already as text by
 * their format.  It knows no hidden sheets: all are visible. */
#include "sheetdrv.h"
#include "xmem.h"
#include "zipsafe.h"
#include <fcntl.h>
#include <freexl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct xls {
	const void *h;
	unsigned rows, line;
	unsigned short cols;
};

/* An OLE2 file that freexl cannot read may be an encrypted xlsx (Office
 * stores those in OLE2, with an EncryptedPackage stream): its directory
 * holds the stream's name in UTF-16. */
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

static int xls_begin(struct pvd_book *b, size_t idx, struct pvd_err *e)
{
	struct xls *s = b->impl;
	if (freexl_select_active_worksheet(s->h, (unsigned short)idx) != FREEXL_OK ||
	    freexl_worksheet_dimensions(s->h, &s->rows, &s->cols) != FREEXL_OK)
		return pvd_err_set(e, PVD_EX_DATA, pvd_book_where(b), 0, 0, "corrupt workbook: sheet unreadable");
	s->line = 0;
	b->width_hint = s->cols;
	return 0;
}

static void put_datetime(struct pvd_rowb *rb, long col, const char *t)
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
	pvd_rowb_cell(rb, col, out, n);
}

static int xls_next(struct pvd_book *b, struct pvd_rowb *rb, struct pvd_err *e)
{
	struct xls *s = b->impl;
	char num[400];
	while (s->line < s->rows) {
		unsigned row = s->line++;
		pvd_rowb_start(rb, (long)row + 1);
		for (unsigned short c = 0; c < s->cols; c++) {
			FreeXL_CellValue v;
			if (freexl_get_cell_value(s->h, row, c, &v) != FREEXL_OK) {
				pvd_rowb_bad(rb, c, PVD_R_CELL_ERROR, "unreadable cell");
				continue;
			}
			switch (v.type) {
			case FREEXL_CELL_INT:
				pvd_rowb_cell(rb, c, num, (size_t)snprintf(num, sizeof num, "%d", v.value.int_value));
				break;
			case FREEXL_CELL_DOUBLE: {
				size_t n = pvd_num_text(v.value.double_value, num, sizeof num);
				if (n)
					pvd_rowb_cell(rb, c, num, n);
				else
					pvd_rowb_bad(rb, c, PVD_R_CELL_ERROR, "not a finite number");
				break;
			}
			case FREEXL_CELL_TEXT:
			case FREEXL_CELL_SST_TEXT:
				if (v.value.text_value)
					pvd_rowb_cell(rb, c, v.value.text_value, strlen(v.value.text_value));
				break;
			case FREEXL_CELL_DATE:
			case FREEXL_CELL_DATETIME:
			case FREEXL_CELL_TIME:
				if (v.value.text_value)
					put_datetime(rb, c, v.value.text_value);
				break;
			default:
				break;
			}
		}
		if (rb->n || rb->bad_reason)
			return 1;
	}
	return 0;
}

static void xls_close(struct pvd_book *b)
{
	struct xls *s = b->impl;
	if (!s)
		return;
	if (s->h)
		freexl_close(s->h);
	free(s);
	b->impl = NULL;
}

const struct pvd_book_ops pvd_xls_ops = { xls_begin, xls_next, xls_close };

int pvd_xls_open(struct pvd_book *b, struct pvd_err *e)
{
	struct xls *s = xcalloc(1, sizeof *s);
	b->impl = s;
	b->ops = &pvd_xls_ops;
	int rc = freexl_open(b->path, &s->h);
	if (rc != FREEXL_OK) {
		if (encrypted_ooxml(b->path))
			return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0,
					   "password-protected: the workbook is encrypted (save it without a password)");
		if (rc == FREEXL_BIFF_WORKBOOK_NOT_FOUND)
			return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0,
					   "not a spreadsheet pvd can read: an OLE2 file with no workbook (a Word or other Office document?)");
		if (rc == FREEXL_INSUFFICIENT_MEMORY)
			return pvd_err_set(e, PVD_EX_SOFTWARE, b->file, 0, 0, "out of memory reading the workbook");
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "truncated or corrupt workbook (freexl error %d)", rc);
	}
	unsigned pw = 0, count = 0;
	/* freexl gives no handle (and no error) for a workbook with a FILEPASS
	 * record, and says "obfuscated" for the old XOR scheme. */
	if (!s->h || (freexl_get_info(s->h, FREEXL_BIFF_PASSWORD, &pw) == FREEXL_OK && pw == FREEXL_BIFF_OBFUSCATED))
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0,
				   "password-protected: the workbook is encrypted (save it without a password)");
	if (freexl_get_info(s->h, FREEXL_BIFF_SHEET_COUNT, &count) != FREEXL_OK)
		return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "corrupt workbook: no sheet list");
	for (unsigned i = 0; i < count; i++) {
		const char *name = NULL;
		if (freexl_get_worksheet_name(s->h, (unsigned short)i, &name) != FREEXL_OK || !name)
			return pvd_err_set(e, PVD_EX_DATA, b->file, 0, 0, "corrupt workbook: sheet %u has no name", i + 1);
		pvd_book_add_sheet(b, name, strlen(name), PVD_SHEET_VISIBLE);
	}
	return 0;
}
