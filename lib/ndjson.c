#include "ndjson.h"
#include "hash.h"
#include "jsonlex.h"
#include "reject.h"
#include "strset.h"
#include "textnorm.h"
#include "xmem.h"
#include <stdint.h>
#include <stdlib.h>

static const char hex[] = "0123456789abcdef";

/* Bytes that JSON strings cannot hold as they are. */
static const unsigned char needs_escape[256] = {
	[0 ... 0x1F] = 1, ['"'] = 1, ['\\'] = 1,
};

/* Writes s quoted at d, which has room for n * 6 + 2 bytes (\u00XX for
 * every byte at worst); returns the end. */
static char *quote_at(char *d, const char *s, size_t n)
{
	*d++ = '"';
	size_t i = 0;
	while (i < n) {
		/* Copy the run of plain bytes in one go: most values have no
		 * escape.  The reader's scan stops at exactly the bytes to escape. */
		uint64_t high = 0;
		size_t j = (size_t)(pvd_jlex_run(s + i, s + n, &high) - s);
		memcpy(d, s + i, j - i);
		d += j - i;
		if (j == n)
			break;
		unsigned char c = (unsigned char)s[j];
		*d++ = '\\';
		switch (c) {
		case '"': *d++ = '"'; break;
		case '\\': *d++ = '\\'; break;
		case '\n': *d++ = 'n'; break;
		case '\r': *d++ = 'r'; break;
		case '\t': *d++ = 't'; break;
		case '\b': *d++ = 'b'; break;
		case '\f': *d++ = 'f'; break;
		default:
			*d++ = 'u'; *d++ = '0'; *d++ = '0';
			*d++ = hex[c >> 4]; *d++ = hex[c & 15];
		}
		i = j + 1;
	}
	*d++ = '"';
	return d;
}

void pvd_json_quote(struct pvd_buf *out, const char *s, size_t n)
{
	pvd_buf_reserve(out, n * 6 + 2);
	out->len = (size_t)(quote_at(out->p + out->len, s, n) - out->p);
	out->p[out->len] = '\0';
}

/* The records of a stream mostly repeat the same names in the same order:
 * the quoted form of the name at each position is kept from one record to
 * the next and reused while it is the same name. */
#define NAME_CACHE 64
static __thread struct {
	struct pvd_buf name, quoted; /* raw name; "name": */
} name_cache[NAME_CACHE];

/* The quoted name of field i, with its colon (in the cache, or in tmp). */
static const struct pvd_buf *quoted_name(size_t i, const char *name, size_t len, struct pvd_buf *tmp)
{
	struct pvd_buf *q = tmp;
	if (i < NAME_CACHE) {
		struct pvd_buf *n = &name_cache[i].name;
		q = &name_cache[i].quoted;
		if (n->len == len && n->p && memcmp(n->p, name, len) == 0)
			return q;
		pvd_buf_reset(n);
		pvd_buf_add(n, name, len);
	}
	pvd_buf_reset(q);
	pvd_json_quote(q, name, len);
	pvd_buf_addc(q, ':');
	return q;
}

/* Room for field f's value as JSON, at worst. */
static size_t value_room(const struct pvd_field *f)
{
	switch (f->kind) {
	case PVD_NULL: return 4;
	case PVD_STR: return f->plain ? f->val_len + 2 : (size_t)f->val_len * 6 + 2;
	case PVD_LIST: /* items quoted, commas, brackets; at most val_len + 1 items (empty ones) */
		return (f->plain ? f->val_len : (size_t)f->val_len * 6) + 3 * ((size_t)f->val_len + 1) + 2;
	default: return f->val_len;
	}
}

