/* demo-gen — the demo data of the pvd pipeline: raw exports of the quarters
 * 2021-Q3 and 2021-Q4 shaped as préfectures and partners send them, built on
 * the project's real PVD lists and commune tables (config/ref), from which
 * the pipeline reproduces the figures the late-2021 dashboard published.
 *
 *   demo-gen [--ref DIR] OUTDIR      (DIR: default config/ref)
 *
 * writes OUTDIR/pvd-liste-2021-S2.csv (the PVD list in force in 2021-Q3 and
 * 2021-Q4), OUTDIR/2021-Q3/ and OUTDIR/2021-Q4/ (one CSV per export) and
 * OUTDIR/planted-rejects.tsv (every bad row planted on purpose: quarter,
 * stage, file, line, reason).  The output depends on nothing but the
 * reference tables: a fixed PRNG seed, integer money and dates, no locale,
 * no clock.  fixtures/demo/README.md says what is in each file and which
 * numerator and denominator each published share was given.
 *
 * How the targets are met: each dataset is first drawn as a timeline (who,
 * when, how much) in which the records that count for a quarter are chosen
 * as exact sets of PVD communes (current COG codes) and exact sums of cents;
 * an export of a quarter is then that timeline as known on its export date
 * (two weeks after the quarter), so it also holds records dated after the
 * quarter, plus records the indicators leave out (communes outside the
 * programme, other grant types, other budget years) and bad rows.
 *
 * Memory: everything lives in one arena, freed at exit. */
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "datefmt.h"  /* pvd_days_in_month */

/* ============================================================================
 * Arena, errors
 * ========================================================================= */

struct block {
	struct block *next;
	size_t used, size;
	_Alignas(16) unsigned char data[];
};
static struct block *arena;

static _Noreturn void die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("demo-gen: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	exit(status);
}

static void *amalloc(size_t n)
{
	n = (n + 15) & ~(size_t)15;
	if (!arena || arena->size - arena->used < n) {
		size_t sz = n > (1u << 20) ? n : (1u << 20);
		struct block *b = malloc(sizeof *b + sz);
		if (!b)
			die(70, "out of memory");
		b->next = arena;
		b->used = 0;
		b->size = sz;
		arena = b;
	}
	void *p = arena->data + arena->used;
	arena->used += n;
	memset(p, 0, n);
	return p;
}

static void arena_free(void)
{
	while (arena) {
		struct block *n = arena->next;
		free(arena);
		arena = n;
	}
}

static char *astrndup(const char *s, size_t n)
{
	char *p = amalloc(n + 1);
	memcpy(p, s, n);
	return p;
}
static char *astrdup(const char *s) { return astrndup(s, strlen(s)); }

static char *afmt(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *afmt(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	char *p = amalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

#define VEC(T) struct { T *v; size_t n, cap; }
#define vpush(vec, x)                                                                    \
	do {                                                                             \
		if ((vec).n == (vec).cap) {                                              \
			size_t nc_ = (vec).cap ? 2 * (vec).cap : 16;                     \
			void *np_ = amalloc(nc_ * sizeof *(vec).v);                      \
			if ((vec).n)                                                     \
				memcpy(np_, (vec).v, (vec).n * sizeof *(vec).v);         \
			(vec).v = np_;                                                   \
			(vec).cap = nc_;                                                 \
		}                                                                        \
		(vec).v[(vec).n++] = (x);                                                \
	} while (0)

typedef VEC(int) ivec;

/* Growable text. */
struct sb {
	char *p;
	size_t n, cap;
};
static void sb_add(struct sb *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap * 2 : 256;
		while (nc < b->n + n + 1)
			nc *= 2;
		char *np = amalloc(nc);
		if (b->n)
			memcpy(np, b->p, b->n);
		b->p = np;
		b->cap = nc;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}
static void sb_puts(struct sb *b, const char *s) { sb_add(b, s, strlen(s)); }
static void sb_putc(struct sb *b, char c) { sb_add(b, &c, 1); }

/* ============================================================================
 * PRNG: splitmix64, one stream per dataset (a change in one dataset leaves
 * the others as they were)
 * ========================================================================= */

#define SEED 0x5056442021C4ULL  /* "PVD" 2021-Q4 */

struct rng {
	uint64_t s;
};
static struct rng stream(uint64_t k) { return (struct rng){ SEED ^ (k * 0x9E3779B97F4A7C15ULL) }; }
static uint64_t rnd(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ULL);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}
static int below(struct rng *r, int n) { return n <= 1 ? 0 : (int)(rnd(r) % (uint64_t)n); }
static int chance(struct rng *r, int percent) { return below(r, 100) < percent; }
static void shuffle(struct rng *r, int *a, size_t n)
{
	for (size_t i = n; i > 1; i--) {
		size_t j = (size_t)below(r, (int)i);
		int t = a[i - 1];
		a[i - 1] = a[j];
		a[j] = t;
	}
}

/* Stable sort (insertion: the demo's arrays are small): equal elements keep
 * their order, the same on every libc, which qsort does not promise. */
static void ssort(void *base, size_t n, size_t size, int (*before)(const void *, const void *))
{
	char *a = base, *t = amalloc(size);
	for (size_t i = 1; i < n; i++) {
		memcpy(t, a + i * size, size);
		size_t j = i;
		for (; j > 0 && before(t, a + (j - 1) * size); j--)
			memcpy(a + j * size, a + (j - 1) * size, size);
		memcpy(a + j * size, t, size);
	}
}

/* ============================================================================
 * Dates: day numbers since 1970-01-01 (proleptic Gregorian)
 * ========================================================================= */

/* The demo's dates lie between 2018 and 2027: counting months is enough. */
static int year_days(int y) { return 337 + pvd_days_in_month(y, 2); }
static int32_t dnum(int y, int m, int d)
{
	int32_t z = d - 1;
	for (int k = 1970; k < y; k++)
		z += year_days(k);
	for (int k = 1; k < m; k++)
		z += pvd_days_in_month(y, k);
	return z;
}
static void dciv(int32_t z, int *y, int *m, int *d)
{
	int yy = 1970, mm = 1;
	for (; z >= year_days(yy); yy++)
		z -= year_days(yy);
	for (; z >= pvd_days_in_month(yy, mm); mm++)
		z -= pvd_days_in_month(yy, mm);
	*y = yy;
	*m = mm;
	*d = (int)z + 1;
}
static int32_t drand(struct rng *r, int32_t a, int32_t b) { return a + below(r, b - a + 1); }
/* Whether date a comes before date b, an undated record (0) after all. */
static int date_before(int32_t a, int32_t b) { return (a ? a : INT32_MAX) < (b ? b : INT32_MAX); }
/* Monday to Friday: administrations sign on working days. */
static int32_t workday(int32_t z)
{
	int wd = (int)((z + 3) % 7);  /* 1970-01-01 was a Thursday: 0 = Monday */
	return wd == 5 ? z + 2 : wd == 6 ? z + 1 : z;
}

enum dstyle { DS_DMY, DS_ISO, DS_DMY_DASH, DS_DMY_TIME, DS_ISO_TIME, DS_MONTH, DS_TEXT, DS_FS };
static const char *const month_fr[] = { "janvier", "février", "mars", "avril", "mai", "juin", "juillet",
					"août", "septembre", "octobre", "novembre", "décembre" };

static const char *fdate(int32_t z, enum dstyle st)
{
	int y, m, d;
	dciv(z, &y, &m, &d);
	int hh = 8 + (int)(((uint32_t)z * 7u) % 10u), mm = (int)(((uint32_t)z * 13u) % 60u);
	switch (st) {
	case DS_DMY: return afmt("%02d/%02d/%04d", d, m, y);
	case DS_ISO: return afmt("%04d-%02d-%02d", y, m, d);
	case DS_DMY_DASH: return afmt("%02d-%02d-%04d", d, m, y);
	case DS_DMY_TIME: return afmt("%02d-%02d-%04d %02d:%02d", d, m, y, hh, mm);
	case DS_ISO_TIME: return afmt("%04d-%02d-%02d %02d:%02d:00", y, m, d, hh, mm);
	case DS_MONTH: return afmt("%02d/%04d", m, y);
	case DS_TEXT: return afmt("%d %s %04d", d, month_fr[m - 1], y);
	case DS_FS: return afmt("Espace labellisé %02d/%02d/%04d", d, m, y);
	}
	return "";
}

/* ============================================================================
 * Amounts: integer cents written the French ways
 * ========================================================================= */

enum mstyle { MS_FR, MS_FR_NBSP, MS_FR_NNBSP, MS_FR_EUR, MS_FR_PLAIN, MS_DOT, MS_EUROS_EUR, MS_MEUR };

static void group3(struct sb *b, int64_t euros, const char *sep)
{
	char d[32];
	int n = snprintf(d, sizeof d, "%lld", (long long)euros);
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			sb_puts(b, sep);
		sb_putc(b, d[i]);
	}
}

static const char *fmoney(int64_t c, enum mstyle st)
{
	struct sb b = { 0 };
	if (c < 0) {
		sb_putc(&b, '-');
		c = -c;
	}
	int64_t e = c / 100, ct = c % 100;
	char cents[8];
	snprintf(cents, sizeof cents, "%02d", (int)ct);
	switch (st) {
	case MS_FR: group3(&b, e, " "); sb_putc(&b, ','); sb_puts(&b, cents); break;
	case MS_FR_NBSP: group3(&b, e, "\u00a0"); sb_putc(&b, ','); sb_puts(&b, cents); break;
	case MS_FR_NNBSP: group3(&b, e, "\u202f"); sb_putc(&b, ','); sb_puts(&b, cents); break;
	case MS_FR_EUR: group3(&b, e, " "); sb_putc(&b, ','); sb_puts(&b, cents); sb_puts(&b, " €"); break;
	case MS_FR_PLAIN: group3(&b, e, ""); sb_putc(&b, ','); sb_puts(&b, cents); break;
	case MS_DOT: group3(&b, e, ""); sb_putc(&b, '.'); sb_puts(&b, cents); break;
	case MS_EUROS_EUR:
		if (ct)
			die(70, "internal: %lld cents written in whole euros", (long long)c);
		group3(&b, e, " ");
		sb_puts(&b, " €");
		break;
	case MS_MEUR:
		if (c % 10000000)
			die(70, "internal: %lld cents written in M€", (long long)c);
		sb_puts(&b, afmt("%lld,%lld M€", (long long)(c / 100000000), (long long)(c / 10000000 % 10)));
		break;
	}
	return b.p;
}

/* Splits total (cents) over n parts, proportionally to random weights in
 * [lo, hi], in whole euros but for the cents of the total, every part > 0. */
static void split_amount(struct rng *r, int64_t total, size_t n, int64_t *out, int lo, int hi)
{
	if (!n)
		die(70, "internal: amount split over no part");
	int64_t *w = amalloc(n * sizeof *w), W = 0, acc = 0;
	for (size_t i = 0; i < n; i++)
		W += w[i] = lo + below(r, hi - lo + 1);
	int64_t euros = total / 100;
	for (size_t i = 0; i < n; i++)
		acc += out[i] = euros * w[i] / W * 100;
	int64_t rem = total - acc;
	for (size_t i = 0; rem >= 100; i = (i + 1) % n, rem -= 100)
		out[i] += 100;
	out[n - 1] += rem;
	for (size_t i = 0; i < n; i++)
		if (out[i] <= 0)
			die(70, "internal: amount split left a part empty");
}

/* ============================================================================
 * Yes / no / unknown
 * ========================================================================= */

enum bstyle { BS_OUINON, BS_ON, BS_X, BS_10, BS_TF };
static const char *fbool(int v, enum bstyle st)
{
	static const char *const t[][3] = {
		[BS_OUINON] = { "Non", "Oui", "Inconnu" }, [BS_ON] = { "N", "O", "" },
		[BS_X] = { "", "x", "" },                  [BS_10] = { "0", "1", "" },
		[BS_TF] = { "false", "true", "" },
	};
	return t[st][v < 0 ? 2 : v ? 1 : 0];
}

/* ============================================================================
 * Sheets: records laid out as an export, lines counted for the manifest
 * ========================================================================= */

enum { ENC_UTF8, ENC_CP1252 };
enum { QM_MIN, QM_ALL, QM_NONEMPTY };
#define MAXCOLS 26
#define NF 32

struct col {
	const char *head;
	int f;  /* field slot, -1: always empty */
};

struct srow {
	const char *v[NF];       /* cell text (UTF-8) per field slot; NULL: empty */
	const char *raw;         /* a raw line (UTF-8) instead of the cells */
	const char *rawbytes;    /* a raw line written byte for byte */
	int64_t amt[2];          /* values of the TOTAL row's fields */
	int has_amt[2];
	const char *stage, *reason;  /* a planted bad row */
};

struct sheet {
	const char *file;
	int q;
	int enc, bom, crlf, quote;
	char delim;
	const char *titles[6];   /* lines above the header; "" a blank line */
	int ntitles;
	struct col cols[MAXCOLS];
	int ncols;
	VEC(struct srow *) rows;
	const char *total_label; /* TOTAL row below the data, or NULL */
	int total_f[2];          /* its summed field slots (-1: none) */
	enum mstyle total_style;
	int64_t total_extra;     /* added to the first sum: a TOTAL wrong on purpose */
	int total_blank;         /* a blank line before it */
};

static const char *const QNAME[2] = { "2021-Q3", "2021-Q4" };
static int32_t QEND[2], QEXPORT[2];

struct planted {
	int q;
	const char *stage, *file, *reason;
	long line;
};
static VEC(struct planted) manifest;
static VEC(struct sheet *) sheets;

static struct sheet *sheet_new(int q, const char *file, const struct col *cols, int ncols)
{
	struct sheet *s = amalloc(sizeof *s);
	s->q = q;
	s->file = file;
	s->delim = ',';
	s->total_f[0] = s->total_f[1] = -1;
	if (ncols > MAXCOLS)
		die(70, "internal: %s: too many columns", file);
	memcpy(s->cols, cols, (size_t)ncols * sizeof *cols);
	s->ncols = ncols;
	vpush(sheets, s);
	return s;
}
static struct srow *sheet_row(struct sheet *s)
{
	struct srow *r = amalloc(sizeof *r);
	vpush(s->rows, r);
	return r;
}
/* A planted bad row: a copy of row k, put right after it, that the caller
 * then spoils (left as it is, it is a duplicate row). */
static struct srow *spoil(struct sheet *s, size_t k, const char *stage, const char *reason)
{
	if (k >= s->rows.n)
		die(70, "internal: %s has no row %zu to spoil", s->file, k);
	struct srow *r = sheet_row(s);
	*r = *s->rows.v[k];
	r->stage = stage;
	r->reason = reason;
	memmove(s->rows.v + k + 2, s->rows.v + k + 1, (s->rows.n - 2 - k) * sizeof *s->rows.v);
	s->rows.v[k + 1] = r;
	return r;
}
/* Whether pvd-clean emits the row (its amounts are in the TOTAL sums). */
static int emitted(const struct srow *r)
{
	return !r->stage || strcmp(r->stage, "join") == 0 || strcmp(r->stage, "aggregate") == 0;
}

/* UTF-8 → Windows-1252, or die naming the character. */
static void to_cp1252(struct sb *out, const char *s, size_t n, const char *file)
{
	static const struct {
		unsigned cp;
		unsigned char b;
	} hi[] = { { 0x20AC, 0x80 }, { 0x201A, 0x82 }, { 0x0192, 0x83 }, { 0x201E, 0x84 }, { 0x2026, 0x85 },
		   { 0x2020, 0x86 }, { 0x2021, 0x87 }, { 0x02C6, 0x88 }, { 0x2030, 0x89 }, { 0x0160, 0x8A },
		   { 0x2039, 0x8B }, { 0x0152, 0x8C }, { 0x017D, 0x8E }, { 0x2018, 0x91 }, { 0x2019, 0x92 },
		   { 0x201C, 0x93 }, { 0x201D, 0x94 }, { 0x2022, 0x95 }, { 0x2013, 0x96 }, { 0x2014, 0x97 },
		   { 0x02DC, 0x98 }, { 0x2122, 0x99 }, { 0x0161, 0x9A }, { 0x203A, 0x9B }, { 0x0153, 0x9C },
		   { 0x017E, 0x9E }, { 0x0178, 0x9F } };
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	while (p < e) {
		unsigned cp;
		int len;
		if (*p < 0x80) {
			cp = *p;
			len = 1;
		} else if ((*p & 0xE0) == 0xC0) {
			cp = (unsigned)(*p & 0x1F) << 6 | (p[1] & 0x3F);
			len = 2;
		} else if ((*p & 0xF0) == 0xE0) {
			cp = (unsigned)(*p & 0x0F) << 12 | (unsigned)(p[1] & 0x3F) << 6 | (p[2] & 0x3F);
			len = 3;
		} else {
			cp = 0x10000;
			len = 4;
		}
		unsigned char b = 0;
		if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF))
			b = (unsigned char)cp;
		else
			for (size_t i = 0; i < sizeof hi / sizeof hi[0]; i++)
				if (hi[i].cp == cp)
					b = hi[i].b;
		if (!b && cp)
			die(70, "%s: U+%04X has no Windows-1252 byte", file, cp);
		sb_putc(out, (char)b);
		p += len;
	}
}

static int needs_quotes(const char *c, char delim)
{
	for (; *c; c++)
		if (*c == delim || *c == '"' || *c == '\n' || *c == '\r')
			return 1;
	return 0;
}

