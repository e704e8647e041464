/* csvread: its hand-written fast path for a row whole on its line claims to
 * give exactly the cells libcsv would.  The oracle here is libcsv itself,
 * called directly with csvread's settings (strict, the delimiter, no space
 * character): every line of every fixture CSV (fixtures/, decoded as
 * csvread decodes it) and generated tricky lines (random mixes of quotes,
 * doubled quotes, delimiters, CR, spaces, tabs and UTF-8) are read by
 * csvread and by libcsv, and must give the same rows and cells; a line
 * libcsv refuses, or leaves inside an open quote, must be a rejected row.
 * Then whole generated files whose quoted fields hold LF and CRLF, read
 * both ways, give the same rows (csvread writes a quoted CRLF as LF).
 * The generator is seeded: the same lines every run. */
#include "check.h"
#include "csvread.h"
#include "input.h"
#include "xmem.h"
#include <csv.h>
#include <ftw.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

/* ---- rows as one comparable string: per row "R<ncells>", then per cell
 * "<len>:<bytes>"; a rejected row is "B" ---- */

static void put_cell(struct pvd_buf *b, const char *s, size_t n)
{
	pvd_buf_printf(b, "%zu:", n);
	pvd_buf_add(b, s, n);
}

/* ---- the oracle: libcsv, as csvread configures it ---- */

struct ref {
	struct pvd_buf rows;        /* the rows completed, serialised */
	struct pvd_buf row;         /* the row being read */
	size_t ncells, nrows;
	int crlf_to_lf;             /* write a quoted CRLF as LF, as csvread does */
};

static void ref_field(void *s, size_t n, void *data)
{
	struct ref *r = data;
	if (!r->crlf_to_lf || !memchr(s, '\r', n)) {
		put_cell(&r->row, s, n);
	} else {
		struct pvd_buf t = { 0 };
		const char *p = s;
		for (size_t i = 0; i < n; i++)
			if (!(p[i] == '\r' && i + 1 < n && p[i + 1] == '\n'))
				pvd_buf_addc(&t, p[i]);
		put_cell(&r->row, t.p ? t.p : "", t.len);
		pvd_buf_free(&t);
	}
	r->ncells++;
}

static void ref_row(int term, void *data)
{
	struct ref *r = data;
	pvd_buf_printf(&r->rows, "R%zu", r->ncells);
	pvd_buf_add(&r->rows, r->row.p ? r->row.p : "", r->row.len);
	pvd_buf_reset(&r->row);
	r->ncells = 0;
	r->nrows++;
}

static int no_space(unsigned char ch)
{
	return 0;
}

enum outcome { REF_WHOLE, REF_REFUSED, REF_OPEN };

/* Parses text (then a \n, as csvread feeds a line) with libcsv: the rows
 * into r, and whether the text ended whole, was refused, or left a quote open. */
static enum outcome ref_parse(struct ref *r, const char *s, size_t n, char delim)
{
	struct csv_parser p;
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_delim(&p, (unsigned char)delim);
	csv_set_space_func(&p, no_space);
	enum outcome o = REF_WHOLE;
	if (csv_parse(&p, s, n, ref_field, ref_row, r) < n || csv_parse(&p, "\n", 1, ref_field, ref_row, r) < 1)
		o = REF_REFUSED;
	else if (csv_fini(&p, ref_field, ref_row, r) != 0)
		o = REF_OPEN;
	csv_free(&p);
	pvd_buf_reset(&r->row);
	r->ncells = 0;
	return o;
}

/* ---- csvread on a file ---- */

static char tmp[] = "/tmp/pvd-test-csvread-XXXXXX";

static void write_tmp(const char *s, size_t n)
{
	FILE *f = fopen(tmp, "wb");
	if (!f || fwrite(s, 1, n, f) != n || fclose(f) != 0) {
		perror(tmp);
		exit(2);
	}
}

/* Reads path with csvread: one serialised string per event, ROW or BAD
 * (BLANK events are counted apart).  enc / delim: forced when not 0. */
struct events {
	struct pvd_buf *ev;
	long *line;
	size_t n, cap, blank;
	enum pvd_enc enc;
	char delim;
};

