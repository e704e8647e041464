#include "csvread.h"
#include "reject.h"
#include "textnorm.h"
#include "xmem.h"
#include <csv.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>

/* A completed row waiting to be pulled; rows are built in place. */
struct ev {
	enum pvd_csv_event type;
	long line, nlines;
	struct pvd_buf cells;        /* cell texts, each NUL-terminated */
	size_t *off, *len, n, cap;
	const char **ptr;            /* filled when handed out */
	size_t pcap;
	struct pvd_buf raw;
	const char *rawp;            /* a one-line row's text where it lies (see fast_row), or NULL */
	size_t rawn;
	long enc_line, enc_col;
	unsigned enc_byte;
	int too_big;
	const char *reason;
	char msg[256];
};

/* A line to read again after a stray quote was found before it. */
struct replay {
	long line;
	size_t off, len;             /* in replay text buffer, decoded, without \n */
	long enc_col;
	unsigned enc_byte;
	int nl;                      /* ended with \n */
};

struct pvd_csv {
	struct pvd_input *in;
	struct csv_parser p;
	enum pvd_enc enc;
	char delim;
	int bom;
	size_t cap;
	size_t linecap;              /* longest line kept whole (a longer one is cut, see cut_line) */
	struct ev *q;                /* queue of events; q[0..nq) ready, q[nq] building */
	size_t nq, qcap, qinit, qhead; /* qinit: slots initialised so far */
	struct pvd_buf dec;          /* the current line, decoded */
	struct replay *rp;
	size_t nrp, rpcap, rphead;
	struct pvd_buf rptext, rpnext;
	struct pvd_buf scratch;      /* a quoted cell without its doubled quotes */
	int eof;
	long lineno;                 /* last physical line read from the input */
	long cur_line;               /* line being fed */
	int pending;                 /* a row is open (started, not ended) */
	int last_nl;                 /* the last line fed ended with a newline */
	/* Lines split here rather than by the input (own_line): CR-only files,
	 * where a lone CR ends a line, and UTF-16 files, decoded to UTF-8 first. */
	int own, cr, u16;            /* u16: 0, 1 little-endian, 2 big-endian */
	struct pvd_buf ib;           /* bytes read (decoded), from ibeg not yet handed out */
	size_t ibeg, iscan;          /* iscan: bytes after ibeg known to hold no line end */
	int ieof;
	int icut, iskip;             /* own_line: the line handed out was cut; its rest is to be skipped */
	unsigned char odd[4];        /* UTF-16: bytes of an unfinished unit or pair */
	size_t nodd;
};

static void ev_reset(struct ev *v);

/* The row being built: slot nq, created zeroed the first time it is used. */
static struct ev *building(struct pvd_csv *c)
{
	c->q = xgrow(c->q, &c->qcap, c->nq + 1, sizeof *c->q);
	while (c->qinit <= c->nq) {
		memset(&c->q[c->qinit], 0, sizeof *c->q);
		ev_reset(&c->q[c->qinit]);
		c->qinit++;
	}
	return &c->q[c->nq];
}

static void ev_reset(struct ev *v)
{
	v->line = 0;
	v->rawp = NULL;
	v->rawn = 0;
	pvd_buf_reset(&v->cells);
	pvd_buf_reset(&v->raw);
	v->n = 0;
	v->enc_col = -1;
	v->enc_line = 0;
	v->too_big = 0;
	v->reason = NULL;
	v->msg[0] = '\0';
	v->nlines = 0;
}

static void add_cell(struct pvd_csv *c, struct ev *v, const void *s, size_t len, int may_cr);

/* libcsv's field callback. */
static void cb_field(void *s, size_t len, void *data)
{
	struct pvd_csv *c = data;
	add_cell(c, building(c), s, len, 1);
}

/* Appends a cell to the row being built; may_cr: it may hold a CR (fast_row
 * has looked for one in the whole line: its cells have none). */
static void add_cell(struct pvd_csv *c, struct ev *v, const void *s, size_t len, int may_cr)
{
	if (v->n + 1 > v->cap) {
		v->off = xgrow(v->off, &v->cap, v->n + 1, sizeof *v->off);
		v->len = xrealloc(v->len, v->cap * sizeof *v->len);
	}
	size_t start = v->cells.len;
	if (len > c->cap) {
		v->too_big = 1;
		len = 0;
	}
	/* Quoted newlines written CRLF come out as LF. */
	const char *p = s;
	pvd_buf_reserve(&v->cells, len + 1);
	char *d = v->cells.p + v->cells.len;
	if (!len || !may_cr || !memchr(p, '\r', len)) {
		memcpy(d, p, len);
		d += len;
	} else {
		for (size_t i = 0; i < len; i++) {
			if (p[i] == '\r' && i + 1 < len && p[i + 1] == '\n')
				continue;
			*d++ = p[i];
		}
	}
	*d++ = '\0';
	v->cells.len = (size_t)(d - v->cells.p);
	v->off[v->n] = start;
	v->len[v->n] = v->cells.len - start - 1;
	v->n++;
	c->pending = 1;
}