static void put_cell(struct sb *line, const char *c, const struct sheet *s)
{
	if (!c)
		c = "";
	int q = s->quote == QM_ALL || (s->quote == QM_NONEMPTY && *c) || needs_quotes(c, s->delim);
	if (!q) {
		sb_puts(line, c);
		return;
	}
	sb_putc(line, '"');
	for (; *c; c++) {
		if (*c == '"')
			sb_putc(line, '"');
		sb_putc(line, *c);
	}
	sb_putc(line, '"');
}

/* The text of a row as the sheet writes it (UTF-8); row_typed: as typed by
 * hand, its cells never quoted. */
static const char *row_join(const struct sheet *s, const struct srow *r, int quoted)
{
	struct sb l = { 0 };
	for (int c = 0; c < s->ncols; c++) {
		if (c)
			sb_putc(&l, s->delim);
		const char *cell = s->cols[c].f >= 0 ? r->v[s->cols[c].f] : NULL;
		if (quoted)
			put_cell(&l, cell, s);
		else
			sb_puts(&l, cell ? cell : "");
	}
	return l.p;
}
static const char *row_text(const struct sheet *s, const struct srow *r) { return row_join(s, r, 1); }
static const char *row_typed(const struct sheet *s, const struct srow *r) { return row_join(s, r, 0); }