static void events_free(struct events *x)
{
	for (size_t i = 0; i < x->n; i++)
		pvd_buf_free(&x->ev[i]);
	free(x->ev);
	free(x->line);
	memset(x, 0, sizeof *x);
}

/* raw: also keep each event's raw text (the fixture lines), into raws. */
static int read_csv(const char *path, enum pvd_enc enc, char delim, struct events *x, struct events *raws)
{
	struct pvd_input in;
	struct pvd_err e = { 0 };
	struct pvd_csv *c;
	memset(x, 0, sizeof *x);
	if (pvd_input_open(&in, path, &e))
		return -1;
	struct pvd_csv_opts o = { .enc = enc, .delim = delim };
	if (pvd_csv_open(&c, &in, &o, &e)) {
		pvd_input_close(&in);
		return -1;
	}
	x->enc = pvd_csv_encoding(c);
	x->delim = pvd_csv_delimiter(c);
	struct pvd_csv_row row;
	int rc;
	while ((rc = pvd_csv_next(c, &row, &e)) == 1) {
		if (row.type == PVD_CSV_BLANK) {
			x->blank++;
			continue;
		}
		x->ev = xgrow(x->ev, &x->cap, x->n + 1, sizeof *x->ev);
		x->line = xrealloc(x->line, x->cap * sizeof *x->line);
		struct pvd_buf *b = &x->ev[x->n];
		memset(b, 0, sizeof *b);
		x->line[x->n] = row.line;
		if (row.type == PVD_CSV_ROW) {
			pvd_buf_printf(b, "R%zu", row.ncells);
			for (size_t i = 0; i < row.ncells; i++)
				put_cell(b, row.cell[i], row.len[i]);
		} else {
			pvd_buf_adds(b, "B");
		}
		if (raws && row.enc_col < 0) {
			raws->ev = xgrow(raws->ev, &raws->cap, raws->n + 1, sizeof *raws->ev);
			struct pvd_buf *r = &raws->ev[raws->n++];
			memset(r, 0, sizeof *r);
			pvd_buf_add(r, row.raw, row.rawlen);
		}
		x->n++;
	}
	pvd_csv_close(c);
	pvd_input_close(&in);
	return rc == 0 ? 0 : -1;
}

/* ---- one line, both ways ---- */

struct tally {
	size_t lines, whole, refused, open, blank, mismatch;
};

static void show(const char *what, const char *s, size_t n)
{
	printf("#   %s: \"", what);
	for (size_t i = 0; i < n && i < 300; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch >= 0x20 && ch < 0x7f)
			putchar(ch);
		else
			printf("\\x%02x", ch);
	}
	printf("\"%s\n", n > 300 ? "..." : "");
}

static int is_blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
			return 0;
	return 1;
}

/* A line csvread sees at the start of a row, in the files it is in: the
 * expected events (libcsv's rows, then "B" when libcsv refuses the line or
 * leaves a quote open at its end). */
static enum outcome expect_line(const char *s, size_t n, char delim, struct pvd_buf *want)
{
	struct ref r = { 0 };
	enum outcome o = ref_parse(&r, s, n, delim);
	pvd_buf_reset(want);
	pvd_buf_add(want, r.rows.p ? r.rows.p : "", r.rows.len);
	if (o != REF_WHOLE)
		pvd_buf_adds(want, "B");
	pvd_buf_free(&r.rows);
	pvd_buf_free(&r.row);
	return o;
}

/* Compares the events of one line with what libcsv says. */
static void compare(struct tally *t, const char *s, size_t n, const struct pvd_buf *want, const char *got,
		    size_t gotn, const char *where)
{
	if (want->len == gotn && memcmp(want->p ? want->p : "", got, gotn) == 0)
		return;
	if (t->mismatch++ < 5) {
		printf("# %s: csvread and libcsv differ on\n", where);
		show("line", s, n);
		show("libcsv", want->p ? want->p : "", want->len);
		show("csvread", got, gotn);
	}
}

/* Lines whose text libcsv reads whole, or refuses, end their row on their
 * line: they go to csvread together, one file, the events taken in order.
 * A line that leaves a quote open would swallow the next: alone. */