void pvd_ndjson_write(struct pvd_buf *out, const struct pvd_record *r)
{
	static __thread struct pvd_buf tmp;
	pvd_buf_addc(out, '{');
	for (size_t i = 0; i < r->n; i++) {
		const struct pvd_field *f = &r->f[i];
		const struct pvd_buf *q = quoted_name(i, r->arena + f->name, f->name_len, &tmp);
		/* one reservation per field: the comma, the name, the value and the
		 * record's end; then plain writes */
		pvd_buf_reserve(out, 1 + q->len + value_room(f) + 2);
		char *d = out->p + out->len;
		if (i)
			*d++ = ',';
		memcpy(d, q->p, q->len);
		d += q->len;
		const char *v = r->arena + f->val;
		switch (f->kind) {
		case PVD_NULL:
			memcpy(d, "null", 4);
			d += 4;
			break;
		case PVD_STR:
			if (f->plain) {
				/* a plain value (record.h): quoted without a look at its bytes */
				*d++ = '"';
				memcpy(d, v, f->val_len);
				d += f->val_len;
				*d++ = '"';
			} else {
				d = quote_at(d, v, f->val_len);
			}
			break;
		case PVD_LIST:
			*d++ = '[';
			for (const char *it = pvd_list_first(r, f); it; it = pvd_list_next(r, f, it)) {
				size_t k = strlen(it);
				if (it != v)
					*d++ = ',';
				if (f->plain) {
					*d++ = '"';
					memcpy(d, it, k);
					d += k;
					*d++ = '"';
				} else {
					d = quote_at(d, it, k);
				}
			}
			*d++ = ']';
			break;
		default: /* NUM, BOOL, RAW: their text is already JSON */
			memcpy(d, v, f->val_len);
			d += f->val_len;
		}
		out->len = (size_t)(d - out->p);
	}
	pvd_buf_add(out, "}\n", 2);
}

/* ---- reader ---- */

struct pz {
	const char *s, *p, *end;
	struct pvd_err *e;
	const char *reason; /* PVD_R_* of the failure */
	struct pvd_buf tmp; /* unescaped string */
};

static int fail(struct pz *z, const char *what)
{
	z->reason = PVD_R_INVALID_JSON;
	return pvd_err_set(z->e, PVD_EX_DATA, NULL, 0, (long)(z->p - z->s) + 1, "invalid JSON: %s", what);
}

static void ws(struct pz *z)
{
	while (z->p < z->end && (*z->p == ' ' || *z->p == '\t' || *z->p == '\r' || *z->p == '\n'))
		z->p++;
}

/* A string at z->p (on the quote) into z->tmp.  Bad text (invalid UTF-8,
 * an unpaired surrogate, \u0000) is an encoding error, not a syntax error. */
static int string(struct pz *z)
{
	const char *m = pvd_jlex_string(&z->p, z->end, &z->tmp, 1);
	if (!m)
		return 0;
	if (!pvd_jlex_is_encoding(m))
		return fail(z, m);
	z->reason = PVD_R_ENCODING;
	return pvd_err_set(z->e, PVD_EX_DATA, NULL, 0, (long)(z->p - z->s) + 1, "%s", m);
}

/* A string at z->p (on the quote): *s and *n point into the line itself when
 * it holds no escape, as most strings do (no copy), else into z->tmp,
 * unescaped.  Either way *s is not NUL-terminated.  *plain says the first
 * case (record.h's plain values).  A bad string goes the way of string(), so
 * its error is the same. */
static int string_at(struct pz *z, const char **s, size_t *n, int *plain)
{
	const char *run = z->p + 1, *end = z->end;
	uint64_t high = 0;
	const char *p = pvd_jlex_run(run, end, &high);
	if (p < end && *p == '"' &&
	    (!(high & 0x8080808080808080ULL) || pvd_utf8_valid_prefix(run, (size_t)(p - run)) == (size_t)(p - run))) {
		*s = run;
		*n = (size_t)(p - run);
		z->p = p + 1;
		*plain = 1; /* no escape in the line, so none needed to write it */
		return 0;
	}
	if (string(z))
		return PVD_EX_DATA;
	*plain = 0;
	*s = z->tmp.p;
	*n = z->tmp.len;
	return 0;
}

static int number(struct pz *z)
{
	const char *m = pvd_jlex_number(&z->p, z->end);
	return m ? fail(z, m) : 0;
}

static int lit(struct pz *z, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(z->end - z->p) < n || memcmp(z->p, w, n) != 0)
		return fail(z, "unexpected token");
	z->p += n;
	return 0;
}