static void cb_row(int term, void *data)
{
	struct pvd_csv *c = data;
	struct ev *v = building(c);
	v->type = PVD_CSV_ROW;
	if (v->too_big) {
		v->type = PVD_CSV_BAD;
		v->reason = PVD_R_FIELD_TOO_LARGE;
		snprintf(v->msg, sizeof v->msg, "a field is larger than %zu bytes", c->cap);
	}
	c->nq++;
	c->pending = 0;
	struct ev *nv = building(c);
	ev_reset(nv);
	nv->line = c->cur_line; /* a row libcsv begins after a lone CR starts on this line */
}

/* No character is "space" to libcsv: cells keep their spaces exactly as
 * written (RFC 4180); trimming is pvd-clean's business. */
static int no_space(unsigned char ch)
{
	return 0;
}

static void parser_init(struct pvd_csv *c)
{
	csv_init(&c->p, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_delim(&c->p, (unsigned char)c->delim);
	csv_set_space_func(&c->p, no_space);
	c->pending = 0;
}

static void parser_reset(struct pvd_csv *c)
{
	csv_free(&c->p);
	parser_init(c);
}

/* Queues lines 2.. of the open row to be read again and rejects its first line. */
static void recover(struct pvd_csv *c, const char *why)
{
	struct ev *v = building(c);
	/* A row started after a lone CR inside a line has no raw text of its own. */
	pvd_buf_reserve(&v->raw, 0);
	/* Lines of the row, from raw: line v->line + i. */
	const char *raw = pvd_buf_str(&v->raw);
	size_t rl = v->raw.len;
	const char *nl = memchr(raw, '\n', rl);
	size_t first = nl ? (size_t)(nl - raw) : rl;
	/* Build the replay list: the remaining lines come before anything queued. */
	struct pvd_buf text = { 0 };
	struct replay *list = NULL;
	size_t nlist = 0, lcap = 0;
	long ln = v->line + 1;
	size_t pos = nl ? first + 1 : rl;
	while (pos < rl) {
		const char *s = raw + pos;
		const char *e2 = memchr(s, '\n', rl - pos);
		size_t l = e2 ? (size_t)(e2 - s) : rl - pos;
		list = xgrow(list, &lcap, nlist + 1, sizeof *list);
		/* Lines inside the row all ended with a newline; the last one read
		 * did if the input line did. */
		list[nlist] = (struct replay){ ln++, text.len, l, -1, 0, e2 != NULL || c->last_nl };
		pvd_buf_add(&text, s, l);
		nlist++;
		pos += l + (e2 ? 1 : 0);
	}
	/* Keep what was still waiting to be replayed after the new lines. */
	for (size_t i = c->rphead; i < c->nrp; i++) {
		list = xgrow(list, &lcap, nlist + 1, sizeof *list);
		list[nlist] = c->rp[i];
		list[nlist].off = text.len;
		pvd_buf_add(&text, c->rptext.p + c->rp[i].off, c->rp[i].len);
		nlist++;
	}
	free(c->rp);
	pvd_buf_free(&c->rptext);
	c->rp = list;
	c->nrp = nlist;
	c->rpcap = lcap;
	c->rphead = 0;
	c->rptext = text;

	v->type = PVD_CSV_BAD;
	v->reason = PVD_R_STRAY_QUOTE;
	snprintf(v->msg, sizeof v->msg, "%s", why);
	v->raw.len = first;
	v->raw.p[first] = '\0';
	v->nlines = 1;
	v->n = 0;
	c->nq++;
	ev_reset(building(c));
	parser_reset(c);
}

/* The common case without libcsv's byte-by-byte state machine: a row that
 * is whole on its line, with well-formed quoting.  Gives exactly the cells
 * libcsv would; returns 0 (having added nothing) for anything else — a
 * quote left open, a quote inside an unquoted cell, text after a closing
 * quote, a lone CR — which libcsv then reads, or refuses, as usual. */
static int fast_row(struct pvd_csv *c, struct ev *v, const char *s, size_t n, long enc_col,
		    unsigned enc_byte)
{
	const char d = c->delim;
	if (n && s[n - 1] == '\r')
		n--; /* CRLF: the CR ends the row, as in libcsv */
	if (memchr(s, '\r', n))
		return 0;
	/* Most lines hold no quote at all: then cells end at delimiters only. */
	if (!memchr(s, '"', n)) {
		size_t pos = 0;
		for (;;) {
			const char *e = memchr(s + pos, d, n - pos);
			size_t end = e ? (size_t)(e - s) : n;
			add_cell(c, v, s + pos, end - pos, 0);
			if (!e)
				break;
			pos = end + 1;
		}
		goto row;
	}
	size_t pos = 0;
	for (;;) {
		if (pos < n && s[pos] == '"') {
			/* Quoted cell: up to the closing quote, "" standing for one quote. */
			size_t q = pos + 1;
			pvd_buf_reset(&c->scratch);
			for (;;) {
				const char *e = memchr(s + q, '"', n - q);
				if (!e)
					goto fallback;
				size_t at = (size_t)(e - s);
				if (at + 1 < n && s[at + 1] == '"') {
					pvd_buf_add(&c->scratch, s + q, at + 1 - q);
					q = at + 2;
					continue;
				}
				pvd_buf_add(&c->scratch, s + q, at - q);
				pos = at + 1;
				break;
			}
			if (pos < n && s[pos] != d)
				goto fallback;
			add_cell(c, v, c->scratch.p ? c->scratch.p : "", c->scratch.len, 0);
		} else {
			const char *e = memchr(s + pos, d, n - pos);
			size_t end = e ? (size_t)(e - s) : n;
			if (memchr(s + pos, '"', end - pos))
				goto fallback;
			add_cell(c, v, s + pos, end - pos, 0);
			pos = end;
		}
		if (pos >= n)
			break;
		pos++; /* the delimiter */
		if (pos == n) { /* a delimiter last: one more, empty, cell */
			add_cell(c, v, "", 0, 0);
			break;
		}
	}
row:
	v->nlines = 1;
	/* The raw text is only read for a reject: point at the line rather than copy it. */
	v->rawp = s;
	v->rawn = n;
	if (enc_col >= 0) {
		v->enc_line = v->line;
		v->enc_col = enc_col + 1;
		v->enc_byte = enc_byte;
	}
	cb_row(0, c);
	return 1;
fallback:
	/* Undo the cells added so far: libcsv reads the line from its start. */
	v->n = 0;
	pvd_buf_reset(&v->cells);
	v->too_big = 0;
	c->pending = 0;
	return 0;
}

/* Feeds one decoded line (without its \n) to the parser. */
static void feed(struct pvd_csv *c, long line, const char *s, size_t n, int nl, long enc_col,
		 unsigned enc_byte)
{
	struct ev *v = building(c);
	c->last_nl = nl;
	c->cur_line = line;
	if (!c->pending) {
		size_t i = 0;
		while (i < n && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r'))
			i++;
		if (i == n) {
			v->type = PVD_CSV_BLANK;
			v->line = line;
			v->nlines = 1;
			c->nq++;
			ev_reset(building(c));
			return;
		}
		v->line = line;
		if (fast_row(c, v, s, n, enc_col, enc_byte))
			return;
	}
	v->nlines++;
	if (v->raw.len)
		pvd_buf_addc(&v->raw, '\n');
	pvd_buf_add(&v->raw, s, n);
	if (enc_col >= 0 && v->enc_col < 0) {
		v->enc_line = line;
		v->enc_col = enc_col + 1;
		v->enc_byte = enc_byte;
	}
	c->pending = 1;
	size_t done = csv_parse(&c->p, s, n, cb_field, cb_row, c);
	int refused = done < n;
	if (!refused && nl)
		refused = csv_parse(&c->p, "\n", 1, cb_field, cb_row, c) < 1;
	if (refused) {
		v = building(c);
		/* In a row that spans lines, the quote opened on its first line is
		 * the stray one (it ran on until this quote closed it): reject that
		 * line and read the following ones again. */
		if (v->nlines > 1) {
			recover(c, "unterminated quoted field: its opening quote is on this line");
			return;
		}
		/* Strict quoting refused this one-line row: reject it, go on. */
		v->type = PVD_CSV_BAD;
		v->reason = PVD_R_STRAY_QUOTE;
		snprintf(v->msg, sizeof v->msg, "stray quote at column %zu: a quote inside an unquoted field, or text after a closing quote", done + 1);
		v->n = 0;
		if (!v->line)
			v->line = line;
		c->nq++;
		ev_reset(building(c));
		parser_reset(c);
		return;
	}
	/* libcsv also ends a row at a lone CR: a row it began after one on this
	 * line is open though none of its cells is complete yet (`a,b\r"c,d`):
	 * its state, not the cells seen, says whether a row is open (else the
	 * open field would be dropped at the end of the file, or run on into a
	 * line the fast path took).  0 is libcsv's ROW_NOT_BEGUN. */
	c->pending = c->p.pstate != 0;
	/* Still inside a quoted field: a field grown past the cap is a quote
	 * never closed (or a field too large): give up on it. */
	if (c->pending && c->p.quoted && c->p.entry_pos > c->cap) {
		char why[160];
		snprintf(why, sizeof why, "quoted field opened on this line still open after %zu bytes: a stray quote, or a field larger than the cap",
			 c->cap);
		recover(c, why);
	}
}

/* Raw text kept of a line too long to keep whole. */
#define CUT_RAW 4096

/* Would the line's start s[0..n), read from where the parser stands, hold
 * a field longer than the cap?  Bytes are counted as read (a decoded field
 * is never shorter); a doubled quote inside quotes counts once. */
static int holds_big_field(const struct pvd_csv *c, const char *s, size_t n)
{
	int inq = c->pending && c->p.quoted;
	size_t flen = c->pending ? c->p.entry_pos : 0;
	for (size_t i = 0; i < n; i++) {
		char ch = s[i];
		if (ch == '"') {
			if (inq && i + 1 < n && s[i + 1] == '"') {
				i++;
				flen++;
				continue;
			}
			inq = !inq;
			continue;
		}
		if (!inq && ch == c->delim) {
			flen = 0;
			continue;
		}
		if (++flen > c->cap)
			return 1;
	}
	return 0;
}

/* A line longer than linecap (only its start s[0..n) was read; the rest is
 * skipped by the reader): its row, and the lines of the row before it, are
 * rejected as field-too-large.  Memory stays bounded by linecap. */
static void cut_line(struct pvd_csv *c, long line, const char *s, size_t n)
{
	struct ev *v = building(c);
	int big = holds_big_field(c, s, n);
	if (!c->pending) {
		v->line = line;
		pvd_buf_reset(&v->raw);
	}
	v->nlines++;
	/* The raw text: the start of the line, as whole UTF-8 characters. */
	size_t keep = n < CUT_RAW ? n : CUT_RAW;
	if (v->raw.len)
		pvd_buf_addc(&v->raw, '\n');
	if (c->enc == PVD_ENC_CP1252) {
		pvd_enc_to_utf8(c->enc, s, keep, &v->raw);
	} else {
		size_t ok = pvd_utf8_valid_prefix(s, keep);
		if (keep - ok < 4 && keep < n)
			keep = ok; /* a character cut by the limit */
		pvd_buf_add(&v->raw, s, keep);
	}
	v->type = PVD_CSV_BAD;
	v->reason = PVD_R_FIELD_TOO_LARGE;
	if (big)
		snprintf(v->msg, sizeof v->msg, "a field is larger than %zu bytes", c->cap);
	else
		snprintf(v->msg, sizeof v->msg, "line %ld is longer than %zu bytes (16 times the field cap)", line,
			 c->linecap);
	v->n = 0;
	v->rawp = NULL;
	c->nq++;
	ev_reset(building(c));
	parser_reset(c);
}

/* Appends code point cp as UTF-8 (0xFF, never valid UTF-8, for a UTF-16
 * unit that is not a character: the line is then rejected as undecodable). */
static void put_cp(struct pvd_buf *b, unsigned cp)
{
	pvd_buf_reserve(b, 4);
	char *d = b->p + b->len;
	if (cp == 0xFFFFFFFFu) {
		*d++ = (char)0xFF;
	} else if (cp < 0x80) {
		*d++ = (char)cp;
	} else if (cp < 0x800) {
		*d++ = (char)(0xC0 | cp >> 6);
		*d++ = (char)(0x80 | (cp & 63));
	} else if (cp < 0x10000) {
		*d++ = (char)(0xE0 | cp >> 12);
		*d++ = (char)(0x80 | ((cp >> 6) & 63));
		*d++ = (char)(0x80 | (cp & 63));
	} else {
		*d++ = (char)(0xF0 | cp >> 18);
		*d++ = (char)(0x80 | ((cp >> 12) & 63));
		*d++ = (char)(0x80 | ((cp >> 6) & 63));
		*d++ = (char)(0x80 | (cp & 63));
	}
	b->len = (size_t)(d - b->p);
	b->p[b->len] = '\0';
}

/* Decodes a block of UTF-16 onto c->ib; an unfinished unit or surrogate
 * pair waits in c->odd for the next block (or is undecodable at the end). */
static void u16_decode(struct pvd_csv *c, const unsigned char *p, size_t n, int final)
{
	unsigned char w[4];
	size_t i = 0;
	for (;;) {
		/* The next up-to-4 bytes: those left over first, then the block's. */
		size_t m = 0;
		while (m < c->nodd && m < 4)
			w[m] = c->odd[m], m++;
		size_t take = 0;
		while (m < 4 && i + take < n)
			w[m++] = p[i + take++];
		if (m < 2)
			break;
		int le = c->u16 == 1;
		unsigned u = le ? (unsigned)(w[0] | w[1] << 8) : (unsigned)(w[0] << 8 | w[1]);
		size_t used = 2;
		unsigned cp = u;
		if (u >= 0xD800 && u < 0xDC00) {
			if (m < 4)
				break;
			unsigned u2 = le ? (unsigned)(w[2] | w[3] << 8) : (unsigned)(w[2] << 8 | w[3]);
			if (u2 >= 0xDC00 && u2 < 0xE000) {
				cp = 0x10000 + ((u - 0xD800) << 10) + (u2 - 0xDC00);
				used = 4;
			} else {
				cp = 0xFFFFFFFFu;
			}
		} else if (u >= 0xDC00 && u < 0xE000) {
			cp = 0xFFFFFFFFu;
		}
		put_cp(&c->ib, cp);
		/* Consume `used` bytes: from odd first, then from the block. */
		size_t from_odd = used < c->nodd ? used : c->nodd;
		memmove(c->odd, c->odd + from_odd, c->nodd - from_odd);
		c->nodd -= from_odd;
		i += used - from_odd;
	}
	/* Keep what is left for the next block. */
	while (i < n && c->nodd < sizeof c->odd)
		c->odd[c->nodd++] = p[i++];
	if (final && c->nodd) {
		put_cp(&c->ib, 0xFFFFFFFFu);
		c->nodd = 0;
	}
}

/* Reads one more block into c->ib.  Returns 1, 0 at the end, -1 on error. */
static int refill(struct pvd_csv *c, struct pvd_err *e)
{
	if (c->ibeg > 0) {
		memmove(c->ib.p, c->ib.p + c->ibeg, c->ib.len - c->ibeg);
		c->ib.len -= c->ibeg;
		c->ibeg = 0;
	}
	char blk[1 << 16];
	ssize_t r = pvd_input_read(c->in, blk, sizeof blk, e);
	if (r < 0)
		return -1;
	if (r == 0) {
		c->ieof = 1;
		if (c->u16)
			u16_decode(c, NULL, 0, 1);
		return 0;
	}
	if (c->u16)
		u16_decode(c, (const unsigned char *)blk, (size_t)r, 0);
	else
		pvd_buf_add(&c->ib, blk, (size_t)r);
	return 1;
}

/* The next line of c->ib: ended by \n, or in a CR-only file by \r or \r\n
 * (which are then not part of it).  Same contract as pvd_input_line. */
static int own_line(struct pvd_csv *c, const char **line, size_t *len, int *nl, struct pvd_err *e)
{
	c->icut = 0;
	/* The rest of a line cut last time: dropped up to its end, block by block. */
	while (c->iskip) {
		const char *p = c->ib.p ? c->ib.p + c->ibeg : "";
		size_t avail = c->ib.len - c->ibeg;
		const char *t = memchr(p, '\n', avail);
		if (c->cr) {
			const char *r = memchr(p, '\r', t ? (size_t)(t - p) : avail);
			if (r)
				t = r;
		}
		if (t && *t == '\r' && t + 1 == p + avail && !c->ieof) {
			/* A CR last in the block: is it the CR of a CRLF? */
			c->ibeg += (size_t)(t - p);
			if (refill(c, e) < 0)
				return -1;
			continue;
		}
		if (t) {
			size_t i = (size_t)(t - p);
			c->ibeg += i + 1 + (*t == '\r' && i + 1 < avail && p[i + 1] == '\n');
			c->iskip = 0;
			break;
		}
		c->ibeg = c->ib.len;
		if (c->ieof) {
			c->iskip = 0;
			break;
		}
		if (refill(c, e) < 0)
			return -1;
	}
	for (;;) {
		const char *p = c->ib.p ? c->ib.p + c->ibeg : "";
		size_t avail = c->ib.len - c->ibeg;
		const char *t = memchr(p + c->iscan, '\n', avail - c->iscan);
		if (c->cr) {
			size_t lim = t ? (size_t)(t - p) : avail;
			const char *r = memchr(p + c->iscan, '\r', lim - c->iscan);
			if (r)
				t = r;
		}
		if (t) {
			size_t i = (size_t)(t - p), term = 1;
			if (*t == '\r') {
				if (i + 1 == avail && !c->ieof) {
					c->iscan = i;
					if (refill(c, e) < 0)
						return -1;
					continue;
				}
				term += i + 1 < avail && p[i + 1] == '\n';
			}
			*line = p;
			*len = i;
			*nl = 1;
			c->ibeg += i + term;
			c->iscan = 0;
			return 1;
		}
		c->iscan = avail;
		if (avail > c->linecap) {
			/* Too long to keep (see cut_line): its start now, the rest skipped next time. */
			*line = p;
			*len = c->linecap;
			*nl = 1;
			c->ibeg += avail;
			c->iscan = 0;
			c->icut = c->iskip = 1;
			return 1;
		}
		if (c->ieof) {
			if (!avail)
				return 0;
			*line = p;
			*len = avail;
			*nl = 0;
			c->ibeg += avail;
			c->iscan = 0;
			return 1;
		}
		if (refill(c, e) < 0)
			return -1;
	}
}

/* A byte-order mark anywhere but at the start of the input: files put end
 * to end, or an invisible character ("\uFEFF01004" is not "01004").  Its
 * offset, or -1.  (In Windows-1252 its bytes read as "ï»¿": the same.) */
static long bom_at(const char *s, size_t n)
{
	for (const char *p = s; (p = memchr(p, 0xEF, (size_t)(s + n - p))); p++)
		if (s + n - p >= 3 && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
			return (long)(p - s);
	return -1;
}

/* The first of an undecodable byte (*bad), a NUL and a BOM: *bad becomes
 * its offset (-1: none); returns what to report (enc_byte). */
static unsigned first_bad(const char *s, long *bad, long nul, long bom)
{
	unsigned byte = *bad >= 0 ? (unsigned char)s[*bad] : 0;
	if (nul >= 0 && (*bad < 0 || nul < *bad))
		*bad = nul, byte = 0;
	if (bom >= 0 && (*bad < 0 || bom < *bad))
		*bad = bom, byte = PVD_CSV_ENC_BOM;
	return byte;
}

static int next_line(struct pvd_csv *c, struct pvd_err *e)
{
	/* Lines to read again come first. */
	if (c->rphead < c->nrp) {
		struct replay *r = &c->rp[c->rphead++];
		/* Copy out: recover() may rebuild the replay buffers while feeding. */
		pvd_buf_reset(&c->rpnext);
		pvd_buf_add(&c->rpnext, c->rptext.p + r->off, r->len);
		struct replay rr = *r;
		feed(c, rr.line, c->rpnext.p, rr.len, rr.nl, rr.enc_col, rr.enc_byte);
		if (c->rphead >= c->nrp) {
			c->nrp = c->rphead = 0;
			pvd_buf_reset(&c->rptext);
		}
		return 1;
	}
	if (c->eof)
		return 0;
	const char *s;
	size_t n;
	int got, nl;
	if (c->own) {
		got = own_line(c, &s, &n, &nl, e);
	} else {
		got = pvd_input_line(c->in, &s, &n, e);
		nl = c->in->nl;
	}
	if (got < 0)
		return -1;
	if (got == 0) {
		c->eof = 1;
		/* End of input: close the last row; an open quote is a stray one. */
		if (c->pending) {
			if (csv_fini(&c->p, cb_field, cb_row, c) != 0) {
				struct ev *v = building(c);
				if (v->nlines > 1) {
					recover(c, "unterminated quoted field: its opening quote is on this line");
				} else {
					v->type = PVD_CSV_BAD;
					v->reason = PVD_R_STRAY_QUOTE;
					snprintf(v->msg, sizeof v->msg, "unterminated quoted field at the end of the file");
					v->n = 0;
					c->nq++;
					ev_reset(building(c));
					parser_reset(c);
				}
			}
		}
		return 1;
	}
	c->lineno = c->own ? c->lineno + 1 : c->in->line;
	if (c->own ? c->icut : c->in->cut) {
		cut_line(c, c->lineno, s, n);
		return 1;
	}
	/* A NUL byte is never text: the row is rejected as undecodable, like a
	 * byte the encoding cannot read (one memchr: cheaper than a test per byte). */
	const char *z = memchr(s, '\0', n);
	long nul = z ? (long)(z - s) : -1;
	long bom = bom_at(s, n);
	/* UTF-8 is only checked: the line is read where it lies in
	 * the input's buffer (valid until the next line is read, and every
	 * event of this line is handed out before that). */
	long bad;
	if (c->enc == PVD_ENC_CP1252) {
		pvd_buf_reset(&c->dec);
		bad = pvd_enc_to_utf8(c->enc, s, n, &c->dec);
		unsigned byte = first_bad(s, &bad, nul, bom);
		feed(c, c->lineno, pvd_buf_str(&c->dec), c->dec.len, nl, bad, byte);
	} else {
		/* UTF-16 was decoded to UTF-8 by own_line: checked as UTF-8. */
		bad = pvd_enc_check(PVD_ENC_UTF8, s, n);
		unsigned byte = first_bad(s, &bad, nul, bom);
		feed(c, c->lineno, s, n, nl, bad, byte);
	}
	return 1;
}

int pvd_csv_open(struct pvd_csv **cp, struct pvd_input *in, const struct pvd_csv_opts *o,
		 struct pvd_err *e)
{
	struct pvd_csv *c = xcalloc(1, sizeof *c);
	c->in = in;
	c->cap = o->field_cap ? o->field_cap : (1u << 20);
	/* A line holds many fields, each up to the cap; longer than 16 of them
	 * (at least 16 MiB) it is not read whole: memory stays bounded. */
	c->linecap = c->cap > SIZE_MAX / 16 ? SIZE_MAX : c->cap * 16;
	if (c->linecap < ((size_t)16 << 20))
		c->linecap = (size_t)16 << 20;
	in->max_line = c->linecap;
	const char *s;
	size_t n;
	int at_eof;
	if (pvd_input_peek(in, 1u << 16, &s, &n, &at_eof, e)) {
		free(c);
		return PVD_EX_IO;
	}
	size_t bom = 0;
	enum pvd_enc det = pvd_enc_detect(s, n, at_eof, &bom);
	c->enc = o->enc != PVD_ENC_AUTO ? o->enc : det;
	if (bom) {
		pvd_input_skip(in, bom);
		s += bom;
		n -= bom;
		c->bom = 1;
	}
	/* Control bytes all over the first block: not text in any 8-bit
	 * encoding (a binary file, /dev/zero, /dev/urandom), which would be read
	 * for ever or give a reject per line: refused at once. */
	if (c->enc != PVD_ENC_UTF16LE && c->enc != PVD_ENC_UTF16BE) {
		size_t ctrl = 0;
		for (size_t i = 0; i < n; i++) {
			unsigned char b = (unsigned char)s[i];
			ctrl += b < 0x20 && b != '\t' && b != '\n' && b != '\r' && b != '\f' && b != '\v';
		}
		if (ctrl >= 64 && ctrl * 20 > n) {
			free(c);
			return pvd_err_set(e, PVD_EX_DATA, in->name, 0, 0,
					   "not text: %zu of its first %zu bytes are control characters (a binary file, or a device such as /dev/zero?)",
					   ctrl, n);
		}
	}
	if (c->enc == PVD_ENC_UTF16LE || c->enc == PVD_ENC_UTF16BE) {
		/* Decoded before anything else: the sample to sniff is the decoded one. */
		c->own = 1;
		c->u16 = c->enc == PVD_ENC_UTF16LE ? 1 : 2;
		if (refill(c, e) < 0) {
			pvd_buf_free(&c->ib);
			free(c);
			return PVD_EX_IO;
		}
		s = pvd_buf_str(&c->ib);
		n = c->ib.len;
	}
	/* A sample with CRs and no LF, or with many more lone CRs than LFs: a
	 * file from a tool that ends lines with a lone CR (classic Mac OS); each
	 * CR is a line end, counted as such.  A CRLF pasted into a quoted cell of
	 * such a file must not make it an LF file, every line number wrong; a few
	 * lone CRs inside the cells of an LF file do not make it a CR one. */
	if (memchr(s, '\r', n)) {
		size_t lone_cr = 0, lf = 0;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == '\n')
				lf++;
			else if (s[i] == '\r')
				lone_cr += i + 1 == n || s[i + 1] != '\n';
		}
		if (lone_cr > 4 * lf)
			c->own = c->cr = 1;
	}
	c->delim = o->delim ? o->delim : pvd_csv_sniff(s, n);
	parser_init(c);
	ev_reset(building(c));
	*cp = c;
	return 0;
}

int pvd_csv_next(struct pvd_csv *c, struct pvd_csv_row *row, struct pvd_err *e)
{
	/* Recycle the event handed out last time: shift the queue (the row
	 * being built included) down one and park the old slot after it. */
	if (c->qhead > 0) {
		building(c);
		struct ev tmp = c->q[0];
		memmove(&c->q[0], &c->q[1], c->nq * sizeof *c->q);
		c->q[c->nq] = tmp;
		ev_reset(&c->q[c->nq]);
		c->nq--;
		c->qhead = 0;
	}
	while (c->nq == 0) {
		int r = next_line(c, e);
		if (r < 0)
			return PVD_EX_IO;
		if (r == 0)
			return 0;
	}
	struct ev *v = &c->q[0];
	c->qhead = 1;
	if (v->n > v->pcap) {
		v->pcap = v->n;
		v->ptr = xrealloc(v->ptr, v->pcap * sizeof *v->ptr);
	}
	for (size_t i = 0; i < v->n; i++)
		v->ptr[i] = v->cells.p + v->off[i];
	/* Every field is set: no memset of the message buffer per row. */
	row->type = v->type;
	row->line = v->line;
	row->nlines = v->nlines;
	row->ncells = v->type == PVD_CSV_ROW ? v->n : 0;
	row->cell = v->ptr;
	row->len = v->len;
	row->raw = v->rawp ? v->rawp : pvd_buf_str(&v->raw);
	row->rawlen = v->rawp ? v->rawn : v->raw.len;
	row->enc_line = v->enc_line;
	row->enc_col = v->enc_col;
	row->enc_byte = v->enc_byte;
	row->reason = v->reason;
	if (v->type == PVD_CSV_BAD)
		snprintf(row->msg, sizeof row->msg, "%s", v->msg);
	else
		row->msg[0] = '\0';
	return 1;
}

enum pvd_enc pvd_csv_encoding(const struct pvd_csv *c) { return c->enc; }
char pvd_csv_delimiter(const struct pvd_csv *c) { return c->delim; }
int pvd_csv_had_bom(const struct pvd_csv *c) { return c->bom; }

void pvd_csv_close(struct pvd_csv *c)
{
	if (!c)
		return;
	csv_free(&c->p);
	for (size_t i = 0; i < c->qinit; i++) {
		pvd_buf_free(&c->q[i].cells);
		pvd_buf_free(&c->q[i].raw);
		free(c->q[i].off);
		free(c->q[i].len);
		free(c->q[i].ptr);
	}
	free(c->q);
	free(c->rp);
	pvd_buf_free(&c->rptext);
	pvd_buf_free(&c->rpnext);
	pvd_buf_free(&c->scratch);
	pvd_buf_free(&c->dec);
	pvd_buf_free(&c->ib);
	free(c);
}

const char *pvd_csv_delim_name(char d)
{
	switch (d) {
	case '\t': return "tab";
	case ';': return ";";
	case '|': return "|";
	default: return ",";
	}
}

char pvd_csv_sniff(const char *s, size_t n)
{
	static const char cand[] = { ';', ',', '\t', '|' };
	enum { MAXREC = 64 };
	unsigned counts[4][MAXREC];
	size_t nrec = 0;
	unsigned cur[4] = { 0 };
	int inq = 0, nonblank = 0;
	for (size_t i = 0; i < n && nrec < MAXREC; i++) {
		char ch = s[i];
		if (ch == '"') {
			inq = !inq;
			nonblank = 1;
			continue;
		}
		if (inq)
			continue;
		if (ch == '\n' || (ch == '\r' && (i + 1 == n || s[i + 1] != '\n'))) {
			if (nonblank) {
				for (int k = 0; k < 4; k++)
					counts[k][nrec] = cur[k];
				nrec++;
			}
			memset(cur, 0, sizeof cur);
			nonblank = 0;
			continue;
		}
		if (ch != '\r' && ch != ' ')
			nonblank = 1;
		if (ch == ';') {
			/* &#039; &amp; ...: the ';' ends an entity, it is not a delimiter. */
			size_t j = i;
			while (j > 0 && i - j < 8 && (isalnum((unsigned char)s[j - 1]) || s[j - 1] == '#'))
				j--;
			if (j > 0 && s[j - 1] == '&' && j < i)
				continue;
		}
		for (int k = 0; k < 4; k++)
			if (ch == cand[k])
				cur[k]++;
	}
	/* For each candidate: its most frequent non-zero count per record, and
	 * how many records have exactly that count.  More consistent wins, then
	 * more columns, then the order above. */
	int best = -1;
	size_t best_score = 0;
	unsigned best_mode = 0;
	for (int k = 0; k < 4; k++) {
		unsigned mode = 0;
		size_t mode_n = 0;
		for (size_t a = 0; a < nrec; a++) {
			if (!counts[k][a])
				continue;
			size_t same = 0;
			for (size_t b = 0; b < nrec; b++)
				same += counts[k][b] == counts[k][a];
			if (same > mode_n || (same == mode_n && counts[k][a] > mode)) {
				mode_n = same;
				mode = counts[k][a];
			}
		}
		if (mode_n > best_score || (mode_n == best_score && mode > best_mode && mode_n > 0)) {
			best = k;
			best_score = mode_n;
			best_mode = mode;
		}
	}
	return best < 0 ? ',' : cand[best];
}