static void check_lines(struct tally *t, char **lines, size_t *lens, size_t nlines, char delim, const char *where)
{
	struct pvd_buf file = { 0 };
	struct pvd_buf *wants = xcalloc(nlines ? nlines : 1, sizeof *wants);
	unsigned char *batched = xcalloc(nlines ? nlines : 1, 1);
	for (size_t i = 0; i < nlines; i++) {
		if (is_blank(lines[i], lens[i])) {
			t->blank++;
			continue;
		}
		t->lines++;
		enum outcome o = expect_line(lines[i], lens[i], delim, &wants[i]);
		t->whole += o == REF_WHOLE;
		t->refused += o == REF_REFUSED;
		t->open += o == REF_OPEN;
		if (o == REF_OPEN) {
			struct pvd_buf one = { 0 };
			pvd_buf_add(&one, lines[i], lens[i]);
			pvd_buf_addc(&one, '\n');
			write_tmp(one.p, one.len);
			pvd_buf_free(&one);
			struct events x;
			struct pvd_buf got = { 0 };
			if (read_csv(tmp, PVD_ENC_UTF8, delim, &x, NULL) == 0)
				for (size_t k = 0; k < x.n; k++)
					pvd_buf_add(&got, x.ev[k].p, x.ev[k].len);
			compare(t, lines[i], lens[i], &wants[i], got.p ? got.p : "", got.len, where);
			pvd_buf_free(&got);
			events_free(&x);
			continue;
		}
		batched[i] = 1;
		pvd_buf_add(&file, lines[i], lens[i]);
		pvd_buf_addc(&file, '\n');
	}
	write_tmp(file.p ? file.p : "", file.len);
	struct events x;
	if (read_csv(tmp, PVD_ENC_UTF8, delim, &x, NULL) != 0) {
		t->mismatch++;
		printf("# %s: csvread failed on the batch\n", where);
	} else {
		/* Walk the events line by line: a batched line gives as many events
		 * as its expectation has rows (plus its "B"), on its own line. */
		size_t k = 0;
		long lineno = 0;
		for (size_t i = 0; i < nlines; i++) {
			if (!batched[i])
				continue;
			lineno++;
			struct pvd_buf got = { 0 };
			while (k < x.n && x.line[k] <= lineno) {
				if (x.line[k] == lineno)
					pvd_buf_add(&got, x.ev[k].p, x.ev[k].len);
				k++;
			}
			compare(t, lines[i], lens[i], &wants[i], got.p ? got.p : "", got.len, where);
			pvd_buf_free(&got);
		}
		if (k != x.n) {
			t->mismatch++;
			printf("# %s: %zu events left over\n", where, x.n - k);
		}
	}
	events_free(&x);
	for (size_t i = 0; i < nlines; i++)
		pvd_buf_free(&wants[i]);
	free(wants);
	free(batched);
	pvd_buf_free(&file);
}

/* ---- every fixture CSV ---- */

static struct tally fx;
static size_t nfiles;

static int fixture(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	size_t n = strlen(path);
	if (type != FTW_F || n < 4 || strcmp(path + n - 4, ".csv") != 0)
		return 0;
	/* csvread reads the file as pvd-ingest does (its encoding and delimiter
	 * detected); each event's text, decoded, is one fixture row. */
	struct events x, raws = { 0 };
	if (read_csv(path, PVD_ENC_AUTO, 0, &x, &raws) != 0) {
		printf("# %s: not readable\n", path);
		fx.mismatch++;
		return 0;
	}
	nfiles++;
	/* A row's lines: the first one (the only one the fast path may take)
	 * alone when the row spans lines; rows of one line as they are. */
	char **lines = xcalloc(raws.n ? raws.n : 1, sizeof *lines);
	size_t *lens = xcalloc(raws.n ? raws.n : 1, sizeof *lens);
	for (size_t i = 0; i < raws.n; i++) {
		const char *s = raws.ev[i].p ? raws.ev[i].p : "";
		const char *nl = memchr(s, '\n', raws.ev[i].len);
		lines[i] = (char *)s;
		lens[i] = nl ? (size_t)(nl - s) : raws.ev[i].len;
	}
	check_lines(&fx, lines, lens, raws.n, x.delim, path);
	free(lines);
	free(lens);
	events_free(&x);
	events_free(&raws);
	return 0;
}