static int dup_key(struct pz *z, const char *key, size_t n)
{
	z->reason = PVD_R_DUP_KEY;
	return pvd_err_set(z->e, PVD_EX_DATA, NULL, 0, (long)(z->p - z->s) + 1,
			   "duplicate key \"%.*s\" in one object", (int)(n < 200 ? n : 200), key);
}

/* Skips any JSON value (used for nested values kept as RAW); depth counts
 * the containers around it, the record itself included. */
static int skip(struct pz *z, int depth)
{
	ws(z);
	if (z->p >= z->end)
		return fail(z, "value expected");
	switch (*z->p) {
	case '"': return string(z);
	case 't': return lit(z, "true");
	case 'f': return lit(z, "false");
	case 'n': return lit(z, "null");
	case '[': case '{': {
		if (depth >= PVD_JSON_MAXDEPTH)
			return fail(z, "arrays and objects nested more than " PVD_STR(PVD_JSON_MAXDEPTH) " deep");
		char close = *z->p == '[' ? ']' : '}';
		int obj = close == '}';
		/* A nested object may not name a member twice either: jq would
		 * keep the last.  One set per level, reused from line to line. */
		static __thread struct pvd_strset names[PVD_JSON_MAXDEPTH];
		if (obj)
			pvd_strset_clear(&names[depth]);
		z->p++;
		ws(z);
		if (z->p < z->end && *z->p == close) { z->p++; return 0; }
		for (;;) {
			if (obj) {
				ws(z);
				if (z->p >= z->end || *z->p != '"') return fail(z, "key expected");
				const char *kat = z->p;
				if (string(z)) return PVD_EX_DATA;
				int added;
				pvd_strset_add(&names[depth], z->tmp.p, z->tmp.len, &added);
				if (!added) {
					z->p = kat;
					return dup_key(z, z->tmp.p, z->tmp.len);
				}
				ws(z);
				if (z->p >= z->end || *z->p != ':') return fail(z, "':' expected");
				z->p++;
			}
			if (skip(z, depth + 1)) return PVD_EX_DATA;
			ws(z);
			if (z->p < z->end && *z->p == ',') { z->p++; continue; }
			if (z->p < z->end && *z->p == close) { z->p++; return 0; }
			return fail(z, "',' or end expected");
		}
	}
	default: return number(z);
	}
}

/* Appends a field: the names were checked distinct (see key_seen). */
struct key {
	const char *p;
	size_t len;
};

static void add(struct pvd_record *r, const struct key *key, enum pvd_kind kind, const char *v,
		size_t len, unsigned nitems)
{
	/* A list's items carry their terminators; the record adds the last one. */
	pvd_rec_add(r, key->p, key->len, kind, v, kind == PVD_LIST && len ? len - 1 : len);
	r->f[r->n - 1].nitems = (uint16_t)nitems;
}

/* An array of strings only becomes a LIST; anything else in it (or more
 * items than a LIST counts) makes it RAW, kept verbatim. */
static int array(struct pz *z, struct pvd_record *r, const struct key *key, struct pvd_buf *items)
{
	const char *start = z->p;
	unsigned n = 0;
	int plain = 1;
	pvd_buf_reset(items);
	z->p++;
	ws(z);
	if (z->p < z->end && *z->p == ']') {
		z->p++;
		add(r, key, PVD_LIST, "", 0, 0);
		return 0;
	}
	for (;;) {
		ws(z);
		if (z->p >= z->end) return fail(z, "unterminated array");
		if (*z->p != '"' || n == UINT16_MAX) {
			z->p = start;
			if (skip(z, 1)) return PVD_EX_DATA;
			add(r, key, PVD_RAW, start, (size_t)(z->p - start), 0);
			return 0;
		}
		const char *sv;
		size_t sn;
		int pl;
		if (string_at(z, &sv, &sn, &pl)) return PVD_EX_DATA;
		plain &= pl;
		pvd_buf_add(items, sv, sn);
		pvd_buf_addc(items, '\0'); /* each item with its NUL */
		n++;
		ws(z);
		if (z->p < z->end && *z->p == ',') { z->p++; continue; }
		if (z->p < z->end && *z->p == ']') { z->p++; break; }
		return fail(z, "',' or ']' expected");
	}
	add(r, key, PVD_LIST, items->p, items->len, n);
	if (plain)
		pvd_rec_plain(r, r->n - 1);
	return 0;
}