static long count_nl(const char *s)
{
	long n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void emit_line(struct sb *out, const struct sheet *s, const char *text, int bytes)
{
	if (bytes || s->enc == ENC_UTF8)
		sb_puts(out, text);
	else
		to_cp1252(out, text, strlen(text), s->file);
	sb_puts(out, s->crlf ? "\r\n" : "\n");
}

static void mkdirs(const char *path)
{
	char *p = astrdup(path);
	for (char *c = p + 1; *c; c++)
		if (*c == '/') {
			*c = '\0';
			if (mkdir(p, 0777) && errno != EEXIST)
				die(73, "%s: %s", p, strerror(errno));
			*c = '/';
		}
	if (mkdir(p, 0777) && errno != EEXIST)
		die(73, "%s: %s", p, strerror(errno));
}

static void write_file(const char *path, const char *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		die(73, "%s: %s", path, strerror(errno));
	if (fwrite(data, 1, n, f) != n || fclose(f) != 0)
		die(74, "%s: write error", path);
}

static void sheet_write(const char *outdir, struct sheet *s)
{
	struct sb out = { 0 };
	long line = 1;
	if (s->bom)
		sb_puts(&out, "\xEF\xBB\xBF");
	for (int i = 0; i < s->ntitles; i++, line++)
		emit_line(&out, s, s->titles[i], 0);
	struct sb l = { 0 };
	for (int c = 0; c < s->ncols; c++) {
		if (c)
			sb_putc(&l, s->delim);
		put_cell(&l, s->cols[c].head, s);
	}
	emit_line(&out, s, l.p, 0);
	line++;
	int64_t sum[2] = { 0, 0 };
	for (size_t i = 0; i < s->rows.n; i++) {
		struct srow *r = s->rows.v[i];
		const char *text;
		if (r->rawbytes || r->raw)
			text = r->rawbytes ? r->rawbytes : r->raw;
		else
			text = row_text(s, r);
		if (r->stage) {
			struct planted p = { s->q, r->stage, s->file, r->reason, line };
			vpush(manifest, p);
		}
		if (emitted(r))
			for (int k = 0; k < 2; k++)
				if (r->has_amt[k])
					sum[k] += r->amt[k];
		emit_line(&out, s, text, r->rawbytes != NULL);
		line += 1 + count_nl(text);
	}
	if (s->total_label) {
		if (s->total_blank)
			emit_line(&out, s, "", 0);
		l.n = 0;
		if (l.p)
			l.p[0] = '\0';
		sum[0] += s->total_extra;
		for (int c = 0; c < s->ncols; c++) {
			if (c)
				sb_putc(&l, s->delim);
			const char *cell = c == 0 ? s->total_label : NULL;
			for (int k = 0; k < 2; k++)
				if (s->total_f[k] >= 0 && s->cols[c].f == s->total_f[k])
					cell = fmoney(sum[k], s->total_style);
			put_cell(&l, cell, s);
		}
		emit_line(&out, s, l.p, 0);
	}
	char *dir = afmt("%s/%s", outdir, QNAME[s->q]);
	mkdirs(dir);
	write_file(afmt("%s/%s", dir, s->file), out.p, out.n);
}

static int cmp_planted(const void *a, const void *b)
{
	const struct planted *x = a, *y = b;
	if (x->q != y->q)
		return x->q - y->q;
	int c = strcmp(x->file, y->file);
	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

static void manifest_write(const char *outdir)
{
	qsort(manifest.v, manifest.n, sizeof *manifest.v, cmp_planted);
	struct sb b = { 0 };
	sb_puts(&b, "quarter\tstage\tfile\tline\treason\n");
	for (size_t i = 0; i < manifest.n; i++) {
		const struct planted *p = &manifest.v[i];
		sb_puts(&b, afmt("%s\t%s\t%s/%s\t%ld\t%s\n", QNAME[p->q], p->stage, QNAME[p->q], p->file, p->line,
				 p->reason));
	}
	write_file(afmt("%s/planted-rejects.tsv", outdir), b.p, b.n);
}

/* ============================================================================
 * Reference tables (config/ref): CSV read whole, RFC 4180 quoting
 * ========================================================================= */

struct table {
	const char *path;
	char **head;
	size_t ncols;
	VEC(char **) rows;
};

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		die(66, "%s: %s", path, strerror(errno));
	struct sb b = { 0 };
	char buf[65536];
	size_t k;
	while ((k = fread(buf, 1, sizeof buf, f)) > 0)
		sb_add(&b, buf, k);
	if (ferror(f))
		die(74, "%s: read error", path);
	fclose(f);
	*n = b.n;
	return b.p ? b.p : astrdup("");
}

static struct table *table_read(const char *path)
{
	size_t n;
	const char *p = slurp(path, &n), *e = p + n;
	struct table *t = amalloc(sizeof *t);
	t->path = path;
	VEC(char *) cells = { 0 };
	struct sb cell = { 0 };
	int first = 1;
	while (p < e) {
		cells.n = 0;
		cells.v = NULL;
		cells.cap = 0;
		for (;;) {  /* one record */
			cell.n = 0;
			if (p < e && *p == '"') {
				for (p++; p < e; p++) {
					if (*p == '"') {
						if (p + 1 < e && p[1] == '"')
							sb_putc(&cell, *p++);
						else {
							p++;
							break;
						}
					} else
						sb_putc(&cell, *p);
				}
			}
			while (p < e && *p != ',' && *p != '\n' && *p != '\r')
				sb_putc(&cell, *p++);
			vpush(cells, astrndup(cell.n ? cell.p : "", cell.n));
			if (p < e && *p == ',') {
				p++;
				continue;
			}
			if (p < e && *p == '\r')
				p++;
			if (p < e && *p == '\n')
				p++;
			break;
		}
		if (first) {
			t->head = cells.v;
			t->ncols = cells.n;
			first = 0;
		} else if (cells.n == t->ncols) {
			vpush(t->rows, cells.v);
		} else if (!(cells.n == 1 && !cells.v[0][0])) {
			die(65, "%s: a row of %zu cells, the header has %zu", path, cells.n, t->ncols);
		}
	}
	return t;
}

static size_t tcol(const struct table *t, const char *name)
{
	for (size_t i = 0; i < t->ncols; i++)
		if (strcmp(t->head[i], name) == 0)
			return i;
	die(65, "%s: no column %s", t->path, name);
}

/* ============================================================================
 * The world: communes (COG 2026), EPCI, old codes, the PVD list of the period
 * ========================================================================= */

struct commune {
	char code[6];
	const char *nom, *dep, *dep_nom, *reg, *reg_nom;
	int epci;        /* index in E, -1: none */
	long pop;
	int pvd;         /* index in the list of the period, -1: not PVD */
	VEC(const char *) old;  /* codes of communes merged into it */
};
struct epci {
	char siren[10];
	const char *nom;
	ivec pvd;        /* its PVD communes, in code order */
	ivec others;     /* its other communes */
};
struct pvdent {
	const char *code, *nom, *dep, *epci, *id_pvd, *pop, *origine;
	int commune;
};

static struct commune *C;
static size_t NC;
static struct epci *E;
static size_t NE;
static VEC(struct pvdent) P;
static ivec PVDC;     /* commune index of each PVD commune, list order */
static ivec NONPVD;   /* communes outside the programme, code order */

static int commune_find(const char *code)
{
	size_t lo = 0, hi = NC;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(C[mid].code, code);
		if (!c)
			return (int)mid;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}
static int epci_find(const char *siren)
{
	for (size_t i = 0; i < NE; i++)
		if (strcmp(E[i].siren, siren) == 0)
			return (int)i;
	return -1;
}
static int is_pvd(int c) { return c >= 0 && C[c].pvd >= 0; }
static const char *reg_of(int c) { return C[c].reg; }

/* Commune indices in code order (C is sorted by code). */
static int code_before(const void *a, const void *b) { return *(const int *)a < *(const int *)b; }

static int cmp_commune(const void *a, const void *b)
{
	return strcmp(((const struct commune *)a)->code, ((const struct commune *)b)->code);
}

static void load_world(const char *ref)
{
	struct table *t = table_read(afmt("%s/cog-2026/communes.csv", ref));
	size_t ccode = tcol(t, "code_insee"), cnom = tcol(t, "nom"), cdep = tcol(t, "code_departement"),
	       cdepn = tcol(t, "nom_departement"), creg = tcol(t, "code_region"), cregn = tcol(t, "nom_region"),
	       cepci = tcol(t, "siren_epci"),
	       cepcin = tcol(t, "nom_epci"), cpop = tcol(t, "population");
	NC = t->rows.n;
	C = amalloc(NC * sizeof *C);
	for (size_t i = 0; i < NC; i++) {
		char **r = t->rows.v[i];
		if (strlen(r[ccode]) != 5)
			die(65, "%s: bad code %s", t->path, r[ccode]);
		memcpy(C[i].code, r[ccode], 6);
		C[i].nom = r[cnom];
		C[i].dep = r[cdep];
		C[i].dep_nom = r[cdepn];
		C[i].reg = r[creg];
		C[i].reg_nom = r[cregn];
		C[i].pop = strtol(r[cpop], NULL, 10);
		C[i].pvd = -1;
		C[i].epci = -1;
	}
	qsort(C, NC, sizeof *C, cmp_commune);
	/* EPCI, in SIREN order of first appearance sorted */
	VEC(struct epci) ev = { 0 };
	for (size_t i = 0; i < t->rows.n; i++) {
		char **r = t->rows.v[i];
		if (!r[cepci][0])
			continue;
		int ci = commune_find(r[ccode]);
		int found = -1;
		for (size_t k = 0; k < ev.n && found < 0; k++)
			if (strcmp(ev.v[k].siren, r[cepci]) == 0)
				found = (int)k;
		if (found < 0) {
			struct epci e = { 0 };
			snprintf(e.siren, sizeof e.siren, "%s", r[cepci]);
			e.nom = r[cepcin];
			vpush(ev, e);
			found = (int)ev.n - 1;
		}
		C[ci].epci = found;
	}
	E = ev.v;
	NE = ev.n;
	struct table *o = table_read(afmt("%s/cog-2026/anciens_codes.csv", ref));
	size_t oold = tcol(o, "ancien_code"), ocur = tcol(o, "code_insee_actuel");
	for (size_t i = 0; i < o->rows.n; i++) {
		int ci = commune_find(o->rows.v[i][ocur]);
		if (ci >= 0 && commune_find(o->rows.v[i][oold]) < 0)
			vpush(C[ci].old, o->rows.v[i][oold]);
	}

	/* The list of the period: the January 2021 list (its junk row left out:
	 * a code that is no commune) and the newcomers of the COG 2023 list that
	 * came as one batch in 2021, the région Bretagne's (README). */
	struct table *j = table_read(afmt("%s/pvd-2021-01.csv", ref));
	size_t jid = tcol(j, "id_pvd"), jcode = tcol(j, "insee_com"), jnom = tcol(j, "lib_com"),
	       jdep = tcol(j, "insee_dep"), jpop = tcol(j, "pop"), jepci = tcol(j, "siren_epci");
	for (size_t i = 0; i < j->rows.n; i++) {
		char **r = j->rows.v[i];
		int ci = commune_find(r[jcode]);
		if (ci < 0)
			continue;
		struct pvdent e = { r[jcode], r[jnom], r[jdep], strcmp(r[jepci], "NA") ? r[jepci] : "",
				    strcmp(r[jid], "NA") ? r[jid] : "", strcmp(r[jpop], "NA") ? r[jpop] : "",
				    "liste-2021-01", ci };
		vpush(P, e);
	}
	struct table *n = table_read(afmt("%s/pvd-cog2023.csv", ref));
	size_t ncode = tcol(n, "insee_com"), nnom = tcol(n, "lib_com"), nid = tcol(n, "id_pvd");
	for (size_t i = 0; i < n->rows.n; i++) {
		char **r = n->rows.v[i];
		int known = 0;
		for (size_t k = 0; k < P.n && !known; k++)
			known = strcmp(P.v[k].code, r[ncode]) == 0;
		if (known || strncmp(r[nid], "pvd-53-", 7) != 0)
			continue;
		int ci = commune_find(r[ncode]);
		if (ci < 0)
			die(65, "%s: %s is not a commune of COG 2026", n->path, r[ncode]);
		struct pvdent e = { r[ncode], r[nnom], C[ci].dep, C[ci].epci >= 0 ? E[C[ci].epci].siren : "",
				    r[nid], afmt("%ld", C[ci].pop), "cog2023-bretagne-2021", ci };
		vpush(P, e);
	}
	for (size_t i = 0; i < P.n; i++) {
		int ci = P.v[i].commune;
		if (C[ci].pvd >= 0)
			die(65, "the list names %s twice", C[ci].code);
		C[ci].pvd = (int)i;
		vpush(PVDC, ci);
	}
	for (size_t i = 0; i < NC; i++) {
		if (C[i].pvd < 0)
			vpush(NONPVD, (int)i);
		if (C[i].epci >= 0) {
			if (C[i].pvd >= 0)
				vpush(E[C[i].epci].pvd, (int)i);
			else
				vpush(E[C[i].epci].others, (int)i);
		}
	}
}

static void write_list(const char *outdir)
{
	struct sb b = { 0 };
	sb_puts(&b, "insee,nom,dep,epci_siren,id_pvd,population,origine\n");
	/* Code order, as a list of communes is kept. */
	for (size_t i = 0; i < NC; i++) {
		if (C[i].pvd < 0)
			continue;
		const struct pvdent *e = &P.v[C[i].pvd];
		struct sheet tmp = { .delim = ',' };
		struct sb l = { 0 };
		const char *cells[] = { e->code, e->nom, e->dep, e->epci, e->id_pvd, e->pop, e->origine };
		for (size_t k = 0; k < 7; k++) {
			if (k)
				sb_putc(&l, ',');
			put_cell(&l, cells[k], &tmp);
		}
		sb_puts(&b, l.p);
		sb_putc(&b, '\n');
	}
	write_file(afmt("%s/pvd-liste-2021-S2.csv", outdir), b.p, b.n);
}

/* --- choosing communes -------------------------------------------------- */

/* A shuffled copy of v. */
static int *shuffled(struct rng *r, const ivec *v)
{
	int *a = amalloc((v->n ? v->n : 1) * sizeof *a);
	memcpy(a, v->v, v->n * sizeof *a);
	shuffle(r, a, v->n);
	return a;
}

/* A commune outside the programme, metropolitan, chosen at random. */
static int random_nonpvd(struct rng *r)
{
	for (;;) {
		int c = NONPVD.v[below(r, (int)NONPVD.n)];
		if (strlen(C[c].dep) == 2)
			return c;
	}
}

/* Marks per commune, for building exact sets. */
static unsigned char *marks(void) { return amalloc(NC); }

/* Code as a spreadsheet leaves it: the leading zero dropped. */
static const char *code_drop0(const char *code) { return code[0] == '0' ? code + 1 : code; }
/* The name "27 - Nonancourt" of the DGALN file. */
static const char *dep_dash_nom(int c) { return afmt("%s - %s", C[c].dep, C[c].nom); }
/* An old code of commune c, or NULL. */
static const char *old_code(int c, int k) { return C[c].old.n ? C[c].old.v[(size_t)k % C[c].old.n] : NULL; }

/* A code that is neither a commune nor an old code, in département dep. */
static const char *unknown_code(const char *dep)
{
	for (int k = 999; k > 900; k--) {
		const char *code = afmt("%s%03d", dep, k);
		int old = 0;
		for (size_t i = 0; i < NC && !old; i++)
			for (size_t j = 0; j < C[i].old.n && !old; j++)
				old = strcmp(C[i].old.v[j], code) == 0;
		if (commune_find(code) < 0 && !old)
			return code;
	}
	die(70, "internal: no unknown code in %s", dep);
}

/* Luhn check of a SIREN. */
static int luhn_ok(const char *s)
{
	int t = 0;
	for (int i = 0; i < 9; i++) {
		int d = s[i] - '0';
		if (i % 2) {
			d *= 2;
			if (d > 9)
				d -= 9;
		}
		t += d;
	}
	return t % 10 == 0;
}
/* A 9-digit number that fails the check (a SIREN mistyped). */
static const char *bad_siren(const char *siren)
{
	char *s = astrdup(siren);
	s[8] = (char)('0' + (s[8] - '0' + 1) % 10);
	if (luhn_ok(s))
		die(70, "internal: %s still passes Luhn", s);
	return s;
}
/* A valid SIREN that is no EPCI (a syndicat mixte): built from a seed. */
static const char *syndicat_siren(int seed)
{
	for (int k = 0;; k++) {
		char *s = afmt("2500%05d", (seed * 37 + k) % 100000);
		if (luhn_ok(s) && epci_find(s) < 0)
			return s;
	}
}

/* Fills the beneficiary's slots of a row: a commune (code, name,
 * département) or an EPCI (SIREN, name). */
static void beneficiary(struct srow *w, int c, int e, int finsee, int fsiren, int fnom, int fdep)
{
	if (c >= 0) {
		w->v[finsee] = C[c].code;
		w->v[fnom] = C[c].nom;
		w->v[fdep] = C[c].dep;
	} else {
		w->v[fsiren] = E[e].siren;
		w->v[fnom] = E[e].nom;
	}
}

/* EPCI indices with at least `min` PVD communes, SIREN order. */
static ivec epcis_with(int min)
{
	ivec v = { 0 };
	for (size_t i = 0; i < NE; i++)
		if ((int)E[i].pvd.n >= min)
			vpush(v, (int)i);
	return v;
}

/* ============================================================================
 * Labels: the codes of the schemas and the synonyms préfectures write
 * ========================================================================= */

#define NORI 7
#define NEQU 6
#define NBES 3
static const char *const ORI_CODE[NORI] = { "economie_locale", "patrimoine", "sante_bien_vivre",
					    "integration_territoire", "transition_ecologique", "connectivite",
					    "acces_demarches" };
static const char *const ORI_A[NORI] = { "Économie locale", "Patrimoine", "Santé et bien vivre",
					 "Intégration dans le territoire", "Transition écologique", "Connectivité",
					 "Accès aux démarches" };
static const char *const ORI_B[NORI] = { "Développement économique", "Patrimoine et culture", "Bien vivre",
					 "Intégration territoriale", "Écologie", "Numérique", "Services publics" };
static const char *const EQU_CODE[NEQU] = { "culturel", "medico_social", "sportif", "tiers_lieu", "scolaire",
					    "commerce" };
static const char *const EQU_A[NEQU] = { "Culture", "Médico-social", "Sport", "Tiers-lieu", "École",
					 "Commerce de proximité" };
static const char *const EQU_B[NEQU] = { "Équipement culturel", "Équipement médico-social", "Équipement sportif",
					 "Tiers lieux", "Équipement scolaire", "Commerces" };
static const char *const BES_CODE[NBES] = { "chef_projet", "etudes", "investissements" };
static const char *const BES_A[NBES] = { "Chef de projet", "Études", "Investissements" };
static const char *const BES_B[NBES] = { "Ingénierie chef de projet", "Etude", "Investissement" };
static const char *const OPAH_CODE[4] = { "aucune", "simple", "complexe", "ru" };
static const char *const OPAH_A[4] = { "Aucune", "OPAH simple", "OPAH complexe", "OPAH-RU" };
static const char *const OPAH_B[4] = { "Pas d'OPAH", "OPAH", "OPAH complexe", "Renouvellement urbain" };
enum { PRES_MAIRE, PRES_EPCI, PRES_MAIRES_EPCI, PRES_MAIRES };
static const char *const PRES_CODE[4] = { "maire", "president_epci", "copresidence_maires_epci",
					  "copresidence_maires" };
static const char *const PRES_A[4] = { "Maire", "Président de l'EPCI", "Coprésidence maire(s) et président de l'EPCI",
				       "Coprésidence des maires" };
static const char *const PRES_B[4] = { "Le maire", "Présidence EPCI", "Coprésidence maires / EPCI",
				       "Coprésidence maires" };

static const char *join_list(unsigned mask, const char *const *lab, int n, const char *sep)
{
	struct sb b = { 0 };
	for (int i = 0; i < n; i++)
		if (mask & (1u << i)) {
			if (b.n)
				sb_puts(&b, sep);
			sb_puts(&b, lab[i]);
		}
	return b.p;  /* NULL: an empty cell */
}

/* Picks exactly k members of set (n) at random: out[i] = 1. */
static void pick_k(struct rng *r, const int *set, size_t n, size_t k, unsigned char *mark, unsigned char val)
{
	if (k > n)
		die(70, "internal: %zu picked out of %zu", k, n);
	int *a = amalloc((n ? n : 1) * sizeof *a);
	memcpy(a, set, n * sizeof *a);
	shuffle(r, a, n);
	for (size_t i = 0; i < k; i++)
		mark[a[i]] = val;
}

/* ============================================================================
 * conventions — conventions d'adhésion, one row per commune and convention
 * ========================================================================= */

/* Targets of 2021-Q4 (README: numerators over conventions.communes = 1426). */
#define CONV_COMMUNES 1426
#define CONV_NOMBRE 821
#define CONV_OTHERS 380        /* non-PVD signatories: (1426 + 380) / 821 = 2.2 */
#define CONV_JAN2022 20
#define CONV_PREPARATION 30
static const int ORI_N[NORI] = { 1112, 1027, 870, 784, 699, 528, 371 };
static const int EQU_N[NEQU] = { 742, 585, 570, 342, 300, 257 };
static const int BES_N[NBES] = { 1226, 898, 727 };
#define CD_TRUE 542
#define CR_TRUE 385
#define OPAH_SIMPLE 600
#define OPAH_COMPLEXE 313
#define OPAH_RU 485
#define OPAH_AUCUNE 20
#define PRES_UNKNOWN 41
#define PRES_N_MAIRES_EPCI 398
#define PRES_N_MAIRES 70
#define PRES_N_MAIRE 200
#define PRES_N_EPCI 112

struct conv {
	const char *id;
	int file;
	int kind;          /* 0 signed in 2021, 1 signed in January 2022, 2 in preparation */
	int32_t date;
	int pres;          /* -1 unknown */
	int q3;            /* in the 2021-Q3 export: 0 no, 1 dated, 2 undated */
	const char *epci;
	ivec pvd, other;
};

enum { CF_ID, CF_INSEE, CF_NOM, CF_DATE, CF_EPCI, CF_CD, CF_CR, CF_PRES, CF_ORI, CF_EQU, CF_OPAH, CF_BES, CF_DEP };

struct convfile {
	const char *file, *idfmt;
	int enc, bom, crlf, quote;
	char delim;
	const char *titles[4];
	int ntitles;
	struct col cols[13];
	int ncols;
	enum dstyle date;
	enum bstyle bools;
	const char *const *ori, *const *equ, *const *bes, *const *opah, *const *pres;
	const char *orisep, *equsep, *bessep;
	int drop0, corse_lower;
	const char *missing;  /* what an unknown value is written as */
};

static const struct convfile CONVF[5] = {
	{ "conventions-auvergne-rhone-alpes.csv", "ARA-%s-%03d", ENC_UTF8, 0, 0, QM_MIN, ';', { 0 }, 0,
	  { { "N° convention", CF_ID }, { "Département", CF_DEP }, { "Code INSEE", CF_INSEE }, { "Commune", CF_NOM },
	    { "Date de signature", CF_DATE }, { "SIREN EPCI", CF_EPCI }, { "CD engagé", CF_CD },
	    { "CR engagé", CF_CR }, { "Présidence du comité de projet", CF_PRES }, { "Orientations", CF_ORI },
	    { "Équipements", CF_EQU }, { "OPAH", CF_OPAH }, { "Besoins exprimés", CF_BES } },
	  13, DS_DMY, BS_OUINON, ORI_A, EQU_A, BES_A, OPAH_A, PRES_A, ", ", ", ", ", ", 1, 0, "" },
	{ "conventions-bretagne.csv", "BZH-%s-%03d", ENC_CP1252, 0, 1, QM_MIN, ';',
	  { "Préfecture de la région Bretagne – SGAR", "Suivi des conventions d'adhésion Petites villes de demain",
	    NULL, "" },
	  4,
	  { { "Numéro de convention", CF_ID }, { "Code commune", CF_INSEE }, { "Nom de la commune", CF_NOM },
	    { "Signée le", CF_DATE }, { "SIREN de l'EPCI", CF_EPCI }, { "Conseil départemental engagé", CF_CD },
	    { "Conseil régional engagé", CF_CR }, { "Présidence comité", CF_PRES },
	    { "Orientations du projet", CF_ORI }, { "Actions sur les équipements", CF_EQU },
	    { "Opération programmée (OPAH)", CF_OPAH }, { "Besoins", CF_BES } },
	  12, DS_DMY_DASH, BS_ON, ORI_B, EQU_B, BES_B, OPAH_B, PRES_B, " / ", ", ", " / ", 0, 0, "" },
	{ "conventions-occitanie.csv", "OCC-%s-%04d", ENC_UTF8, 1, 1, QM_ALL, ',', { 0 }, 0,
	  { { "Identifiant convention", CF_ID }, { "Code INSEE commune", CF_INSEE }, { "Nom commune", CF_NOM },
	    { "Date signature", CF_DATE }, { "EPCI (SIREN)", CF_EPCI }, { "Département engagé", CF_CD },
	    { "Région engagée", CF_CR }, { "Comité de projet présidé par", CF_PRES }, { "Orientations", CF_ORI },
	    { "Equipements envisagés", CF_EQU }, { "Intention OPAH", CF_OPAH }, { "Besoins exprimés", CF_BES } },
	  12, DS_ISO, BS_10, ORI_CODE, EQU_CODE, BES_CODE, OPAH_CODE, PRES_CODE, ";", ";", ";", 0, 0, "" },
	{ "conventions-hauts-de-france.csv", "HDF-%s-%03d", ENC_UTF8, 0, 0, QM_MIN, '\t', { 0 }, 0,
	  { { "Réf. convention", CF_ID }, { "INSEE", CF_INSEE }, { "Commune", CF_NOM }, { "Date de signature", CF_DATE },
	    { "SIREN EPCI", CF_EPCI }, { "CD engagé", CF_CD }, { "CR engagé", CF_CR }, { "Présidence comité", CF_PRES },
	    { "Orientations", CF_ORI }, { "Équipements", CF_EQU }, { "OPAH", CF_OPAH }, { "Besoins", CF_BES } },
	  12, DS_DMY, BS_X, ORI_A, EQU_A, BES_A, OPAH_A, PRES_A, "; ", "; ", "; ", 0, 0, "" },
	{ "conventions-anct-autres-regions.csv", "PVD-%s-%03d", ENC_UTF8, 0, 0, QM_MIN, ',', { 0 }, 0,
	  { { "convention_id", CF_ID }, { "insee", CF_INSEE }, { "nom", CF_NOM }, { "date_signature", CF_DATE },
	    { "epci_siren", CF_EPCI }, { "cd_engage", CF_CD }, { "cr_engage", CF_CR },
	    { "comite_presidence", CF_PRES }, { "orientations", CF_ORI }, { "equipements", CF_EQU },
	    { "opah", CF_OPAH }, { "besoins", CF_BES } },
	  12, DS_DMY_TIME, BS_TF, ORI_CODE, EQU_CODE, BES_CODE, OPAH_CODE, PRES_CODE, "; ", "; ", "; ", 0, 1, "NC" },
};

static int conv_file_of_reg(const char *reg)
{
	return !strcmp(reg, "84") ? 0 : !strcmp(reg, "53") ? 1 : !strcmp(reg, "76") ? 2 : !strcmp(reg, "32") ? 3 : 4;
}

/* Per-commune answers of the conventions (PVD or not). */
static signed char *A_cd, *A_cr, *A_opah;
static unsigned char *A_ori, *A_equ, *A_bes;
static unsigned char *A_oldcode;  /* 1: written with an old code, 2: an extra row with an old code */

static void random_answers(struct rng *r, int c)
{
	A_cd[c] = (signed char)(chance(r, 40) ? 1 : chance(r, 80) ? 0 : -1);
	A_cr[c] = (signed char)(chance(r, 25) ? 1 : chance(r, 80) ? 0 : -1);
	A_opah[c] = (signed char)below(r, 4);
	A_ori[c] = (unsigned char)(1 + below(r, 126));
	A_equ[c] = (unsigned char)below(r, 64);
	A_bes[c] = (unsigned char)below(r, 8);
}

static int conv_before(const void *a, const void *b)
{
	const struct conv *x = *(struct conv *const *)a, *y = *(struct conv *const *)b;
	if (x->file != y->file)
		return x->file < y->file;
	if (x->date != y->date)
		return date_before(x->date, y->date);
	return x->pvd.v[0] < y->pvd.v[0];
}

static VEC(struct conv *) CONV;

static void conventions_plan(void)
{
	struct rng r = stream(1);
	A_cd = amalloc(NC);
	A_cr = amalloc(NC);
	A_opah = amalloc(NC);
	A_ori = amalloc(NC);
	A_equ = amalloc(NC);
	A_bes = amalloc(NC);
	A_oldcode = amalloc(NC);

	/* Groups: the PVD communes of an EPCI sign one convention together. */
	VEC(ivec) groups = { 0 };
	for (size_t e = 0; e < NE; e++)
		if (E[e].pvd.n) {
			ivec g = { 0 };
			for (size_t k = 0; k < E[e].pvd.n; k++)
				vpush(g, E[e].pvd.v[k]);
			vpush(groups, g);
		}
	for (size_t i = 0; i < PVDC.n; i++)
		if (C[PVDC.v[i]].epci < 0) {
			ivec g = { 0 };
			vpush(g, PVDC.v[i]);
			vpush(groups, g);
		}
	int *order = amalloc(groups.n * sizeof *order);
	for (size_t i = 0; i < groups.n; i++)
		order[i] = (int)i;
	shuffle(&r, order, groups.n);
	/* 821 conventions: groups left out whole (single communes), then
	 * communes left out of bigger groups, down to 1426 signatories. */
	unsigned char *dropped_group = amalloc(groups.n);
	size_t ndrop = groups.n - CONV_NOMBRE, done = 0;
	ivec notsigned = { 0 };
	for (size_t i = 0; i < groups.n && done < ndrop; i++)
		if (groups.v[order[i]].n == 1) {
			dropped_group[order[i]] = 1;
			vpush(notsigned, groups.v[order[i]].v[0]);
			done++;
		}
	if (done < ndrop)
		die(70, "internal: too few single-commune groups");
	size_t need = PVDC.n - CONV_COMMUNES - notsigned.n;
	while (need > 0) {
		size_t g = (size_t)order[below(&r, (int)groups.n)];
		if (dropped_group[g] || groups.v[g].n < 2)
			continue;
		size_t k = (size_t)below(&r, (int)groups.v[g].n);
		vpush(notsigned, groups.v[g].v[k]);
		groups.v[g].v[k] = groups.v[g].v[--groups.v[g].n];
		need--;
	}
	for (size_t i = 0; i < groups.n; i++) {
		if (dropped_group[order[i]])
			continue;
		ivec *g = &groups.v[order[i]];
		ssort(g->v, g->n, sizeof *g->v, code_before);  /* code order inside a convention */
		struct conv *cv = amalloc(sizeof *cv);
		cv->pvd = *g;
		cv->kind = 0;
		cv->date = workday(chance(&r, 80) ? drand(&r, dnum(2021, 3, 1), dnum(2021, 9, 30))
						  : drand(&r, dnum(2021, 10, 1), dnum(2021, 12, 22)));
		vpush(CONV, cv);
	}
	/* Communes that had not signed by the end of 2021. */
	shuffle(&r, notsigned.v, notsigned.n);
	for (size_t i = 0; i < CONV_JAN2022 + CONV_PREPARATION; i++) {
		struct conv *cv = amalloc(sizeof *cv);
		vpush(cv->pvd, notsigned.v[i]);
		cv->kind = i < CONV_JAN2022 ? 1 : 2;
		cv->date = cv->kind == 1 ? workday(drand(&r, dnum(2022, 1, 3), dnum(2022, 1, 13))) : 0;
		vpush(CONV, cv);
	}
	for (size_t i = 0; i < CONV.n; i++) {
		struct conv *cv = CONV.v[i];
		int c0 = cv->pvd.v[0];
		cv->file = conv_file_of_reg(reg_of(c0));
		cv->epci = C[c0].epci >= 0 ? E[C[c0].epci].siren : "";
	}

	/* Signatories outside the programme: communes of the same EPCI. */
	int *co = amalloc(CONV.n * sizeof *co);
	for (size_t i = 0; i < CONV.n; i++)
		co[i] = (int)i;
	shuffle(&r, co, CONV.n);
	unsigned char *used = marks();
	size_t others = 0;
	for (int pass = 0; others < CONV_OTHERS; pass++) {
		if (pass > 50)
			die(70, "internal: not enough co-signatories");
		for (size_t i = 0; i < CONV.n && others < CONV_OTHERS; i++) {
			struct conv *cv = CONV.v[co[i]];
			int e = C[cv->pvd.v[0]].epci;
			if (cv->kind != 0 || e < 0 || !E[e].others.n || (pass > 0 && chance(&r, 50)))
				continue;
			int c = E[e].others.v[below(&r, (int)E[e].others.n)];
			if (used[c])
				continue;
			used[c] = 1;
			vpush(cv->other, c);
			random_answers(&r, c);
			others++;
		}
	}
	for (size_t i = 0; i < CONV.n; i++) {  /* a few for the later ones too */
		struct conv *cv = CONV.v[i];
		int e = C[cv->pvd.v[0]].epci;
		if (cv->kind != 0 && e >= 0 && E[e].others.n && chance(&r, 40)) {
			int c = E[e].others.v[below(&r, (int)E[e].others.n)];
			if (!used[c]) {
				used[c] = 1;
				vpush(cv->other, c);
				random_answers(&r, c);
			}
		}
	}

	/* The 1426 signatory PVD communes and their answers, exact counts. */
	ivec S = { 0 };
	for (size_t i = 0; i < CONV.n; i++)
		if (CONV.v[i]->kind == 0)
			for (size_t k = 0; k < CONV.v[i]->pvd.n; k++)
				vpush(S, CONV.v[i]->pvd.v[k]);
	if (S.n != CONV_COMMUNES)
		die(70, "internal: %zu signatories", S.n);
	unsigned char *m = marks();
	for (size_t i = 0; i < CONV.n; i++)
		if (CONV.v[i]->kind != 0)
			random_answers(&r, CONV.v[i]->pvd.v[0]);
	memset(m, 0, NC);
	pick_k(&r, S.v, S.n, CD_TRUE, m, 1);
	for (size_t i = 0; i < S.n; i++)
		A_cd[S.v[i]] = (signed char)(m[S.v[i]] ? 1 : chance(&r, 80) ? 0 : -1);
	memset(m, 0, NC);
	pick_k(&r, S.v, S.n, CR_TRUE, m, 1);
	for (size_t i = 0; i < S.n; i++)
		A_cr[S.v[i]] = (signed char)(m[S.v[i]] ? 1 : chance(&r, 85) ? 0 : -1);
	for (size_t i = 0; i < S.n; i++)
		A_ori[S.v[i]] = A_equ[S.v[i]] = A_bes[S.v[i]] = 0;
	for (int o = 0; o < NORI; o++) {
		memset(m, 0, NC);
		pick_k(&r, S.v, S.n, (size_t)ORI_N[o], m, 1);
		for (size_t i = 0; i < S.n; i++)
			A_ori[S.v[i]] |= (unsigned char)(m[S.v[i]] << o);
	}
	for (int o = 0; o < NEQU; o++) {
		memset(m, 0, NC);
		pick_k(&r, S.v, S.n, (size_t)EQU_N[o], m, 1);
		for (size_t i = 0; i < S.n; i++)
			A_equ[S.v[i]] |= (unsigned char)(m[S.v[i]] << o);
	}
	for (int o = 0; o < NBES; o++) {
		memset(m, 0, NC);
		pick_k(&r, S.v, S.n, (size_t)BES_N[o], m, 1);
		for (size_t i = 0; i < S.n; i++)
			A_bes[S.v[i]] |= (unsigned char)(m[S.v[i]] << o);
	}
	int *s = shuffled(&r, &S);
	for (size_t i = 0; i < S.n; i++)
		A_opah[s[i]] = (signed char)(i < OPAH_SIMPLE                                     ? 1
					     : i < OPAH_SIMPLE + OPAH_COMPLEXE                    ? 2
					     : i < OPAH_SIMPLE + OPAH_COMPLEXE + OPAH_RU          ? 3
					     : i < OPAH_SIMPLE + OPAH_COMPLEXE + OPAH_RU + OPAH_AUCUNE ? 0
												       : -1);
	/* Written with the code of a commune that merged into it: 8 replaced,
	 * 3 more listed twice (current and old code: one signatory). */
	int nold = 0;
	for (size_t i = 0; i < S.n && nold < 11; i++)
		if (C[s[i]].old.n) {
			A_oldcode[s[i]] = nold < 8 ? 1 : 2;
			nold++;
		}

	/* Committee presidency of the 821 conventions. */
	for (size_t i = 0; i < CONV.n; i++)
		CONV.v[i]->pres = -2;
	shuffle(&r, co, CONV.n);
	int nm = 0;
	for (size_t i = 0; i < CONV.n && nm < PRES_N_MAIRES; i++) {
		struct conv *cv = CONV.v[co[i]];
		if (cv->kind == 0 && cv->pvd.n + cv->other.n >= 2) {
			cv->pres = PRES_MAIRES;
			nm++;
		}
	}
	int k = 0;
	for (size_t i = 0; i < CONV.n; i++) {
		struct conv *cv = CONV.v[co[i]];
		if (cv->kind != 0) {
			cv->pres = chance(&r, 30) ? -1 : below(&r, 4);
			if (cv->pres == PRES_MAIRES && cv->pvd.n + cv->other.n < 2)
				cv->pres = PRES_MAIRES_EPCI;
			continue;
		}
		if (cv->pres != -2)
			continue;
		cv->pres = k < PRES_UNKNOWN                                         ? -1
			   : k < PRES_UNKNOWN + PRES_N_MAIRES_EPCI                  ? PRES_MAIRES_EPCI
			   : k < PRES_UNKNOWN + PRES_N_MAIRES_EPCI + PRES_N_MAIRE   ? PRES_MAIRE
										    : PRES_EPCI;
		k++;
	}
	if (nm != PRES_N_MAIRES || k != CONV_NOMBRE - PRES_N_MAIRES)
		die(70, "internal: presidencies %d %d", nm, k);

	/* Identifiers: per file and département, in order of signature. */
	ssort(CONV.v, CONV.n, sizeof *CONV.v, conv_before);
	VEC(const char *) deps = { 0 };
	ivec serial = { 0 };
	for (size_t i = 0; i < CONV.n; i++) {
		struct conv *cv = CONV.v[i];
		const char *key = afmt("%d:%s", cv->file, C[cv->pvd.v[0]].dep);
		size_t d = 0;
		while (d < deps.n && strcmp(deps.v[d], key))
			d++;
		if (d == deps.n) {
			vpush(deps, key);
			vpush(serial, 0);
		}
		cv->id = afmt(CONVF[cv->file].idfmt, C[cv->pvd.v[0]].dep, ++serial.v[d]);
		/* What the 2021-Q3 export knew. */
		if (cv->kind == 0 && cv->date <= QEXPORT[0])
			cv->q3 = 1;
		else if (cv->kind != 2)
			cv->q3 = chance(&r, 50) ? 2 : 0;
		else
			cv->q3 = 2;
	}
}

static const char *conv_code(const struct convfile *f, const char *code)
{
	if (f->drop0)
		return code_drop0(code);
	if (f->corse_lower && code[0] == '2' && (code[1] == 'A' || code[1] == 'B'))
		return afmt("2%c%s", code[1] + 32, code + 2);
	return code;
}

static struct srow *conv_row(struct sheet *s, const struct convfile *f, const struct conv *cv, int c,
			     const char *code, int dated)
{
	struct srow *w = sheet_row(s);
	w->v[CF_ID] = cv->id;
	w->v[CF_DEP] = C[c].dep;
	w->v[CF_INSEE] = conv_code(f, code);
	w->v[CF_NOM] = C[c].nom;
	w->v[CF_DATE] = dated ? fdate(cv->date, f->date) : f->missing;
	w->v[CF_EPCI] = cv->epci;
	w->v[CF_CD] = A_cd[c] < 0 && f->bools == BS_OUINON && (c % 2) ? "" : fbool(A_cd[c], f->bools);
	w->v[CF_CR] = fbool(A_cr[c], f->bools);
	w->v[CF_PRES] = cv->pres < 0 ? f->missing : f->pres[cv->pres];
	w->v[CF_ORI] = join_list(A_ori[c], f->ori, NORI, f->orisep);
	w->v[CF_EQU] = join_list(A_equ[c], f->equ, NEQU, f->equsep);
	w->v[CF_OPAH] = A_opah[c] < 0 ? f->missing : f->opah[A_opah[c]];
	w->v[CF_BES] = join_list(A_bes[c], f->bes, NBES, f->bessep);
	return w;
}



/* A bad convention row: a copy of row k with one field spoiled, under the
 * identifier "-BIS" so that it is no duplicate of its model. */
static struct srow *conv_spoil(struct sheet *s, size_t k, const char *stage, const char *reason, int f,
			       const char *value)
{
	struct srow *w = spoil(s, k, stage, reason);
	w->v[CF_ID] = afmt("%s-BIS", w->v[CF_ID]);
	w->v[f] = value;
	return w;
}

static void conventions_export(int q)
{
	struct sheet *sh[5];
	for (int f = 0; f < 5; f++) {
		const struct convfile *cf = &CONVF[f];
		struct sheet *s = sh[f] = sheet_new(q, cf->file, cf->cols, cf->ncols);
		s->enc = cf->enc;
		s->bom = cf->bom;
		s->crlf = cf->crlf;
		s->quote = cf->quote;
		s->delim = cf->delim;
		for (int t = 0; t < cf->ntitles; t++)
			s->titles[t] = cf->titles[t] ? cf->titles[t] : afmt("Extraction du %s", fdate(QEXPORT[q], DS_DMY));
		s->ntitles = cf->ntitles;
	}
	for (size_t i = 0; i < CONV.n; i++) {
		const struct conv *cv = CONV.v[i];
		int shown = q == 1 ? 1 + (cv->kind == 2) : cv->q3;
		if (!shown)
			continue;
		int dated = shown == 1;
		struct sheet *s = sh[cv->file];
		const struct convfile *f = &CONVF[cv->file];
		for (size_t k = 0; k < cv->pvd.n; k++) {
			int c = cv->pvd.v[k];
			conv_row(s, f, cv, c, A_oldcode[c] == 1 ? old_code(c, 0) : C[c].code, dated);
			if (A_oldcode[c] == 2)
				conv_row(s, f, cv, c, old_code(c, 0), dated);
		}
		for (size_t k = 0; k < cv->other.n; k++)
			conv_row(s, f, cv, cv->other.v[k], C[cv->other.v[k]].code, dated);
	}
	/* Bad rows (README): each a row of its own, so that no count moves;
	 * "-BIS" keeps a spoiled copy from being a duplicate of its model. */
	struct srow *w;
	/* ARA: a row pasted twice; a test row left in the sheet. */
	spoil(sh[0], 9 + (size_t)q, "clean", "duplicate-row");
	w = spoil(sh[0], sh[0]->rows.n / 2, "clean", "type-error");
	w->v[CF_INSEE] = "999999";
	w->v[CF_NOM] = "Commune test";
	/* Bretagne: a byte Windows-1252 does not define; a row cut short. */
	w = spoil(sh[1], 39, "ingest", "encoding-error");
	w->v[CF_NOM] = afmt("%s~", w->v[CF_NOM]);
	struct sb b = { 0 };
	const char *t = row_text(sh[1], w);
	to_cp1252(&b, t, strlen(t), sh[1]->file);
	*strchr(b.p, '~') = (char)0x81;
	w->rawbytes = b.p;
	w = spoil(sh[1], sh[1]->rows.n - 4, "ingest", "missing-cell");
	w->raw = afmt("%s;%s;%s;%s", w->v[CF_ID], w->v[CF_INSEE], w->v[CF_NOM], w->v[CF_DATE]);
	/* Occitanie: 30 February; a presidency nobody knows. */
	conv_spoil(sh[2], 12 + (size_t)q, "clean", "type-error", CF_DATE, "2021-02-30");
	conv_spoil(sh[2], 40 + (size_t)q, "clean", "unknown-value", CF_PRES, "Tirage au sort");
	/* Hauts-de-France: a quote typed inside a name. */
	w = conv_spoil(sh[3], 15 + (size_t)q, "ingest", "stray-quote", CF_NOM,
		       afmt("%s \"centre\"", sh[3]->rows.v[15 + q]->v[CF_NOM]));
	w->raw = row_typed(sh[3], w);
	/* ANCT: a Corsican code of before 1976; an orientation of no list; a
	 * code that is no commune. */
	conv_spoil(sh[4], 3 + (size_t)q, "clean", "ambiguous-code", CF_INSEE, "20041");
	conv_spoil(sh[4], 50 + (size_t)q, "clean", "unknown-value", CF_ORI, "economie_locale; tourisme");
	conv_spoil(sh[4], 80 + (size_t)q, "join", "no-match", CF_INSEE, unknown_code("23"));
}

/* ============================================================================
 * ort — opérations de revitalisation de territoire
 * ========================================================================= */

#define ORT_Q4 112   /* PVD communes with a signed ORT by 2021-12-31 */
#define ORT_Q3 104   /* ... by 2021-09-30 */
#define ORT_UNDATED 6
#define ORT_JAN2022 4
#define ORT_EN_COURS 55
#define ORT_NON_SIGNEE 25
#define ORT_SANS_STATUT 8
#define ORT_AUTRES 180

enum { OS_NONE, OS_SIGNEE, OS_EN_COURS, OS_NON };
struct ortrec {
	int c;            /* first: sorted by code_before */
	int statut;
	int32_t date;     /* 0: none */
	int pvd_only;     /* only in the préfecture sheet */
};
static VEC(struct ortrec) ORT;

static void ort_plan(void)
{
	struct rng r = stream(2);
	int *p = shuffled(&r, &PVDC);
	size_t i = 0;
	for (; i < ORT_Q4 + ORT_JAN2022 + ORT_EN_COURS + ORT_NON_SIGNEE + ORT_SANS_STATUT; i++) {
		struct ortrec o = { p[i], OS_SIGNEE, 0, 0 };
		if (i < ORT_UNDATED)
			o.date = 0;
		else if (i < ORT_Q3)
			o.date = workday(drand(&r, dnum(2019, 6, 1), dnum(2021, 9, 24)));
		else if (i < ORT_Q4)
			o.date = workday(drand(&r, dnum(2021, 10, 1), dnum(2021, 12, 20)));
		else if (i < ORT_Q4 + ORT_JAN2022)
			o.date = workday(drand(&r, dnum(2022, 1, 3), dnum(2022, 1, 13)));
		else if (i < ORT_Q4 + ORT_JAN2022 + ORT_EN_COURS)
			o.statut = OS_EN_COURS;
		else if (i < ORT_Q4 + ORT_JAN2022 + ORT_EN_COURS + ORT_NON_SIGNEE)
			o.statut = OS_NON;
		else
			o.statut = OS_NONE;
		vpush(ORT, o);
	}
	/* Three signed ORT of Nouvelle-Aquitaine that the DGALN file lacks. */
	int lack = 0;
	for (size_t k = 0; k < ORT.n && lack < 3; k++)
		if (ORT.v[k].statut == OS_SIGNEE && ORT.v[k].date && ORT.v[k].date <= QEND[0] &&
		    !strcmp(reg_of(ORT.v[k].c), "75")) {
			ORT.v[k].pvd_only = 1;
			lack++;
		}
	unsigned char *used = marks();
	for (size_t k = 0; k < ORT_AUTRES;) {
		int c = random_nonpvd(&r);
		if (used[c])
			continue;
		used[c] = 1;
		int u = below(&r, 10);
		struct ortrec o = { c, u < 7 ? OS_SIGNEE : u < 9 ? OS_EN_COURS : OS_NON, 0, 0 };
		if (o.statut == OS_SIGNEE)
			o.date = workday(drand(&r, dnum(2018, 10, 1), dnum(2022, 1, 12)));
		vpush(ORT, o);
		k++;
	}
	ssort(ORT.v, ORT.n, sizeof *ORT.v, code_before);  /* code order, as both files are kept */
}

/* The record as known on the quarter's export date. */
static struct ortrec ort_known(const struct ortrec *o, int q)
{
	struct ortrec k = *o;
	if (k.statut == OS_SIGNEE && k.date && k.date > QEXPORT[q]) {
		k.statut = OS_EN_COURS;
		k.date = 0;
	}
	return k;
}

enum { OF_COMMUNE, OF_EPCI, OF_DEP, OF_REG, OF_CODE, OF_STATUTC, OF_SIGNEE, OF_DATE, OF_ENVISAGEE, OF_DUREE,
       OF_FIN, OF_REMARQUES, OF_AVANCEMENT, OF_ACV, OF_PVD, OF_LON, OF_LAT, OF_MAJ, OF_PAR };

static void ort_export(int q)
{
	struct rng r = stream(200 + (uint64_t)q);
	static const struct col dg[] = {
		{ "Commune", OF_COMMUNE }, { "EPCI", OF_EPCI }, { "Département", OF_DEP }, { "Région", OF_REG },
		{ "Code commune", OF_CODE }, { "Statut de la commune", OF_STATUTC }, { "Signée ?", OF_SIGNEE },
		{ "Si signée, date de signature", OF_DATE },
		{ "Si non signée, date de signature envisagée", OF_ENVISAGEE }, { "Durée (en années)", OF_DUREE },
		{ "Date de fin estimée", OF_FIN }, { "Remarques", OF_REMARQUES }, { "Avancement", OF_AVANCEMENT },
		{ "ACV", OF_ACV }, { "PVD", OF_PVD }, { "longitude", OF_LON }, { "latitude", OF_LAT },
		{ "Dernière actualisation", OF_MAJ }, { "Actualisé par", OF_PAR },
	};
	static const struct col pf[] = {
		{ "Code INSEE", OF_CODE }, { "Nom de la commune", OF_COMMUNE }, { "Statut", OF_SIGNEE },
		{ "Date de signature", OF_DATE }, { "Observations", OF_REMARQUES },
	};
	struct sheet *d = sheet_new(q, "ort-dgaln.csv", dg, 19);
	struct sheet *p = sheet_new(q, "ort-nouvelle-aquitaine.csv", pf, 5);
	p->delim = ';';
	p->ntitles = 2;
	p->titles[0] = "Préfecture de la région Nouvelle-Aquitaine;;;;";
	p->titles[1] = afmt("ORT des communes Petites villes de demain au %s;;;;", fdate(QEXPORT[q], DS_DMY));
	static const char *const st_dg[] = { "", "Signée", "En cours", "Non signée" };
	static const char *const st_pf[] = { "", "Oui", "En cours de signature", "Non" };
	for (size_t i = 0; i < ORT.n; i++) {
		struct ortrec o = ort_known(&ORT.v[i], q);
		int c = o.c, e = C[c].epci;
		if (!o.pvd_only) {
			struct srow *w = sheet_row(d);
			w->v[OF_COMMUNE] = dep_dash_nom(c);
			w->v[OF_EPCI] = e >= 0 ? E[e].nom : "";
			w->v[OF_DEP] = C[c].dep_nom;
			w->v[OF_REG] = C[c].reg_nom;
			w->v[OF_CODE] = C[c].code;
			w->v[OF_STATUTC] = is_pvd(c) ? "2. Commune PVD" : "3. Autre";
			w->v[OF_SIGNEE] = st_dg[o.statut];
			if (o.date) {
				int y, m, dd;
				dciv(o.date, &y, &m, &dd);
				w->v[OF_DATE] = fdate(o.date, DS_ISO);
				w->v[OF_DUREE] = "5";
				w->v[OF_FIN] = fdate(dnum(y + 5, m, m == 2 && dd == 29 ? 28 : dd), DS_DMY_DASH);
			} else {
				w->v[OF_DUREE] = "0";
			}
			if (o.statut == OS_EN_COURS)
				w->v[OF_ENVISAGEE] = q == 0 ? "4e trimestre 2021" : "1er trimestre 2022";
			if (o.statut == OS_SIGNEE && chance(&r, 15))
				w->v[OF_REMARQUES] = "Convention ORT signée avec l'EPCI.\nAvenant de périmètre en préparation";
			else if (o.statut == OS_EN_COURS)
				w->v[OF_REMARQUES] = chance(&r, 50) ? "Projet de convention transmis au préfet" : NULL;
			w->v[OF_AVANCEMENT] = o.statut == OS_EN_COURS ? "Phase d'étude" : NULL;
			w->v[OF_ACV] = "false";
			w->v[OF_PVD] = is_pvd(c) ? "true" : "false";
			w->v[OF_MAJ] = fdate(QEXPORT[q] - 3 - below(&r, 60), DS_DMY_TIME);
			w->v[OF_PAR] = "DDT";
		}
	}
	/* The préfecture follows every PVD commune of its région. */
	int *at = amalloc(NC * sizeof *at);
	for (size_t i = 0; i < ORT.n; i++)
		at[ORT.v[i].c] = (int)i + 1;
	for (size_t c = 0; c < NC; c++) {
		if (!is_pvd((int)c) || strcmp(reg_of((int)c), "75"))
			continue;
		struct ortrec o = at[c] ? ort_known(&ORT.v[at[c] - 1], q) : (struct ortrec){ (int)c, OS_NON, 0, 0 };
		if (!at[c] && chance(&r, 40))
			o.statut = OS_NONE;
		struct srow *w = sheet_row(p);
		w->v[OF_CODE] = C[c].code;
		w->v[OF_COMMUNE] = C[c].nom;
		w->v[OF_SIGNEE] = st_pf[o.statut];
		w->v[OF_DATE] = o.date ? fdate(o.date, chance(&r, 30) ? DS_MONTH : DS_DMY) : NULL;
	}
	/* DGALN: a row whose code was never filled in. */
	struct srow *w = spoil(d, 30 + (size_t)q, "clean", "required-value");
	w->v[OF_CODE] = NULL;
	w->v[OF_COMMUNE] = "Communauté de communes (à préciser)";
	/* Nouvelle-Aquitaine: a row copied twice; a status of no list. */
	spoil(p, 7, "clean", "duplicate-row");
	w = spoil(p, 20, "clean", "unknown-value");
	w->v[OF_CODE] = C[random_nonpvd(&r)].code;
	w->v[OF_SIGNEE] = "Abandonnée";
	w->v[OF_DATE] = NULL;
}

/* ============================================================================
 * chefs_projet — chef de projet posts, and the VTA in support
 * ========================================================================= */

#define CDP_Q4 444
#define CDP_Q3 371
#define CDP_UNDATED 15
#define CDP_EPCI 44
#define CDP_JAN2022 12
#define CDP_RECRUTEMENT 85
#define CDP_VACANT 40
#define VTA_Q4 17
#define VTA_Q3 9

enum { PS_OCCUPE, PS_RECRUTEMENT, PS_VACANT };
struct poste {
	const char *id;
	int c, e;          /* commune, or EPCI (c = -1) */
	int statut, vta;   /* vta: 1 a volunteer, 0 a post (its answer in vta_answer) */
	int vta_answer;    /* 0 Non, -1 Inconnu, -2 empty */
	int32_t date;
};
static VEC(struct poste) POSTES;

static int poste_before(const void *a, const void *b)
{
	return strcmp(((const struct poste *)a)->id, ((const struct poste *)b)->id) < 0;
}

static void chefs_plan(void)
{
	struct rng r = stream(3);
	ivec e2 = epcis_with(2);
	int *ep = shuffled(&r, &e2);
	int *p = shuffled(&r, &PVDC);
	size_t pi = 0;
	int total = CDP_Q4 + CDP_JAN2022 + CDP_RECRUTEMENT + CDP_VACANT;
	for (int i = 0; i < total; i++) {
		struct poste o = { 0 };
		if (i % 10 == 3 && i / 10 < CDP_EPCI) {  /* shared posts, spread */
			o.c = -1;
			o.e = ep[i / 10];
			o.id = afmt("CDP-EPCI-%s", E[o.e].siren);
		} else {
			o.c = p[pi++];
			o.e = -1;
			o.id = afmt("CDP-%s-%s", C[o.c].dep, C[o.c].code + strlen(C[o.c].dep));
		}
		if (i < CDP_UNDATED) {
			o.statut = PS_OCCUPE;
		} else if (i < CDP_Q3) {
			o.statut = PS_OCCUPE;
			o.date = workday(drand(&r, dnum(2021, 2, 1), dnum(2021, 9, 24)));
		} else if (i < CDP_Q4) {
			o.statut = PS_OCCUPE;
			o.date = workday(drand(&r, dnum(2021, 10, 1), dnum(2021, 12, 20)));
		} else if (i < CDP_Q4 + CDP_JAN2022) {
			o.statut = PS_OCCUPE;
			o.date = workday(drand(&r, dnum(2022, 1, 3), dnum(2022, 1, 12)));
		} else {
			o.statut = i < CDP_Q4 + CDP_JAN2022 + CDP_RECRUTEMENT ? PS_RECRUTEMENT : PS_VACANT;
		}
		int u = below(&r, 10);
		o.vta_answer = u < 8 ? 0 : u < 9 ? -1 : -2;
		vpush(POSTES, o);
	}
	for (int i = 0; i < VTA_Q4 + 2; i++) {
		struct poste o = { 0 };
		o.c = p[pi++];
		o.e = -1;
		o.vta = 1;
		o.statut = PS_OCCUPE;
		o.id = afmt("VTA-%s-%02d", C[o.c].dep, i + 1);
		o.date = i < VTA_Q3   ? workday(drand(&r, dnum(2021, 4, 1), dnum(2021, 9, 24)))
			 : i < VTA_Q4 ? workday(drand(&r, dnum(2021, 10, 1), dnum(2021, 12, 15)))
				      : workday(drand(&r, dnum(2022, 1, 3), dnum(2022, 1, 12)));
		vpush(POSTES, o);
	}
	ssort(POSTES.v, POSTES.n, sizeof *POSTES.v, poste_before);  /* as the ANCT keeps its table */
}

enum { PF_ID, PF_INSEE, PF_SIREN, PF_NOM, PF_STATUT, PF_DATE, PF_VTA };

static void chefs_export(int q)
{
	struct rng r = stream(300 + (uint64_t)q);
	static const struct col cols[] = {
		{ "Identifiant poste", PF_ID },   { "Code INSEE", PF_INSEE },        { "SIREN employeur EPCI", PF_SIREN },
		{ "Commune / EPCI", PF_NOM },     { "Statut du poste", PF_STATUT }, { "Date de prise de poste", PF_DATE },
		{ "Volontaire territorial (VTA)", PF_VTA },
	};
	struct sheet *s = sheet_new(q, "chefs-projet-anct.csv", cols, 7);
	s->delim = ';';
	s->ntitles = 3;
	s->titles[0] = "Agence nationale de la cohésion des territoires";
	s->titles[1] = afmt("Postes de chef de projet Petites villes de demain, état au %s", fdate(QEXPORT[q], DS_DMY));
	s->titles[2] = "";
	static const char *const occ[] = { "Occupé", "Pourvu", "En poste" };
	static const char *const rec[] = { "En recrutement", "Recrutement en cours" };
	static const char *const vac[] = { "Vacant", "Non pourvu" };
	for (size_t i = 0; i < POSTES.n; i++) {
		const struct poste *o = &POSTES.v[i];
		int statut = o->statut;
		int32_t date = o->date;
		if (statut == PS_OCCUPE && date > QEXPORT[q]) {
			if (o->vta)
				continue;
			statut = PS_RECRUTEMENT;
			date = 0;
		}
		struct srow *w = sheet_row(s);
		w->v[PF_ID] = o->id;
		w->v[PF_INSEE] = o->c >= 0 ? C[o->c].code : NULL;
		w->v[PF_SIREN] = o->e >= 0 ? E[o->e].siren : NULL;
		w->v[PF_NOM] = o->c >= 0 ? C[o->c].nom : E[o->e].nom;
		w->v[PF_STATUT] = statut == PS_OCCUPE ? occ[below(&r, 3)] : statut == PS_RECRUTEMENT ? rec[below(&r, 2)]
												      : vac[below(&r, 2)];
		w->v[PF_DATE] = date ? fdate(date, chance(&r, 10) ? DS_MONTH : DS_DMY) : NULL;
		w->v[PF_VTA] = o->vta ? "Oui" : o->vta_answer == 0 ? "Non" : o->vta_answer == -1 ? "Inconnu" : NULL;
	}
	/* A post listed twice; a status of no list; 29 February 2021. */
	spoil(s, 25 + (size_t)q, "clean", "duplicate-row");
	struct srow *w = spoil(s, 100, "clean", "unknown-value");
	w->v[PF_ID] = afmt("%s-2", w->v[PF_ID]);
	w->v[PF_STATUT] = "Démission";
	w = spoil(s, 200, "clean", "type-error");
	w->v[PF_ID] = afmt("%s-2", w->v[PF_ID]);
	w->v[PF_STATUT] = "Occupé";
	w->v[PF_DATE] = "29/02/2021";
}

/* ============================================================================
 * ingenierie — engineering support of the five partners
 * ========================================================================= */

enum { P_ANAH, P_BDT, P_CEREMA, P_ANCT, P_MTE, NPART };
#define ING_UNION 513
static const int ING_N[NPART] = { 214, 125, 37, 32, 28 };  /* communes; collectivités for the BdT */
static const int64_t ING_EUR[NPART] = { 1398742050, 329681235, 0, 241260415, 126222000 };  /* cents */
#define ANAH_EPCI_COMMUNES 64
#define BDT_EPCI 62
#define ING_UNION_AFTER_BDT 460

struct ingrec {
	int part, c, e;     /* commune or EPCI (the other -1) */
	int32_t date;       /* 0: undated */
	int64_t cents;      /* -1: no amount */
	int jours;
	const char *dispositif;
	int counted;        /* a 2021-Q4 record of a PVD beneficiary: its amount is in the target */
};
static VEC(struct ingrec) ING;

static int32_t ing_date(struct rng *r)
{
	return chance(r, 4) ? 0 : workday(drand(r, dnum(2021, 1, 11), dnum(2021, 12, 17)));
}

static void ing_add(struct rng *r, int part, int c, int e, int counted, const char *const *disp, int ndisp)
{
	struct ingrec g = { part, c, e, ing_date(r), -1, 0, disp[below(r, ndisp)], counted };
	if (!counted)
		g.date = chance(r, 50) ? workday(drand(r, dnum(2022, 1, 3), dnum(2022, 1, 12))) : g.date;
	if (part == P_CEREMA)
		g.jours = 5 + below(r, 36);
	vpush(ING, g);
}

static void ingenierie_plan(void)
{
	struct rng r = stream(4);
	static const char *const d_anah[] = { "Ingénierie OPAH-RU", "Étude pré-opérationnelle OPAH-RU",
					      "Chef de projet OPAH", "Suivi-animation OPAH" };
	static const char *const d_bdt[] = { "Étude de revitalisation", "Assistance à maîtrise d'ouvrage",
					     "Diagnostic de centralité", "Étude de programmation" };
	static const char *const d_cer[] = { "Appui méthodologique", "Diagnostic mobilité", "Appui friches" };
	static const char *const d_anct[] = { "ANCT sur mesure", "Marché d'ingénierie PVD" };
	static const char *const d_mte[] = { "Atelier des territoires flash", "Atelier des territoires local" };
	const char *const *disp[NPART] = { d_anah, d_bdt, d_cer, d_anct, d_mte };
	const int nd[NPART] = { 4, 4, 3, 2, 2 };

	ivec e2 = epcis_with(2);
	int *ep = shuffled(&r, &e2);
	size_t ei = 0;
	int *p = shuffled(&r, &PVDC);
	unsigned char *inU = marks(), *inP = marks();
	size_t nU = 0;
#define ADDU(c) do { if (!inU[c]) { inU[c] = 1; nU++; } } while (0)
	/* ANAH: a few EPCIs (each for all its PVD communes), then communes. */
	int n = 0;
	while (n + (int)E[ep[ei]].pvd.n <= ANAH_EPCI_COMMUNES) {
		int e = ep[ei++];
		for (size_t k = 0; k < E[e].pvd.n; k++) {
			inP[E[e].pvd.v[k]] = 1;
			ADDU(E[e].pvd.v[k]);
		}
		n += (int)E[e].pvd.n;
		ing_add(&r, P_ANAH, -1, e, 1, disp[P_ANAH], nd[P_ANAH]);
	}
	for (size_t i = 0; n < ING_N[P_ANAH]; i++) {
		int c = p[i];
		if (inP[c])
			continue;
		inP[c] = 1;
		ADDU(c);
		n++;
		ing_add(&r, P_ANAH, c, -1, 1, disp[P_ANAH], nd[P_ANAH]);
		if (chance(&r, 15))
			ing_add(&r, P_ANAH, c, -1, 1, disp[P_ANAH], nd[P_ANAH]);
	}
	/* BdT: 62 EPCIs and 63 communes, 125 collectivités. */
	for (int k = 0; k < BDT_EPCI; k++) {
		int e = ep[ei++];
		for (size_t j = 0; j < E[e].pvd.n; j++)
			ADDU(E[e].pvd.v[j]);
		ing_add(&r, P_BDT, -1, e, 1, disp[P_BDT], nd[P_BDT]);
		if (chance(&r, 20))
			ing_add(&r, P_BDT, -1, e, 1, disp[P_BDT], nd[P_BDT]);
	}
	memset(inP, 0, NC);
	for (int k = 0, i = 0; k < ING_N[P_BDT] - BDT_EPCI; i++) {
		int c = p[(size_t)i % PVDC.n];
		int grow = nU < ING_UNION_AFTER_BDT;
		if (inP[c] || (grow ? inU[c] : !inU[c]))
			continue;
		inP[c] = 1;
		ADDU(c);
		ing_add(&r, P_BDT, c, -1, 1, disp[P_BDT], nd[P_BDT]);
		k++;
	}
	/* Cerema, ANCT, MTE: the communes still missing to reach 513, and
	 * communes already supported by another partner. */
	int missing = ING_UNION - (int)nU;
	int slots = ING_N[P_CEREMA] + ING_N[P_ANCT] + ING_N[P_MTE];
	if (missing < 0 || missing > slots)
		die(70, "internal: %zu communes after ANAH and BdT", nU);
	size_t fresh = 0, old = 0;
	for (int part = P_CEREMA, s = 0; part <= P_MTE; part++) {
		memset(inP, 0, NC);
		for (int k = 0; k < ING_N[part]; k++, s++) {
			int c;
			if (s < missing) {
				do
					c = p[fresh++];
				while (inU[c]);
			} else {
				do
					c = p[old++ % PVDC.n];
				while (!inU[c] || inP[c]);
			}
			inP[c] = 1;
			ADDU(c);
			ing_add(&r, part, c, -1, 1, disp[part], nd[part]);
		}
	}
	if (nU != ING_UNION)
		die(70, "internal: %zu communes supported", nU);
	/* Outside the programme, or decided in January 2022. */
	for (int part = 0; part < NPART; part++) {
		for (int k = 0; k < 12; k++)
			ing_add(&r, part, random_nonpvd(&r), -1, 0, disp[part], nd[part]);
		for (int k = 0; k < 4; k++) {
			struct ingrec g = { part, p[below(&r, (int)PVDC.n)], -1,
					    workday(drand(&r, dnum(2022, 1, 3), dnum(2022, 1, 12))), -1, 10,
					    disp[part][0], 0 };
			vpush(ING, g);
		}
	}
	for (size_t i = 0, k = 0; i < NE && k < 3; i++)  /* EPCIs with no PVD commune */
		if (!E[i].pvd.n && E[i].others.n > 3 && strlen(C[E[i].others.v[0]].dep) == 2 && chance(&r, 5)) {
			ing_add(&r, P_BDT, -1, (int)i, 0, disp[P_BDT], nd[P_BDT]);
			k++;
		}
	/* Amounts: the partner's total over its counted records. */
	for (int part = 0; part < NPART; part++) {
		if (part == P_CEREMA)
			continue;
		VEC(size_t) idx = { 0 };
		for (size_t i = 0; i < ING.n; i++)
			if (ING.v[i].part == part && ING.v[i].counted && ING.v[i].date <= QEND[1])
				vpush(idx, i);
		int64_t *a = amalloc(idx.n * sizeof *a);
		split_amount(&r, ING_EUR[part], idx.n, a, 40, 160);
		for (size_t k = 0; k < idx.n; k++)
			ING.v[idx.v[k]].cents = a[k];
		for (size_t i = 0; i < ING.n; i++)
			if (ING.v[i].part == part && ING.v[i].cents < 0)
				ING.v[i].cents = (int64_t)(5000 + below(&r, 60000)) * 100;
	}
#undef ADDU
}

static int ing_before(const void *a, const void *b)
{
	return date_before(ING.v[*(const size_t *)a].date, ING.v[*(const size_t *)b].date);
}

enum { IF_INSEE, IF_SIREN, IF_NOM, IF_DEP, IF_DISP, IF_MONTANT, IF_DATE, IF_JOURS };

static void ingenierie_export(int q)
{
	struct rng r = stream(400 + (uint64_t)q);
	static const struct col anah[] = { { "Code INSEE", IF_INSEE }, { "SIREN", IF_SIREN }, { "Bénéficiaire", IF_NOM },
					   { "Département", IF_DEP }, { "Dispositif", IF_DISP },
					   { "Montant engagé", IF_MONTANT }, { "Date d'engagement", IF_DATE } };
	static const struct col bdt[] = { { "Code INSEE bénéficiaire", IF_INSEE }, { "SIREN bénéficiaire", IF_SIREN },
					  { "Nom du bénéficiaire", IF_NOM }, { "Offre", IF_DISP },
					  { "Montant engagé (€)", IF_MONTANT }, { "Date de décision", IF_DATE } };
	static const struct col cer[] = { { "Code commune", IF_INSEE }, { "Collectivité", IF_NOM }, { "Dép.", IF_DEP },
					  { "Type d'accompagnement", IF_DISP }, { "Nombre de jours", IF_JOURS },
					  { "Date", IF_DATE } };
	static const struct col anct[] = { { "Code INSEE", IF_INSEE }, { "Bénéficiaire", IF_NOM }, { "Offre", IF_DISP },
					   { "Coût de la prestation", IF_MONTANT }, { "Date de décision", IF_DATE } };
	static const struct col mte[] = { { "Code INSEE", IF_INSEE }, { "SIREN EPCI", IF_SIREN },
					  { "Collectivité", IF_NOM }, { "Dispositif", IF_DISP }, { "Montant", IF_MONTANT },
					  { "Date", IF_DATE } };
	struct sheet *s[NPART] = {
		sheet_new(q, "ingenierie-anah.csv", anah, 7), sheet_new(q, "ingenierie-bdt.csv", bdt, 6),
		sheet_new(q, "ingenierie-cerema.csv", cer, 6), sheet_new(q, "ingenierie-anct.csv", anct, 5),
		sheet_new(q, "ingenierie-mte.csv", mte, 6),
	};
	const enum mstyle ms[NPART] = { MS_FR, MS_DOT, MS_FR, MS_FR_EUR, MS_FR_NNBSP };
	const enum dstyle ds[NPART] = { DS_DMY, DS_ISO, DS_DMY_DASH, DS_TEXT, DS_DMY };
	s[P_ANAH]->delim = s[P_CEREMA]->delim = s[P_ANCT]->delim = s[P_MTE]->delim = ';';
	s[P_BDT]->total_label = "TOTAL";
	s[P_BDT]->total_f[0] = IF_MONTANT;
	s[P_BDT]->total_style = MS_DOT;
	s[P_BDT]->total_blank = 1;
	s[P_CEREMA]->enc = ENC_CP1252;
	s[P_ANCT]->crlf = 1;
	/* Each partner's file in order of decision (undated last). */
	for (int part = 0; part < NPART; part++) {
		VEC(size_t) idx = { 0 };
		for (size_t i = 0; i < ING.n; i++)
			if (ING.v[i].part == part && ING.v[i].date <= QEXPORT[q])
				vpush(idx, i);
		ssort(idx.v, idx.n, sizeof *idx.v, ing_before);
		for (size_t k = 0; k < idx.n; k++) {
			const struct ingrec *g = &ING.v[idx.v[k]];
			struct srow *w = sheet_row(s[part]);
			beneficiary(w, g->c, g->e, IF_INSEE, IF_SIREN, IF_NOM, IF_DEP);
			if (part == P_ANAH && g->c >= 0 && C[g->c].old.n && chance(&r, 10))
				w->v[IF_INSEE] = old_code(g->c, 0);  /* the commune before its merger */
			if (part == P_CEREMA && chance(&r, 30))
				w->v[IF_INSEE] = code_drop0(w->v[IF_INSEE]);
			w->v[IF_DISP] = g->dispositif;
			if (g->cents >= 0) {
				w->v[IF_MONTANT] = fmoney(g->cents, ms[part]);
				w->amt[0] = g->cents;
				w->has_amt[0] = 1;
			}
			w->v[IF_JOURS] = part == P_CEREMA ? afmt("%d", g->jours) : NULL;
			w->v[IF_DATE] = g->date ? fdate(g->date, ds[part]) : NULL;
		}
	}
	struct srow *w;
	/* ANAH: a SIREN mistyped (its check digit fails). */
	size_t k = 0;
	while (!s[P_ANAH]->rows.v[k]->v[IF_SIREN])
		k++;
	w = spoil(s[P_ANAH], k, "clean", "type-error");
	w->v[IF_SIREN] = bad_siren(w->v[IF_SIREN]);
	/* BdT: a comment typed in the cell after the last column. */
	w = spoil(s[P_BDT], 32, "ingest", "extra-cell");
	w->raw = afmt("%s,à vérifier", row_text(s[P_BDT], w));
	/* Cerema: a negative number of days. */
	w = spoil(s[P_CEREMA], 8, "clean", "constraint-error");
	w->v[IF_JOURS] = "-3";
	w->v[IF_DISP] = "Appui méthodologique (correction)";
	/* ANCT: a beneficiary named but neither coded nor SIRENed. */
	w = spoil(s[P_ANCT], 5, "clean", "required-value");
	w->v[IF_INSEE] = NULL;
	w->v[IF_NOM] = "Pays de la Haute-Vallée (PETR)";
	/* MTE: a syndicat mixte, no EPCI and no commune. */
	w = spoil(s[P_MTE], 6, "join", "no-match");
	w->v[IF_INSEE] = NULL;
	w->v[IF_SIREN] = syndicat_siren(q);
	w->v[IF_NOM] = "Syndicat mixte du Pays des Trois Rivières";
}

/* ============================================================================
 * commerce — Relance commerce measures of the Banque des Territoires
 * ========================================================================= */

#define COM_Q4 513          /* collectivités with a PVD commune, 2021-Q4 */
#define COM_Q3 246
#define COM_EPCI 63
#define MGR_Q4 257          /* manager de commerce rows */
#define MGR_Q3 228
#define MGR_Q3_BENEF 215    /* 13 of them asked for two */
#define COM_EUR 781810700   /* contracted, 2021-Q4, cents */

enum { M_MANAGER, M_DIAG, M_SOLNUM, M_INGNUM };
struct comrec {
	int c, e, mesure, contracted;
	int32_t date;
	int64_t cents;
	int counted;        /* contracted by 2021-12-31 for a PVD collectivité: part of the target */
};
static VEC(struct comrec) COM;

static void com_add(int c, int e, int mesure, int32_t date)
{
	struct comrec x = { c, e, mesure, 0, date, 0, 0 };
	vpush(COM, x);
}

static int com_before(const void *a, const void *b)
{
	return ((const struct comrec *)a)->date < ((const struct comrec *)b)->date;
}

static void commerce_plan(void)
{
	struct rng r = stream(5);
	/* The 513 collectivités: 63 EPCIs and 450 communes, the first 246 of
	 * them asking before the end of September. */
	ivec e1 = epcis_with(1);
	int *ep = shuffled(&r, &e1);
	int *p = shuffled(&r, &PVDC);
	VEC(int) who = { 0 };  /* commune index, or -(EPCI index) - 1 */
	for (int i = 0; i < COM_EPCI; i++)
		vpush(who, -ep[i] - 1);
	for (int i = 0; i < COM_Q4 - COM_EPCI; i++)
		vpush(who, p[i]);
	shuffle(&r, who.v, who.n);
	const int32_t q3a = dnum(2021, 1, 18), q3b = dnum(2021, 9, 24), q4a = dnum(2021, 10, 1), q4b = dnum(2021, 12, 17);
	for (size_t i = 0; i < who.n; i++) {
		int c = who.v[i] >= 0 ? who.v[i] : -1, e = who.v[i] >= 0 ? -1 : -who.v[i] - 1;
		int q3 = i < COM_Q3;
		int32_t d0 = workday(q3 ? drand(&r, q3a, q3b) : drand(&r, q4a, q4b));
		int mgr = q3 ? i < MGR_Q3_BENEF : i < COM_Q3 + 25;
		com_add(c, e, mgr ? M_MANAGER : 1 + below(&r, 3), d0);
		if (q3 && i < MGR_Q3 - MGR_Q3_BENEF)  /* a second manager post, same quarter */
			com_add(c, e, M_MANAGER, workday(drand(&r, d0, q3b)));
		else if (q3 && i >= 20 && i < 24)     /* a second one asked in the autumn */
			com_add(c, e, M_MANAGER, workday(drand(&r, q4a, q4b)));
		for (int k = below(&r, 3); k > 0; k--)
			com_add(c, e, 1 + below(&r, 3), workday(drand(&r, d0, q3 ? q4b : q4b)));
	}
	/* Asked in January 2022; collectivités outside the programme. */
	for (int k = 0; k < 30; k++)
		com_add(p[below(&r, (int)PVDC.n)], -1, below(&r, 4), workday(drand(&r, dnum(2022, 1, 3), dnum(2022, 1, 12))));
	for (int k = 0; k < 90; k++)
		com_add(random_nonpvd(&r), -1, below(&r, 4), workday(drand(&r, q3a, dnum(2022, 1, 12))));
	/* Contracted: most of what was asked before December; amounts. */
	VEC(size_t) idx = { 0 };
	for (size_t i = 0; i < COM.n; i++) {
		struct comrec *x = &COM.v[i];
		x->contracted = x->date <= dnum(2021, 11, 30) && chance(&r, 65);
		x->counted = x->contracted && (x->c < 0 || is_pvd(x->c)) && x->date <= QEND[1];
		if (x->counted)
			vpush(idx, i);
		else
			x->cents = (int64_t)(x->mesure == M_MANAGER ? 20000 + below(&r, 20000) : 2000 + below(&r, 12000)) * 100;
	}
	int64_t *a = amalloc(idx.n * sizeof *a);
	split_amount(&r, COM_EUR, idx.n, a, 30, 170);
	for (size_t k = 0; k < idx.n; k++)
		COM.v[idx.v[k]].cents = a[k];
	ssort(COM.v, COM.n, sizeof *COM.v, com_before);  /* by date of the request */
}

enum { KF_INSEE, KF_SIREN, KF_NOM, KF_DEP, KF_MESURE, KF_STATUT, KF_MONTANT, KF_DATE };

static void commerce_export(int q)
{
	struct rng r = stream(500 + (uint64_t)q);
	static const struct col cols[] = {
		{ "Code INSEE", KF_INSEE },         { "SIREN collectivité", KF_SIREN },
		{ "Collectivité", KF_NOM },         { "Code département", KF_DEP },
		{ "Type de mesure", KF_MESURE },    { "Statut de la demande", KF_STATUT },
		{ "Montant (€)", KF_MONTANT },      { "Date de la demande", KF_DATE },
	};
	static const char *const mes[] = { "Manager de commerce", "Diagnostic flash", "Solutions numériques",
					   "Ingénierie numérique" };
	struct sheet *s = sheet_new(q, "commerce-bdt.csv", cols, 8);
	s->total_label = "TOTAL";
	s->total_f[0] = KF_MONTANT;
	s->total_style = MS_DOT;
	for (size_t i = 0; i < COM.n; i++) {
		const struct comrec *x = &COM.v[i];
		if (x->date > QEXPORT[q])
			continue;
		/* In the September export, what was contracted after the summer
		 * was still a request. */
		int contracted = x->contracted && (q == 1 || x->date <= dnum(2021, 6, 30));
		struct srow *w = sheet_row(s);
		beneficiary(w, x->c, x->e, KF_INSEE, KF_SIREN, KF_NOM, KF_DEP);
		w->v[KF_MESURE] = mes[x->mesure];
		w->v[KF_STATUT] = contracted ? (chance(&r, 50) ? "Contractualisé" : "Signé") : "Demandé";
		w->v[KF_MONTANT] = fmoney(x->cents, MS_DOT);
		w->amt[0] = x->cents;
		w->has_amt[0] = 1;
		w->v[KF_DATE] = fdate(x->date, DS_DMY);
	}
	/* A row exported twice; a measure of another programme; a negative amount. */
	spoil(s, 60 + (size_t)q, "clean", "duplicate-row");
	struct srow *w = spoil(s, 120, "clean", "unknown-value");
	w->v[KF_MESURE] = "Prime à la rénovation";
	w = spoil(s, 180, "clean", "constraint-error");
	w->v[KF_MONTANT] = fmoney(-150000, MS_DOT);
}

/* ============================================================================
 * friches — Fonds friches laureates
 * ========================================================================= */

#define FRI_COMMUNES 128
#define FRI_EUR 5058721300   /* cents: 50,6 M€ */

struct frirec {
	int c;              /* first two: sorted by dated_before */
	int32_t date;
	int vague;
	int64_t cents;
	const char *projet;
};
static VEC(struct frirec) FRI;

/* Records that begin with {int commune; int32_t date;}: by date, then code. */
struct dated {
	int c;
	int32_t date;
};
static int dated_before(const void *a, const void *b)
{
	const struct dated *x = a, *y = b;
	return x->date != y->date ? x->date < y->date : x->c < y->c;
}

static void friches_plan(void)
{
	struct rng r = stream(6);
	static const char *const proj[] = { "Reconversion de l'ancienne usine", "Requalification de la friche commerciale",
					    "Réhabilitation de l'ancienne gare", "Reconversion de la caserne",
					    "Recyclage de l'ancien site industriel", "Aménagement de l'îlot de l'ancien hôpital" };
	/* Each région announced its laureates on one day. */
	static const char *const regs[] = { "01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44",
					    "52", "53", "75", "76", "84", "93", "94" };
	int32_t rdate[18];
	for (int k = 0; k < 18; k++)
		rdate[k] = workday(drand(&r, dnum(2021, 5, 17), dnum(2021, 11, 26)));
#define RDATE(c) rdate[({ int k_ = 0; while (k_ < 17 && strcmp(regs[k_], C[c].reg)) k_++; k_; })]
	int *p = shuffled(&r, &PVDC);
	VEC(size_t) idx = { 0 };
	for (int i = 0; i < FRI_COMMUNES; i++) {
		int n = chance(&r, 15) ? 2 : 1;
		for (int k = 0; k < n; k++) {
			struct frirec f = { p[i], RDATE(p[i]), 1, 0, proj[below(&r, 6)] };
			vpush(FRI, f);
			vpush(idx, FRI.n - 1);
		}
	}
	/* Three grants written in M€, fixed; the rest shares the target. */
	static const int64_t meur[] = { 120000000, 80000000, 250000000 };
	int64_t rest = FRI_EUR;
	for (int k = 0; k < 3; k++) {
		FRI.v[idx.v[k * 7]].cents = meur[k];
		rest -= meur[k];
	}
	VEC(size_t) free_ = { 0 };
	for (size_t k = 0; k < idx.n; k++)
		if (!FRI.v[idx.v[k]].cents)
			vpush(free_, idx.v[k]);
	int64_t *a = amalloc(free_.n * sizeof *a);
	split_amount(&r, rest, free_.n, a, 30, 170);
	for (size_t k = 0; k < free_.n; k++)
		FRI.v[free_.v[k]].cents = a[k];
	for (int k = 0; k < 300; k++) {
		int c = random_nonpvd(&r);
		struct frirec f = { c, RDATE(c), 1, (int64_t)(50000 + below(&r, 900000)) * 100, proj[below(&r, 6)] };
		vpush(FRI, f);
	}
	for (int k = 0; k < 25; k++) {  /* second wave, January 2022 */
		int c = chance(&r, 40) ? p[FRI_COMMUNES + k] : random_nonpvd(&r);
		struct frirec f = { c, workday(drand(&r, dnum(2022, 1, 4), dnum(2022, 1, 12))), 2,
				    (int64_t)(80000 + below(&r, 900000)) * 100, proj[below(&r, 6)] };
		vpush(FRI, f);
	}
#undef RDATE
	ssort(FRI.v, FRI.n, sizeof *FRI.v, dated_before);
}

enum { FF_INSEE, FF_NOM, FF_PROJET, FF_VAGUE, FF_MONTANT, FF_DATE };

static void friches_export(int q)
{
	static const struct col cols[] = {
		{ "Code INSEE", FF_INSEE }, { "Commune", FF_NOM }, { "Nom du projet", FF_PROJET }, { "Vague", FF_VAGUE },
		{ "Montant de la subvention", FF_MONTANT }, { "Date de sélection", FF_DATE },
	};
	struct sheet *s = sheet_new(q, "friches-laureats.csv", cols, 6);
	s->delim = ';';
	s->total_label = "Total";
	s->total_f[0] = FF_MONTANT;
	s->total_style = MS_FR_EUR;
	for (size_t i = 0; i < FRI.n; i++) {
		const struct frirec *f = &FRI.v[i];
		if (f->date > QEXPORT[q])
			continue;
		struct srow *w = sheet_row(s);
		w->v[FF_INSEE] = C[f->c].code;
		w->v[FF_NOM] = C[f->c].nom;
		w->v[FF_PROJET] = f->projet;
		w->v[FF_VAGUE] = f->vague == 1 ? "1" : "2";
		w->v[FF_MONTANT] = f->cents % 10000000 == 0 && f->cents >= 50000000 ? fmoney(f->cents, MS_MEUR)
						 : fmoney(f->cents, f->cents % 100 ? MS_FR_EUR : MS_EUROS_EUR);
		w->amt[0] = f->cents;
		w->has_amt[0] = 1;
		w->v[FF_DATE] = fdate(f->date, DS_DMY);
	}
	/* An amount not yet known. */
	struct srow *w = spoil(s, 90 + (size_t)q, "clean", "type-error");
	w->v[FF_PROJET] = "Dépollution de l'ancienne tannerie";
	w->v[FF_MONTANT] = "n.c.";
}

/* ============================================================================
 * dotations — FNADT, DETR, DSIL (and what the indicators leave out)
 * ========================================================================= */

enum { D_FNADT, D_DETR, D_DSIL, D_DPV, D_DSIL_EXC, D_DSIL_RT };
#define FNADT_COMMUNES 31
#define FNADT_EUR 307633549LL
#define DETR_COMMUNES 770
#define DETR_EUR 9168932795LL
#define DETR_EPCI 40
#define DSIL_COMMUNES 258
#define DSIL_EUR 4363674994LL
#define DSIL_EPCI 25

struct dotrec {
	int dot, c, e, exercice;
	int32_t date;           /* 0: undated */
	int64_t cents, cout;
	const char *intitule;
	int counted;
	int zone;               /* 0 nord-est, 1 ouest, 2 sud-est et outre-mer */
};
static VEC(struct dotrec) DOT;

static int zone_of_reg(const char *reg)
{
	static const char *const n[] = { "11", "24", "27", "28", "32", "44" }, *const o[] = { "52", "53", "75", "76" };
	for (int i = 0; i < 6; i++)
		if (!strcmp(reg, n[i]))
			return 0;
	for (int i = 0; i < 4; i++)
		if (!strcmp(reg, o[i]))
			return 1;
	return 2;
}
static int benef_commune(int c, int e) { return c >= 0 ? c : E[e].pvd.n ? E[e].pvd.v[0] : E[e].others.v[0]; }

static const char *intitule(struct rng *r)
{
	static const char *const w[] = { "Rénovation énergétique", "Aménagement", "Réhabilitation", "Mise en accessibilité",
					 "Extension", "Requalification" };
	static const char *const o[] = { "de l'école élémentaire", "du centre-bourg", "de la mairie",
					 "de la salle des fêtes", "de la médiathèque", "des espaces publics",
					 "du groupe scolaire", "de la halle du marché", "de la maison de santé" };
	return afmt("%s %s", w[below(r, 6)], o[below(r, 9)]);
}

static void dot_add(struct rng *r, int dot, int c, int e, int exercice, int32_t date, int counted)
{
	struct dotrec d = { dot, c, e, exercice, date, 0, 0, intitule(r), counted, 0 };
	d.zone = zone_of_reg(C[benef_commune(c, e)].reg);
	vpush(DOT, d);
}

static int32_t dot_date(struct rng *r, int dot)
{
	if (chance(r, 4))
		return 0;
	if (dot == D_DETR && chance(r, 75))
		return workday(drand(r, dnum(2021, 2, 15), dnum(2021, 7, 30)));
	return workday(drand(r, dnum(2021, 3, 1), dnum(2021, 12, 15)));
}

/* Grants of one dotation to exactly n PVD communes, nepci of them through
 * EPCIs (zones allowed: mask), summing to total cents. */
static void dot_plan_one(struct rng *r, int dot, int n, int nepci, int zones, int64_t total)
{
	ivec e2 = epcis_with(2);
	int *ep = shuffled(r, &e2);
	int *p = shuffled(r, &PVDC);
	unsigned char *in = marks();
	int got = 0;
	for (size_t i = 0, k = 0; k < (size_t)nepci && i < e2.n; i++) {
		int e = ep[i];
		if (!(zones & (1 << zone_of_reg(C[E[e].pvd.v[0]].reg))))
			continue;
		int fresh = 1;
		for (size_t j = 0; j < E[e].pvd.n; j++)
			fresh &= !in[E[e].pvd.v[j]];
		if (!fresh || got + (int)E[e].pvd.n > n)
			continue;
		for (size_t j = 0; j < E[e].pvd.n; j++)
			in[E[e].pvd.v[j]] = 1;
		got += (int)E[e].pvd.n;
		dot_add(r, dot, -1, e, 2021, dot_date(r, dot), 1);
		k++;
	}
	for (size_t i = 0; got < n; i++) {
		int c = p[i];
		if (in[c])
			continue;
		in[c] = 1;
		got++;
		for (int k = chance(r, 25) ? 2 : 1; k > 0; k--)
			dot_add(r, dot, c, -1, 2021, dot_date(r, dot), 1);
	}
	VEC(size_t) idx = { 0 };
	for (size_t i = 0; i < DOT.n; i++)
		if (DOT.v[i].dot == dot && DOT.v[i].counted)
			vpush(idx, i);
	int64_t *a = amalloc(idx.n * sizeof *a), fixed = 0;
	if (dot == D_FNADT) {  /* three grants of the hand-made sheet are in M€ */
		static const int64_t meur[] = { 20000000, 10000000, 30000000 };
		for (int k = 0; k < 3; k++)
			fixed += DOT.v[idx.v[idx.n - 1 - (size_t)k]].cents = meur[k];
		idx.n -= 3;
	}
	split_amount(r, total - fixed, idx.n, a, 30, 170);
	for (size_t k = 0; k < idx.n; k++)
		DOT.v[idx.v[k]].cents = a[k];
}

static int dot_before(const void *a, const void *b)
{
	return date_before(((const struct dotrec *)a)->date, ((const struct dotrec *)b)->date);
}

static void dotations_plan(void)
{
	struct rng r = stream(7);
	dot_plan_one(&r, D_FNADT, FNADT_COMMUNES, 0, 7, FNADT_EUR);
	dot_plan_one(&r, D_DETR, DETR_COMMUNES, DETR_EPCI, 6, DETR_EUR);
	dot_plan_one(&r, D_DSIL, DSIL_COMMUNES, DSIL_EPCI, 7, DSIL_EUR);
	int *p = shuffled(&r, &PVDC);
	/* Left out by the indicators: other budget years, other dotations,
	 * communes outside the programme, decisions of January 2022. */
	for (int k = 0; k < 120; k++)
		dot_add(&r, D_DETR, chance(&r, 50) ? p[k] : random_nonpvd(&r), -1, 2020,
			workday(drand(&r, dnum(2020, 2, 3), dnum(2020, 11, 27))), 0);
	for (int k = 0; k < 350; k++)
		dot_add(&r, D_DETR, random_nonpvd(&r), -1, 2021, dot_date(&r, D_DETR), 0);
	for (int k = 0; k < 24; k++) {
		int c;
		do
			c = chance(&r, 50) ? p[200 + k] : random_nonpvd(&r);
		while (zone_of_reg(C[c].reg) != 0);
		dot_add(&r, D_DPV, c, -1, 2021, dot_date(&r, D_DPV), 0);
	}
	for (int k = 0; k < 20; k++)
		dot_add(&r, D_DETR, p[300 + k], -1, 2022, workday(drand(&r, dnum(2022, 1, 3), dnum(2022, 1, 12))), 0);
	for (int k = 0; k < 200; k++)
		dot_add(&r, D_DSIL, random_nonpvd(&r), -1, 2021, dot_date(&r, D_DSIL), 0);
	for (int k = 0; k < 60; k++)
		dot_add(&r, D_DSIL_EXC, chance(&r, 40) ? p[400 + k] : random_nonpvd(&r), -1, 2021, dot_date(&r, D_DSIL), 0);
	for (int k = 0; k < 30; k++)
		dot_add(&r, D_DSIL_RT, chance(&r, 40) ? p[500 + k] : random_nonpvd(&r), -1, 2021, dot_date(&r, D_DSIL), 0);
	for (int k = 0; k < 10; k++)
		dot_add(&r, D_FNADT, random_nonpvd(&r), -1, 2021, dot_date(&r, D_FNADT), 0);
	for (int k = 0; k < 2; k++)
		dot_add(&r, D_FNADT, p[600 + k], -1, 2022, workday(drand(&r, dnum(2022, 1, 3), dnum(2022, 1, 12))), 0);
	for (size_t i = 0; i < DOT.n; i++) {
		struct dotrec *d = &DOT.v[i];
		if (!d->cents)
			d->cents = (int64_t)(8000 + below(&r, 250000)) * 100;
		static const int taux[] = { 20, 25, 30, 35, 40, 50 };
		d->cout = d->cents * 100 / taux[below(&r, 6)];
	}
	/* Each file in order of decision, undated last. */
	ssort(DOT.v, DOT.n, sizeof *DOT.v, dot_before);
}

/* Folded name key for uniqueness checks: ASCII letters and digits, lower case. */
static const char *fold(const char *s)
{
	struct sb b = { 0 };
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p < 0x80) {
			if ((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9'))
				sb_putc(&b, (char)*p);
			else if (*p >= 'A' && *p <= 'Z')
				sb_putc(&b, (char)(*p + 32));
		} else if (*p == 0xC3 && p[1]) {  /* Latin-1 letters: their base letter */
			static const char base[] = "aaaaaaaceeeeiiiidnooooo/ouuuuyty";
			char ch = base[(p[1] & 0x3F) % 32];
			if (ch != '/')
				sb_putc(&b, ch);
			p++;
		}
	}
	return b.p ? b.p : "";
}
/* Whether c's name is shared by no other commune of its département. */
static int name_unique(int c)
{
	static const char **key;
	if (!key) {
		key = amalloc(NC * sizeof *key);
		for (size_t i = 0; i < NC; i++)
			key[i] = fold(C[i].nom);
	}
	for (size_t i = 0; i < NC; i++)
		if ((int)i != c && !strcmp(key[i], key[c]) && !strcmp(C[i].dep, C[c].dep))
			return 0;
	return 1;
}

enum { DF_DOT, DF_INSEE, DF_SIREN, DF_NOM, DF_DEP, DF_INTITULE, DF_COUT, DF_MONTANT, DF_EXERCICE, DF_DATE,
       DF_TYPE, DF_PROG, DF_TAUX };

static void dotations_export(int q)
{
	struct rng r = stream(700 + (uint64_t)q);
	static const struct col ne[] = {
		{ "Dotation", DF_DOT },        { "Code INSEE", DF_INSEE }, { "Bénéficiaire", DF_NOM },
		{ "Département", DF_DEP },     { "Intitulé du projet", DF_INTITULE }, { "Coût HT", DF_COUT },
		{ "Montant attribué", DF_MONTANT }, { "Exercice", DF_EXERCICE }, { "Date de décision", DF_DATE },
	};
	static const struct col ou[] = {
		{ "Dispositif", DF_DOT },        { "Code INSEE bénéficiaire", DF_INSEE }, { "SIREN bénéficiaire", DF_SIREN },
		{ "Nom du bénéficiaire", DF_NOM }, { "Libellé de l'opération", DF_INTITULE }, { "Coût total HT", DF_COUT },
		{ "Subvention", DF_MONTANT },   { "Année", DF_EXERCICE },                { "Date de l'arrêté", DF_DATE },
	};
	static const struct col se[] = {
		{ "Fonds", DF_DOT },  { "Bénéficiaire - Code INSEE", DF_INSEE }, { "Bénéficiaire - SIREN", DF_SIREN },
		{ "Bénéficiaire - Nom", DF_NOM }, { "Dép.", DF_DEP }, { "Objet", DF_INTITULE },
		{ "Coût du projet", DF_COUT }, { "Montant de la subvention accordée", DF_MONTANT },
		{ "Programmation", DF_EXERCICE }, { "Date d'attribution", DF_DATE },
	};
	static const struct col etat[] = {
		{ "exercice", DF_EXERCICE }, { "dispositif", DF_DOT }, { "programme", DF_PROG },
		{ "beneficiaire_type", DF_TYPE }, { "beneficiaire_siren", DF_SIREN }, { "beneficiaire_dep", DF_DEP },
		{ "beneficiaire_nom", DF_NOM }, { "beneficiaire_code_insee", DF_INSEE }, { "intitule", DF_INTITULE },
		{ "cout_ht", DF_COUT }, { "subvention", DF_MONTANT }, { "taux", DF_TAUX },
	};
	static const struct col fn[] = {
		{ "Dép.", DF_DEP }, { "Code INSEE", DF_INSEE }, { "Bénéficiaire", DF_NOM }, { "Objet", DF_INTITULE },
		{ "Montant", DF_MONTANT }, { "Date de décision", DF_DATE }, { "Fonds", DF_DOT }, { "Année", DF_EXERCICE },
	};
	struct sheet *z[3] = { sheet_new(q, "dotations-nord-est.csv", ne, 9), sheet_new(q, "dotations-ouest.csv", ou, 9),
			       sheet_new(q, "dotations-sud-est-outre-mer.csv", se, 10) };
	struct sheet *st = sheet_new(q, "dsil-2021.csv", etat, 12);
	struct sheet *f = sheet_new(q, "fnadt-2021.csv", fn, 8);
	z[0]->delim = ';';
	z[0]->total_label = "TOTAL";
	z[0]->total_f[0] = DF_MONTANT;
	z[0]->total_f[1] = DF_COUT;
	z[0]->total_style = MS_FR;
	z[1]->crlf = 1;
	z[1]->total_label = "Total général";
	z[1]->total_f[0] = DF_MONTANT;
	z[1]->total_style = MS_FR_PLAIN;
	z[1]->total_blank = 1;
	z[2]->delim = '|';
	st->bom = 1;
	st->delim = ';';
	f->enc = ENC_CP1252;
	f->delim = ';';
	f->crlf = 1;
	f->ntitles = 3;
	f->titles[0] = "FNADT 2021 – subventions attribuées;;;;;;;";
	f->titles[1] = afmt("état tenu à la main, mis à jour le %s;;;;;;;", fdate(QEXPORT[q] - 3, DS_DMY));
	f->titles[2] = ";;;;;;;";
	f->total_label = "TOTAL";
	f->total_f[0] = DF_MONTANT;
	f->total_style = MS_FR_EUR;
	static const char *const dn[][6] = {
		{ "FNADT", "DETR", "DSIL", "DPV", "DSIL Exceptionnelle", "DSIL RT" },
		{ "FNADT", "Dotation d'équipement des territoires ruraux", "DSIL classique", "DPV",
		  "DSIL exceptionnelle relance", "DSIL rénovation thermique" },
	};
	const char *ambiguous = NULL;
	for (size_t i = 0; i < NC && !ambiguous; i++) {  /* a name many communes bear */
		int n = 0;
		for (size_t j = i + 1; j < NC && n < 3; j++)
			n += !strcmp(C[i].nom, C[j].nom);
		if (n >= 3 && !strncmp(C[i].nom, "Sainte-", 7))
			ambiguous = C[i].nom;
	}
	for (size_t i = 0; i < DOT.n; i++) {
		const struct dotrec *d = &DOT.v[i];
		int undated_file = d->dot == D_DSIL || d->dot == D_DSIL_EXC || d->dot == D_DSIL_RT;
		/* The State's file is as of the end of the quarter; the others as
		 * of their export date. */
		int32_t known = d->date ? d->date : d->exercice == 2022 ? QEXPORT[1] : QEND[0];
		if (known > (undated_file ? QEND[q] : QEXPORT[q]))
			continue;
		int c = benef_commune(d->c, d->e);
		struct sheet *s = d->dot == D_FNADT ? f : undated_file ? st : z[d->zone];
		if (d->e >= 0 && s == z[0])
			s = z[1];  /* the nord-est tool has no SIREN column */
		struct srow *w = sheet_row(s);
		w->v[DF_DOT] = dn[s == z[1]][d->dot];
		w->v[DF_INSEE] = d->c >= 0 ? C[d->c].code : NULL;
		w->v[DF_SIREN] = d->e >= 0 ? E[d->e].siren : NULL;
		w->v[DF_NOM] = d->c >= 0 ? C[d->c].nom : E[d->e].nom;
		w->v[DF_DEP] = C[c].dep;
		w->v[DF_INTITULE] = d->intitule;
		w->v[DF_EXERCICE] = afmt("%d", d->exercice);
		w->amt[0] = d->cents;
		w->amt[1] = d->cout;
		w->has_amt[0] = w->has_amt[1] = 1;
		if (s == z[0]) {
			w->v[DF_COUT] = fmoney(d->cout, MS_FR);
			w->v[DF_MONTANT] = fmoney(d->cents, MS_FR);
			w->v[DF_DATE] = d->date ? fdate(d->date, DS_DMY) : NULL;
			if (d->c >= 0 && C[d->c].old.n && chance(&r, 20))
				w->v[DF_INSEE] = old_code(d->c, 0);
			else if (d->c >= 0 && chance(&r, 30))
				w->v[DF_INSEE] = code_drop0(C[d->c].code);
		} else if (s == z[1]) {
			w->v[DF_COUT] = fmoney(d->cout, MS_FR_PLAIN);
			w->v[DF_MONTANT] = fmoney(d->cents, MS_FR_PLAIN);
			w->v[DF_DATE] = d->date ? fdate(d->date, DS_DMY_TIME) : NULL;
			if (chance(&r, 10))
				w->v[DF_INTITULE] = afmt("%s\n(tranche %d)", d->intitule, 1 + below(&r, 3));
		} else if (s == z[2]) {
			w->v[DF_COUT] = fmoney(d->cout, MS_DOT);
			w->v[DF_MONTANT] = fmoney(d->cents, MS_DOT);
			w->v[DF_DATE] = d->date ? fdate(d->date, DS_ISO) : NULL;
		} else if (s == st) {
			w->v[DF_PROG] = "119";
			w->v[DF_TYPE] = d->c >= 0 ? "Commune" : "EPCI";
			w->v[DF_DEP] = strlen(C[c].dep) == 2 ? afmt("0%s", C[c].dep) : C[c].dep;
			w->v[DF_COUT] = fmoney(d->cout, MS_FR_PLAIN);
			w->v[DF_MONTANT] = fmoney(d->cents, MS_FR_PLAIN);
			w->v[DF_TAUX] = afmt("%lld,%02lld", (long long)(d->cents * 100 / d->cout),
					     (long long)(d->cents * 10000 / d->cout % 100));
			w->has_amt[1] = 0;
		} else {  /* the hand-made FNADT sheet */
			w->has_amt[1] = 0;
			w->v[DF_DEP] = chance(&r, 50) ? code_drop0(C[c].dep) : C[c].dep;
			w->v[DF_MONTANT] = d->cents % 10000000 == 0 ? fmoney(d->cents, MS_MEUR)
					   : chance(&r, 50)          ? fmoney(d->cents, MS_FR_EUR)
								     : fmoney(d->cents, MS_FR_NBSP);
			w->v[DF_DATE] = d->date ? fdate(d->date, chance(&r, 50) ? DS_TEXT : DS_DMY) : NULL;
			w->v[DF_EXERCICE] = afmt("%d", d->exercice);
			if (d->c >= 0 && chance(&r, 35) && name_unique(d->c))
				w->v[DF_INSEE] = NULL;  /* named only: found by name in its département */
			else if (d->c >= 0)
				w->v[DF_INSEE] = code_drop0(C[d->c].code);
		}
	}
	struct srow *w;
	/* Nord-est: a code that is no commune. */
	w = spoil(z[0], 40 + (size_t)q, "join", "no-match");
	w->v[DF_INSEE] = unknown_code("08");
	w->v[DF_NOM] = "Commune nouvelle (code à vérifier)";
	/* Ouest: a grant whose amount was never filled in. */
	w = spoil(z[1], 70 + (size_t)q, "clean", "required-value");
	w->v[DF_MONTANT] = NULL;
	w->has_amt[0] = 0;
	w->v[DF_INTITULE] = "Travaux de voirie (montant à confirmer)";
	/* Sud-est: a dotation of no list (the old DGE). */
	w = spoil(z[2], 25 + (size_t)q, "clean", "unknown-value");
	w->v[DF_DOT] = "DGE";
	/* State file: a letter O typed for a zero. */
	w = spoil(st, 15 + (size_t)q, "clean", "type-error");
	w->v[DF_EXERCICE] = "2O21";
	w->v[DF_INTITULE] = afmt("%s (avenant)", w->v[DF_INTITULE]);
	/* FNADT: a row pasted twice; in the January sheet the TOTAL (a SUM
	 * over the rows) counts it twice, and is wrong by its amount: the one
	 * TOTAL of the demo that the run report flags.  A beneficiary named
	 * without département, which many communes bear. */
	w = spoil(f, 4, "clean", "duplicate-row");
	if (q == 1)
		f->total_extra = w->amt[0];
	w = spoil(f, 11, "join", "ambiguous-match");
	w->v[DF_INSEE] = NULL;
	w->v[DF_DEP] = NULL;
	w->v[DF_NOM] = ambiguous;
	w->v[DF_INTITULE] = "Étude de revitalisation du bourg";
}

/* ============================================================================
 * france_services — the ANCT's list of France Services (its real layout)
 * ========================================================================= */

#define FS_Q3 431
#define FS_Q4 498

struct fsrec {
	int c;              /* first two: sorted by dated_before */
	int32_t date;
	int antenne;
};
static VEC(struct fsrec) FS;

static void fs_plan(void)
{
	struct rng r = stream(8);
	int *p = shuffled(&r, &PVDC);
	/* Labelled on the first of a month. */
#define MONTH1(y0, m0, span) ({ int k_ = below(&r, span); dnum(y0 + (m0 - 1 + k_) / 12, (m0 - 1 + k_) % 12 + 1, 1); })
	for (int i = 0, k = 0; i < FS_Q4; k++) {
		int two = chance(&r, 12) && i + 2 <= FS_Q4;
		int32_t d = i < FS_Q3 ? MONTH1(2020, 1, 21) : MONTH1(2021, 10, 3);
		if (i < FS_Q3 && two && i + 2 > FS_Q3)
			two = 0;
		struct fsrec f = { p[k], d, 0 };
		vpush(FS, f);
		i++;
		if (two) {
			struct fsrec a = { p[k], i < FS_Q3 ? MONTH1(2020, 6, 16) : d, 1 };
			vpush(FS, a);
			i++;
		}
	}
	for (int k = 0; k < 12; k++) {  /* January 2022 */
		struct fsrec f = { p[600 + k], dnum(2022, 1, 1), 0 };
		vpush(FS, f);
	}
	for (int k = 0; k < 760; k++) {
		int c = random_nonpvd(&r), antenne = chance(&r, 8);
		struct fsrec f = { c, MONTH1(2020, 1, 25), antenne };
		vpush(FS, f);
	}
#undef MONTH1
	/* Numbered in order of labelling, as the ANCT numbers them. */
	ssort(FS.v, FS.n, sizeof *FS.v, dated_before);
}

enum { SF_ID, SF_DEP, SF_LIB, SF_ADR, SF_CADR, SF_INSEE, SF_CP, SF_COM, SF_LAT, SF_LON, SF_MAIL, SF_TEL, SF_LU, SF_MA,
       SF_ME, SF_JE, SF_VE, SF_SA, SF_RDV, SF_COMM, SF_TYPE, SF_FORMAT, SF_GROUPE, SF_LABEL };

static void fs_export(int q)
{
	struct rng r = stream(800 + (uint64_t)q);
	static const struct col cols[] = {
		{ "id_fs", SF_ID },           { "insee_dep", SF_DEP },     { "lib_fs", SF_LIB },
		{ "adresse", SF_ADR },        { "complement_adresse", SF_CADR }, { "insee_com", SF_INSEE },
		{ "code_postal", SF_CP },     { "lib_com", SF_COM },       { "latitude", SF_LAT },
		{ "longitude", SF_LON },      { "mail", SF_MAIL },         { "telephone", SF_TEL },
		{ "h_lundi", SF_LU },         { "h_mardi", SF_MA },        { "h_mercredi", SF_ME },
		{ "h_jeudi", SF_JE },         { "h_vendredi", SF_VE },     { "h_samedi", SF_SA },
		{ "prise_rdv", SF_RDV },      { "commentaire", SF_COMM },  { "type_fs", SF_TYPE },
		{ "format_fs", SF_FORMAT },   { "groupe_fs", SF_GROUPE },  { "labellisation_fs", SF_LABEL },
	};
	static const char *const rue[] = { "Place de la Mairie", "Rue de la République", "Avenue du Général de Gaulle",
					   "Rue du Château", "Place du Marché", "Rue des Écoles" };
	struct sheet *s = sheet_new(q, "france-services.csv", cols, 24);
	s->quote = QM_NONEMPTY;
	for (size_t i = 0; i < FS.n; i++) {
		const struct fsrec *f = &FS.v[i];
		if (f->date > QEXPORT[q])
			continue;
		int c = f->c;
		struct srow *w = sheet_row(s);
		w->v[SF_ID] = afmt("%zu", i + 1);
		w->v[SF_DEP] = C[c].dep;
		w->v[SF_LIB] = afmt("France services %s%s", C[c].nom, f->antenne ? " (antenne)" : "");
		w->v[SF_ADR] = afmt("%d %s", 1 + below(&r, 40), rue[below(&r, 6)]);
		w->v[SF_INSEE] = C[c].code;
		w->v[SF_COM] = C[c].nom;
		const char *h = "09:00 - 12:00 / 13:30 - 17:00";
		w->v[SF_LU] = w->v[SF_MA] = w->v[SF_JE] = w->v[SF_VE] = h;
		w->v[SF_ME] = "09:00 - 12:00";
		w->v[SF_RDV] = chance(&r, 30) ? "Oui" : "Non";
		w->v[SF_TYPE] = f->antenne ? "Antenne" : "Principal";
		w->v[SF_FORMAT] = chance(&r, 5) ? "Bus_équivalent" : "Fixe";
		w->v[SF_LABEL] = fdate(f->date, DS_FS);
	}
	/* A structure listed twice. */
	spoil(s, 150 + (size_t)q, "clean", "duplicate-row");
}

/* ============================================================================
 * conseillers_numeriques — conseillers numériques France Services
 * ========================================================================= */

#define CN_Q3 174
#define CN_Q4 341

struct cnrec {
	int c, nombre;
	int32_t date;
	int month;   /* written to the month */
};
static VEC(struct cnrec) CN;

static int cn_before(const void *a, const void *b)
{
	return ((const struct cnrec *)a)->date < ((const struct cnrec *)b)->date;
}

static void cn_plan(void)
{
	struct rng r = stream(9);
	int *p = shuffled(&r, &PVDC);
	size_t pi = 0;
	for (int period = 0; period < 2; period++) {
		int target = period ? CN_Q4 - CN_Q3 : CN_Q3, sum = 0;
		while (sum < target) {
			int n = 1 + below(&r, 3);
			if (sum + n > target)
				n = target - sum;
			struct cnrec x = { p[pi++ % PVDC.n], n,
					   period ? workday(drand(&r, dnum(2021, 10, 4), dnum(2021, 12, 17)))
						  : workday(drand(&r, dnum(2021, 2, 1), dnum(2021, 9, 24))),
					   chance(&r, 10) };
			vpush(CN, x);
			sum += n;
		}
	}
	for (int k = 0; k < 15; k++) {
		struct cnrec x = { p[below(&r, (int)PVDC.n)], 1, workday(drand(&r, dnum(2022, 1, 3), dnum(2022, 1, 12))), 0 };
		vpush(CN, x);
	}
	for (int k = 0; k < 220; k++) {
		struct cnrec x = { random_nonpvd(&r), 1 + below(&r, 3),
				   workday(drand(&r, dnum(2021, 2, 1), dnum(2022, 1, 12))), 0 };
		vpush(CN, x);
	}
	ssort(CN.v, CN.n, sizeof *CN.v, cn_before);
}

enum { NF_INSEE, NF_COM, NF_N, NF_DATE };

static void cn_export(int q)
{
	static const struct col cols[] = { { "Code INSEE", NF_INSEE }, { "Commune", NF_COM },
					   { "Nombre de conseillers", NF_N }, { "Date de prise de poste", NF_DATE } };
	struct sheet *s = sheet_new(q, "conseillers-numeriques.csv", cols, 4);
	s->delim = '|';
	for (size_t i = 0; i < CN.n; i++) {
		const struct cnrec *x = &CN.v[i];
		if (x->date > QEXPORT[q])
			continue;
		struct srow *w = sheet_row(s);
		w->v[NF_INSEE] = C[x->c].code;
		w->v[NF_COM] = C[x->c].nom;
		w->v[NF_N] = afmt("%d", x->nombre);
		w->v[NF_DATE] = fdate(x->date, x->month ? DS_MONTH : DS_DMY);
	}
	/* A number written in letters. */
	struct srow *w = spoil(s, 33 + (size_t)q, "clean", "type-error");
	w->v[NF_N] = "deux";
}

/* ============================================================================
 * club — the programme team's hand-kept sheet of Club figures
 * ========================================================================= */

static void club_export(int q)
{
	enum { CL_IND, CL_VAL, CL_PER, CL_COMM };
	static const struct col cols[] = { { "Indicateur", CL_IND }, { "Valeur", CL_VAL }, { "Période", CL_PER },
					   { "Commentaire", CL_COMM } };
	static const struct {
		const char *id;
		int q2, q3, q4;
	} fig[] = {
		{ "semaines_thematiques", 1, 2, 4 },      { "webinaires", 8, 19, 30 },
		{ "pvd_valorisees", 7, 18, 30 },          { "participants_evenements", 1240, 3112, 5366 },
		{ "sessions_formation", 0, 1, 1 },        { "modules_formation", 0, 2, 4 },
		{ "participants_formation", 0, 241, 563 }, { "abonnes_linkedin", 6120, 8630, 10800 },
		{ "destinataires_infolettre", 3350, 4480, 5200 },
	};
	struct sheet *s = sheet_new(q, "club-pvd.csv", cols, 4);
	s->enc = ENC_CP1252;
	s->delim = ';';
	s->ntitles = 2;
	s->titles[0] = "Club Petites villes de demain – tableau de suivi;;;";
	s->titles[1] = ";;;";
	for (size_t i = 0; i < sizeof fig / sizeof fig[0]; i++) {
		struct srow *w = sheet_row(s);
		w->v[CL_IND] = fig[i].id;
		w->v[CL_VAL] = fmoney((int64_t)fig[i].q2 * 100, MS_EUROS_EUR);
		w->v[CL_VAL] = afmt("%.*s", (int)(strlen(w->v[CL_VAL]) - 4), w->v[CL_VAL]);  /* "1 240" */
		w->v[CL_PER] = "2021-Q2";
	}
	for (size_t i = 0; i < sizeof fig / sizeof fig[0]; i++) {
		struct srow *w = sheet_row(s);
		w->v[CL_IND] = fig[i].id;
		const char *v = fmoney((int64_t)fig[i].q3 * 100, MS_EUROS_EUR);
		w->v[CL_VAL] = afmt("%.*s", (int)(strlen(v) - 4), v);
		w->v[CL_PER] = i % 2 ? "2021-09" : "2021-Q3";
	}
	if (q == 1) {
		for (size_t i = 0; i < sizeof fig / sizeof fig[0]; i++) {
			struct srow *w = sheet_row(s);
			w->v[CL_IND] = fig[i].id;
			const char *v = fmoney((int64_t)fig[i].q4 * 100, MS_EUROS_EUR);
			w->v[CL_VAL] = afmt("%.*s", (int)(strlen(v) - 4), v);
			w->v[CL_PER] = i % 3 == 0 ? "2021-12-31" : i % 3 == 1 ? "2021-Q4" : "2021-12";
			if (!strcmp(fig[i].id, "participants_evenements"))
				w->v[CL_COMM] = "près de 5 366 participants au total";
		}
		struct srow *w = sheet_row(s);  /* figures of the next quarter, already */
		w->v[CL_IND] = "abonnes_linkedin";
		w->v[CL_VAL] = "11 250";
		w->v[CL_PER] = "2022-01";
		w->v[CL_COMM] = "relevé du 12 janvier";
	}
	/* A figure written as an ordinal. */
	struct srow *w = spoil(s, 11, "clean", "type-error");
	w->v[CL_IND] = "cercles_thematiques";
	w->v[CL_VAL] = "1er";
	w->v[CL_PER] = QNAME[q];
	w->v[CL_COMM] = "premier Cercle thématique lancé le 29/09/2021";
}

/* ============================================================================
 * main
 * ========================================================================= */

static void usage(FILE *f)
{
	fputs("Usage: demo-gen [--ref DIR] OUTDIR\n"
	      "Writes the demo exports of 2021-Q3 and 2021-Q4, the PVD list of the period\n"
	      "and the manifest of planted bad rows into OUTDIR, from the reference tables\n"
	      "of DIR (default config/ref).  Deterministic: same tables, same bytes.\n",
	      f);
}

int main(int argc, char **argv)
{
	const char *ref = "config/ref", *out = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			usage(stdout);
			return 0;
		} else if (!strcmp(argv[i], "--ref") && i + 1 < argc) {
			ref = argv[++i];
		} else if (argv[i][0] == '-' || out) {
			usage(stderr);
			return 64;
		} else {
			out = argv[i];
		}
	}
	if (!out) {
		usage(stderr);
		return 64;
	}
	QEND[0] = dnum(2021, 9, 30);
	QEND[1] = dnum(2021, 12, 31);
	QEXPORT[0] = dnum(2021, 10, 15);
	QEXPORT[1] = dnum(2022, 1, 14);
	load_world(ref);
	mkdirs(out);
	write_list(out);
	conventions_plan();
	ort_plan();
	chefs_plan();
	ingenierie_plan();
	commerce_plan();
	friches_plan();
	dotations_plan();
	fs_plan();
	cn_plan();
	for (int q = 0; q < 2; q++) {
		conventions_export(q);
		ort_export(q);
		chefs_export(q);
		ingenierie_export(q);
		commerce_export(q);
		friches_export(q);
		dotations_export(q);
		fs_export(q);
		cn_export(q);
		club_export(q);
	}
	for (size_t i = 0; i < sheets.n; i++)
		sheet_write(out, sheets.v[i]);
	manifest_write(out);
	arena_free();
	return 0;
}