/* ---- generated lines ---- */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static unsigned roll(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

static const char *const bits[] = { "\"", "\"\"", " ", "  ", "\t", "\r", "a", "bc", "1 234,56", "é", "€",
				    "ß", "😀", "\xc2\xa0", "x\"y", "\"\"\"", "NA", "" };
#define NBITS (sizeof bits / sizeof *bits)

/* A line of random pieces: text, quotes, delimiters (this one and the
 * others), CR, spaces, UTF-8; sometimes shaped as quoted cells. */
static void gen_line(struct pvd_buf *b, char delim)
{
	static const char delims[] = ",;\t|";
	unsigned cells = 1 + roll(6);
	pvd_buf_reset(b);
	for (unsigned c = 0; c < cells; c++) {
		if (c)
			pvd_buf_addc(b, roll(10) ? delim : delims[roll(4)]);
		int quoted = roll(3) == 0;
		if (quoted && roll(8))
			pvd_buf_addc(b, '"');
		unsigned pieces = roll(5);
		for (unsigned p = 0; p < pieces; p++) {
			if (roll(7) == 0)
				pvd_buf_addc(b, quoted ? delim : ' ');
			else
				pvd_buf_adds(b, bits[roll(NBITS)]);
		}
		if (quoted && roll(8))
			pvd_buf_addc(b, '"');
		if (roll(12) == 0)
			pvd_buf_adds(b, roll(2) ? " " : "\"");
	}
	if (roll(5) == 0)
		pvd_buf_addc(b, '\r');
}

/* A well-formed record of 2+ cells ending in LF or CRLF, its first cell
 * its number (a line of only spaces and tabs would be a blank line);
 * quoted cells may hold anything, LF and CRLF included. */
static void gen_record(struct pvd_buf *b, char delim, int i)
{
	unsigned cells = 2 + roll(5);
	pvd_buf_printf(b, "%d", i);
	for (unsigned c = 1; c < cells; c++) {
		pvd_buf_addc(b, delim);
		if (roll(2)) {
			static const char *const in[] = { "\n", "\r\n", "\"\"", " ", "a", "é", "\r", ",", ";", "\t", "|" };
			pvd_buf_addc(b, '"');
			for (unsigned p = roll(6); p; p--)
				pvd_buf_adds(b, in[roll(sizeof in / sizeof *in)]);
			pvd_buf_addc(b, '"');
		} else {
			static const char *const out[] = { " ", "a", "bc", "é", "😀", "1 234,56" };
			for (unsigned p = roll(4); p; p--)
				pvd_buf_adds(b, out[roll(sizeof out / sizeof *out)]);
		}
	}
	pvd_buf_adds(b, roll(3) ? "\n" : "\r\n");
}

int main(void)
{
	int fd = mkstemp(tmp);
	CHECK(fd >= 0, "scratch file");
	close(fd);

	/* libcsv also ends a row at a lone CR: the row it begins after one is on
	 * that line, and when its quoted field is still open at the end of the
	 * line it is an open row (it was dropped at the end of the file, or ran
	 * on into the next line the fast path took). */
	static const struct {
		const char *text, *want;
	} cr[] = {
		{ "h\na,b\rc,d\n", "1R11:h|2R21:a1:b|2R21:c1:d|" },
		{ "h\na,b\r\"c,d\n", "1R11:h|2R21:a1:b|2B|" },
		/* No LF at all: a CR-only file, each CR a line end counted as such. */
		{ "a,b\r\"c,d", "1R21:a1:b|2B|" },
		{ "a,b\rc", "1R21:a1:b|2R11:c|" },
	};
	for (size_t i = 0; i < sizeof cr / sizeof *cr; i++) {
		write_tmp(cr[i].text, strlen(cr[i].text));
		struct events x;
		struct pvd_buf got = { 0 };
		if (read_csv(tmp, PVD_ENC_UTF8, ',', &x, NULL) == 0)
			for (size_t k = 0; k < x.n; k++) {
				pvd_buf_printf(&got, "%ld", x.line[k]);
				pvd_buf_add(&got, x.ev[k].p, x.ev[k].len);
				pvd_buf_addc(&got, '|');
			}
		CHECK_STR(pvd_buf_str(&got), cr[i].want, "a lone CR inside a line: rows and lines of %zu", i + 1);
		pvd_buf_free(&got);
		events_free(&x);
	}

	/* Every fixture CSV. */
	nftw("fixtures", fixture, 16, FTW_PHYS);
	CHECK(nfiles >= 20 && fx.lines >= 1000, "fixtures: %zu CSV files, %zu rows read both ways", nfiles, fx.lines);
	CHECK_INT(fx.mismatch, 0,
		  "fixtures: csvread gives libcsv's cells on every row (%zu whole, %zu refused, %zu open, %zu blank)",
		  fx.whole, fx.refused, fx.open, fx.blank);

	/* Generated lines, per delimiter. */
	static const char delims[] = ",;\t|";
	for (int d = 0; d < 4; d++) {
		struct tally t = { 0 };
		enum { N = 5000 };
		static struct pvd_buf gen[N];
		char *lines[N];
		size_t lens[N];
		for (size_t i = 0; i < N; i++) {
			gen_line(&gen[i], delims[d]);
			lines[i] = gen[i].p ? gen[i].p : (char *)"";
			lens[i] = gen[i].len;
		}
		char where[32];
		snprintf(where, sizeof where, "generated, delimiter %s", pvd_csv_delim_name(delims[d]));
		check_lines(&t, lines, lens, N, delims[d], where);
		CHECK(t.whole > N / 10 && t.refused > N / 20 && t.open > N / 20,
		      "%s: every outcome drawn (%zu whole, %zu refused, %zu open, %zu blank)", where, t.whole,
		      t.refused, t.open, t.blank);
		CHECK_INT(t.mismatch, 0, "%s: csvread gives libcsv's cells on each of %zu lines", where, t.lines);
		for (size_t i = 0; i < N; i++)
			pvd_buf_free(&gen[i]);
	}

	/* Whole files of well-formed records, quoted LF and CRLF inside. */
	for (int d = 0; d < 4; d++) {
		struct pvd_buf file = { 0 };
		for (int i = 0; i < 3000; i++)
			gen_record(&file, delims[d], i);
		struct ref r = { .crlf_to_lf = 1 };
		enum outcome o = ref_parse(&r, file.p, file.len, delims[d]);
		write_tmp(file.p, file.len);
		struct events x;
		struct pvd_buf got = { 0 };
		int rc = read_csv(tmp, PVD_ENC_UTF8, delims[d], &x, NULL);
		for (size_t k = 0; k < x.n; k++)
			pvd_buf_add(&got, x.ev[k].p, x.ev[k].len);
		if (got.len != r.rows.len || memcmp(got.p, r.rows.p, got.len) != 0) {
			size_t i = 0;
			while (i < got.len && i < r.rows.len && got.p[i] == r.rows.p[i])
				i++;
			size_t from = i > 80 ? i - 80 : 0;
			show("libcsv from the first difference", r.rows.p + from, r.rows.len - from < 200 ? r.rows.len - from : 200);
			show("csvread from the first difference", got.p + from, got.len - from < 200 ? got.len - from : 200);
			printf("#   rows: libcsv %zu, csvread %zu (%zu blank)\n", r.nrows, x.n, x.blank);
		}
		CHECK(rc == 0 && o == REF_WHOLE && r.nrows == 3000 && x.n == 3000 && x.blank == 0 &&
		      got.len == r.rows.len && memcmp(got.p, r.rows.p, got.len) == 0,
		      "3000 records with quoted LF/CRLF, delimiter %s: the same rows and cells both ways",
		      pvd_csv_delim_name(delims[d]));
		pvd_buf_free(&got);
		events_free(&x);
		pvd_buf_free(&r.rows);
		pvd_buf_free(&r.row);
		pvd_buf_free(&file);
	}
	unlink(tmp);
	return check_done();
}
