#include "textnorm.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int pvd_utf8_decode(const unsigned char *s, size_t n, unsigned *cp)
{
	if (n == 0)
		return 0;
	unsigned c = s[0];
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	int len;
	unsigned v, min;
	if ((c & 0xE0) == 0xC0) { len = 2; v = c & 0x1F; min = 0x80; }
	else if ((c & 0xF0) == 0xE0) { len = 3; v = c & 0x0F; min = 0x800; }
	else if ((c & 0xF8) == 0xF0) { len = 4; v = c & 0x07; min = 0x10000; }
	else return 0;
	if (n < (size_t)len)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = (v << 6) | (s[i] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v < 0xE000))
		return 0;
	*cp = v;
	return len;
}

size_t pvd_utf8_valid_prefix(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	unsigned cp;
	while (i < n) {
		/* ASCII runs, eight bytes at a time. */
		while (i + 8 <= n) {
			uint64_t w;
			memcpy(&w, u + i, 8);
			if (w & 0x8080808080808080ULL)
				break;
			i += 8;
		}
		if (i >= n)
			break;
		if (u[i] < 0x80) {
			i++;
			continue;
		}
		int l = pvd_utf8_decode(u + i, n - i, &cp);
		if (!l)
			break;
		i += (size_t)l;
	}
	return i;
}

static int is_space(unsigned cp)
{
	return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\v' || cp == '\f' ||
	       cp == 0xA0 || cp == 0x202F || cp == 0x2009 || cp == 0x2007 || cp == 0x200B || cp == 0xFEFF;
}

/* The ASCII bytes is_space takes: ' ', \t \n \v \f \r. */
static inline int ascii_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

size_t pvd_trim(const char **s, size_t n)
{
	const unsigned char *u = (const unsigned char *)*s;
	/* Most values start and end with an ASCII byte that is not a space:
	 * nothing to trim, nothing to decode. */
	if (n == 0 || (u[0] < 0x80 && !ascii_space(u[0]) && u[n - 1] < 0x80 && !ascii_space(u[n - 1])))
		return n;
	size_t b = 0, e = n;
	unsigned cp;
	while (b < e) {
		int l = pvd_utf8_decode(u + b, e - b, &cp);
		if (!l || !is_space(cp))
			break;
		b += (size_t)l;
	}
	while (e > b) {
		/* Step back to the start of the last code point. */
		size_t k = e - 1;
		while (k > b && (u[k] & 0xC0) == 0x80 && e - k < 4)
			k--;
		int l = pvd_utf8_decode(u + k, e - k, &cp);
		if (!l || (size_t)l != e - k || !is_space(cp))
			break;
		e = k;
	}
	*s += b;
	return e - b;
}

void pvd_text_clean(const char *s, size_t n, struct pvd_buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	int pending = 0;
	pvd_buf_reserve(out, n);
	while (i < n) {
		if (u[i] < 0x80 && !ascii_space(u[i])) {
			/* a run of ASCII words with single spaces between them
			 * (nothing to collapse), copied in one go */
			size_t j = i + 1;
			while (j < n) {
				if (u[j] < 0x80 && !ascii_space(u[j]))
					j++;
				else if (u[j] == ' ' && j + 1 < n && u[j + 1] < 0x80 && !ascii_space(u[j + 1]))
					j += 2;
				else
					break;
			}
			if (pending && out->len)
				pvd_buf_addc(out, ' ');
			pending = 0;
			pvd_buf_add(out, s + i, j - i);
			i = j;
			continue;
		}
		unsigned cp;
		int l = pvd_utf8_decode(u + i, n - i, &cp);
		if (!l) { /* not UTF-8: keep the byte, ingest has already judged it */
			cp = u[i];
			l = 1;
		} else if (is_space(cp)) {
			pending = 1;
			i += (size_t)l;
			continue;
		}
		if (pending && out->len)
			pvd_buf_addc(out, ' ');
		pending = 0;
		pvd_buf_add(out, s + i, (size_t)l);
		i += (size_t)l;
	}
}