/* Duplicate names: a scan while the record is small, a hash index of its
 * names once it has many (a hostile line with 100 000 keys stays linear). */
#define SCAN_MAX 16
struct kidx {
	uint32_t *t; /* field index + 1, 0 = empty */
	size_t cap;  /* power of two, 0 while scanning */
};

static uint64_t khash(const char *k, size_t n)
{
	return pvd_mix64(pvd_fnv1a64(k, n));
}

static void kidx_put(struct kidx *x, const struct pvd_record *r, uint32_t i)
{
	const struct pvd_field *f = &r->f[i];
	size_t m = x->cap - 1, h = (size_t)khash(r->arena + f->name, f->name_len) & m;
	while (x->t[h])
		h = (h + 1) & m;
	x->t[h] = i + 1;
}

static void kidx_build(struct kidx *x, const struct pvd_record *r, size_t cap)
{
	free(x->t);
	x->cap = cap;
	x->t = xcalloc(cap, sizeof *x->t);
	for (size_t i = 0; i < r->n; i++)
		kidx_put(x, r, (uint32_t)i);
}

static int key_seen(struct kidx *x, const struct pvd_record *r, const char *k, size_t n)
{
	if (!x->cap && r->n < SCAN_MAX) {
		for (size_t i = 0; i < r->n; i++)
			if (r->f[i].name_len == n && memcmp(r->arena + r->f[i].name, k, n) == 0)
				return 1;
		return 0;
	}
	if (x->cap < 2 * (r->n + 1))
		kidx_build(x, r, x->cap ? 2 * x->cap : 4 * SCAN_MAX);
	size_t m = x->cap - 1, h = (size_t)khash(k, n) & m;
	for (uint32_t i; (i = x->t[h]); h = (h + 1) & m)
		if (r->f[i - 1].name_len == n && memcmp(r->arena + r->f[i - 1].name, k, n) == 0)
			return 1;
	return 0;
}

/* The names of the last record parsed whole, all distinct: a record that
 * starts with the same names needs no duplicate search for them (a compare
 * per name instead of a scan of the record). */
struct layout {
	struct pvd_buf names;   /* back to back */
	uint32_t *len;
	unsigned char *plain;   /* per name: no byte that JSON writes escaped */
	size_t n, cap, pcap;
};

static void layout_save(struct layout *l, const struct pvd_record *r)
{
	pvd_buf_reset(&l->names);
	l->len = xgrow(l->len, &l->cap, r->n ? r->n : 1, sizeof *l->len);
	l->plain = xgrow(l->plain, &l->pcap, r->n ? r->n : 1, 1);
	for (size_t i = 0; i < r->n; i++) {
		const char *k = r->arena + r->f[i].name;
		pvd_buf_add(&l->names, k, r->f[i].name_len);
		l->len[i] = r->f[i].name_len;
		l->plain[i] = 1;
		for (size_t j = 0; j < r->f[i].name_len; j++)
			if (needs_escape[(unsigned char)k[j]])
				l->plain[i] = 0;
	}
	l->n = r->n;
}