/* ASCII base letters of U+00C0..U+017F ('\0': drop; '*': special). */
static const char latin[] =
	"AAAAAA*CEEEEIIII" "DNOOOOO\0OUUUUY\0*" /* C0-DF */
	"aaaaaa*ceeeeiiii" "dnooooo\0ouuuuy\0y" /* E0-FF */
	"AaAaAaCcCcCcCcDd" "DdEeEeEeEeEeGgGg"   /* 100-11F */
	"GgGgHhHhIiIiIiIi" "Ii**JjKkkLlLlLlL"   /* 120-13F */
	"lLlNnNnNnnNnOoOo" "Oo**RrRrRrSsSsSs"   /* 140-15F */
	"SsTtTtTtUuUuUuUu" "UuUuWwYyYZzZzZzs";  /* 160-17F */

static void put_lower(struct pvd_buf *out, char c)
{
	pvd_buf_addc(out, (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c);
}

void pvd_fold(const char *s, size_t n, char sep, struct pvd_buf *out)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t i = 0;
	int pending = 0;
	while (i < n) {
		unsigned cp;
		int l = pvd_utf8_decode(u + i, n - i, &cp);
		if (!l) {
			cp = 0xFFFD;
			l = 1;
		}
		i += (size_t)l;
		const char *rep = NULL;
		char one[2] = { 0, 0 };
		if (cp < 0x80) {
			if ((cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z')) {
				one[0] = (char)cp;
				rep = one;
			}
		} else if (cp >= 0xC0 && cp <= 0x17F) {
			switch (cp) {
			case 0xC6: case 0xE6: rep = "ae"; break;
			case 0xDF: rep = "ss"; break;
			case 0xDE: case 0xFE: rep = "th"; break;
			case 0x132: case 0x133: rep = "ij"; break;
			case 0x152: case 0x153: rep = "oe"; break;
			case 0xD7: case 0xF7: break; /* × ÷ */
			default:
				one[0] = latin[cp - 0xC0];
				if (one[0] && one[0] != '*')
					rep = one;
			}
		} else if (cp == 0xB2) {
			rep = "2";
		} else if (cp == 0xB3) {
			rep = "3";
		} else if (cp > 0x17F && cp < 0x2000) {
			/* Other scripts (Greek, Cyrillic...): kept as written; symbols from
			 * U+2000 on (€, dashes, quotes) are separators. */
			if (pending && sep && out->len)
				pvd_buf_addc(out, sep);
			pending = 0;
			pvd_buf_add(out, s + i - (size_t)l, (size_t)l);
			continue;
		}
		if (!rep) {
			pending = 1;
			continue;
		}
		if (pending && sep && out->len)
			pvd_buf_addc(out, sep);
		pending = 0;
		for (; *rep; rep++)
			put_lower(out, *rep);
	}
}

/* Levenshtein distance, with an adjacent transposition counted as one edit. */
static size_t edits(const char *a, const char *b)
{
	size_t n = strlen(a), m = strlen(b);
	if (n > 64 || m > 64)
		return (size_t)-1;
	size_t d[65][65];
	for (size_t i = 0; i <= n; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= m; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= n; i++)
		for (size_t j = 1; j <= m; j++) {
			size_t c = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			if (d[i - 1][j] + 1 < c)
				c = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < c)
				c = d[i][j - 1] + 1;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < c)
				c = d[i - 2][j - 2] + 1;
			d[i][j] = c;
		}
	return d[n][m];
}

const char *pvd_nearest(const char *word, const char *const *cand, size_t n)
{
	size_t len = strlen(word), limit = len <= 3 ? 1 : 2, best = (size_t)-1;
	const char *r = NULL;
	for (size_t i = 0; i < n; i++) {
		size_t d = edits(word, cand[i]);
		if (d <= limit && d < best) {
			best = d;
			r = cand[i];
		}
	}
	return r;
}