int pvd_ndjson_parse_ex(const char *line, size_t n, struct pvd_record *r, struct pvd_err *e,
			const char **reason)
{
	static __thread struct layout prev;
	static __thread uint64_t prev_stamp; /* prev's layout stamp (record.h) */
	size_t prev_at = 0;   /* offset of the next name in prev.names */
	int same = 1;         /* the names so far are prev's first ones */
	static __thread struct pvd_buf kbuf, items, tmp;
	static __thread struct kidx kx;
	struct pz z = { line, line, line + n, e, NULL, tmp };
	int rc = 0;
	pvd_rec_clear(r);
	kx.cap = 0; /* scanning again: the index, if any, is rebuilt when needed */
	ws(&z);
	if (z.p >= z.end || *z.p != '{') {
		rc = fail(&z, "a record must be a JSON object");
		goto out;
	}
	z.p++;
	ws(&z);
	if (z.p < z.end && *z.p == '}') {
		z.p++;
		goto tail;
	}
	for (;;) {
		ws(&z);
		if (z.p >= z.end || *z.p != '"') { rc = fail(&z, "key expected"); goto out; }
		const char *kat = z.p;
		struct key key;
		int plain;
		size_t i = r->n;
		if (same && i < prev.n && prev.plain[i] && (size_t)(z.end - z.p) > prev.len[i] + 1 &&
		    z.p[1 + prev.len[i]] == '"' && pvd_same_small(z.p + 1, prev.names.p + prev_at, prev.len[i])) {
			/* The previous record's name here, written without an
			 * escape: the same bytes in the line are that name (valid
			 * UTF-8, nothing to unescape), no scan needed. */
			key.p = z.p + 1;
			key.len = prev.len[i];
			z.p += key.len + 2;
			prev_at += key.len;
			goto colon;
		}
		if ((rc = string_at(&z, &key.p, &key.len, &plain))) goto out;
		if (key.p == z.tmp.p) {
			/* unescaped into tmp, which the value may need: keep it aside */
			pvd_buf_reset(&kbuf);
			pvd_buf_add(&kbuf, key.p, key.len);
			key.p = kbuf.p;
		}
		if (same) {
			same = i < prev.n && prev.len[i] == key.len &&
			       pvd_same_small(prev.names.p + prev_at, key.p, key.len);
			prev_at += key.len;
		}
		if (!same && key_seen(&kx, r, key.p, key.len)) {
			/* The last would win downstream: the data would choose its
			 * own provenance.  Neither is taken. */
			z.p = kat;
			rc = dup_key(&z, key.p, key.len);
			goto out;
		}
	colon:
		ws(&z);
		if (z.p >= z.end || *z.p != ':') { rc = fail(&z, "':' expected"); goto out; }
		z.p++;
		ws(&z);
		if (z.p >= z.end) { rc = fail(&z, "value expected"); goto out; }
		const char *v = z.p;
		switch (*z.p) {
		case '"': {
			const char *sv;
			size_t sn;
			if ((rc = string_at(&z, &sv, &sn, &plain))) goto out;
			add(r, &key, PVD_STR, sv, sn, 0);
			if (plain)
				pvd_rec_plain(r, r->n - 1);
			break;
		}
		case 't': case 'f':
			if ((rc = lit(&z, *z.p == 't' ? "true" : "false"))) goto out;
			add(r, &key, PVD_BOOL, v, (size_t)(z.p - v), 0);
			break;
		case 'n':
			if ((rc = lit(&z, "null"))) goto out;
			add(r, &key, PVD_NULL, "", 0, 0);
			break;
		case '[':
			if ((rc = array(&z, r, &key, &items))) goto out;
			break;
		case '{':
			if ((rc = skip(&z, 1))) goto out;
			add(r, &key, PVD_RAW, v, (size_t)(z.p - v), 0);
			break;
		default:
			if ((rc = number(&z))) goto out;
			add(r, &key, PVD_NUM, v, (size_t)(z.p - v), 0);
		}
		if (kx.cap)
			kidx_put(&kx, r, (uint32_t)(r->n - 1));
		ws(&z);
		if (z.p < z.end && *z.p == ',') { z.p++; continue; }
		if (z.p < z.end && *z.p == '}') { z.p++; break; }
		rc = fail(&z, "',' or '}' expected");
		goto out;
	}
tail:
	ws(&z);
	if (z.p != z.end)
		rc = fail(&z, "trailing characters after the object");
	else if (!same || r->n != prev.n) {
		/* other names, more or fewer: the layout of the next lines */
		layout_save(&prev, r);
		r->layout = prev_stamp = pvd_layout_new();
	} else {
		r->layout = prev_stamp;
	}
out:
	tmp = z.tmp; /* keep the grown buffer for the next line */
	if (reason)
		*reason = rc ? z.reason : NULL;
	return rc;
}

int pvd_ndjson_parse(const char *line, size_t n, struct pvd_record *r, struct pvd_err *e)
{
	return pvd_ndjson_parse_ex(line, n, r, e, NULL);
}
