#include "jsonlex.h"
#include "textnorm.h"
#include <stdint.h>
#include <string.h>

static const char m_utf8[] = "invalid UTF-8 in string";
static const char m_surrogate[] = "unpaired surrogate in \\u escape";
static const char m_nul[] = "\\u0000 in string";

int pvd_jlex_is_encoding(const char *msg)
{
	return msg == m_utf8 || msg == m_surrogate || msg == m_nul;
}

static int hex4(const char *p, unsigned *v)
{
	*v = 0;
	for (int i = 0; i < 4; i++) {
		char c = p[i];
		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			*v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			*v |= (unsigned)(c - 'A' + 10);
		else
			return -1;
	}
	return 0;
}

static void utf8(struct pvd_buf *b, unsigned cp)
{
	char u[4];
	size_t n;
	if (cp < 0x80) {
		u[0] = (char)cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		n = 3;
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | (cp >> 12 & 0x3F));
		u[2] = (char)(0x80 | (cp >> 6 & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		n = 4;
	}
	pvd_buf_add(b, u, n);
}

const char *pvd_jlex_string(const char **pp, const char *end, struct pvd_buf *out, int check_utf8)
{
	const char *p = *pp + 1;
	pvd_buf_reset(out);
	for (;;) {
		/* The run of plain bytes up to a quote, a backslash or a control
		 * character, eight bytes at a time; bytes >= 0x80 are noted so
		 * that only a run holding some is checked as UTF-8. */
		const char *run = p;
		uint64_t high = 0;
		p = pvd_jlex_run(p, end, &high);
		size_t n = (size_t)(p - run);
		if (check_utf8 && (high & 0x8080808080808080ULL)) {
			size_t ok = pvd_utf8_valid_prefix(run, n);
			if (ok != n) {
				*pp = run + ok;
				return m_utf8;
			}
		}
		pvd_buf_add(out, run, n);
		if (p >= end) {
			*pp = p;
			return "unterminated string";
		}
		if (*p == '"') {
			*pp = p + 1;
			return NULL;
		}
		if (*p != '\\') {
			*pp = p;
			return "control character in string";
		}
		const char *at = p; /* errors in an escape point at its backslash */
		if (end - p < 2) {
			*pp = end;
			return "unterminated string";
		}
		char x = p[1];
		p += 2;
		switch (x) {
		case '"': case '\\': case '/': pvd_buf_addc(out, x); break;
		case 'b': pvd_buf_addc(out, '\b'); break;
		case 'f': pvd_buf_addc(out, '\f'); break;
		case 'n': pvd_buf_addc(out, '\n'); break;
		case 'r': pvd_buf_addc(out, '\r'); break;
		case 't': pvd_buf_addc(out, '\t'); break;
		case 'u': {
			unsigned cp, lo;
			if (end - p < 4 || hex4(p, &cp)) {
				*pp = at;
				return "bad \\u escape";
			}
			p += 4;
			if (cp >= 0xD800 && cp < 0xDC00) {
				if (end - p < 6 || p[0] != '\\' || p[1] != 'u' || hex4(p + 2, &lo) || lo < 0xDC00 ||
				    lo > 0xDFFF) {
					*pp = at;
					return m_surrogate;
				}
				p += 6;
				cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
			} else if (cp >= 0xDC00 && cp <= 0xDFFF) {
				*pp = at;
				return m_surrogate;
			}
			if (cp == 0) {
				*pp = at;
				return m_nul;
			}
			utf8(out, cp);
			break;
		}
		default:
			*pp = at;
			return "bad escape in string";
		}
	}
}

const char *pvd_jlex_number(const char **pp, const char *end)
{
	const char *p = *pp;
	if (p < end && *p == '-')
		p++;
	if (p >= end || *p < '0' || *p > '9') {
		*pp = p;
		return "bad number";
	}
	if (*p == '0')
		p++;
	else
		while (p < end && *p >= '0' && *p <= '9')
			p++;
	if (p < end && *p == '.') {
		p++;
		const char *f = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == f) {
			*pp = p;
			return "bad number";
		}
	}
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		const char *x = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		if (p == x) {
			*pp = p;
			return "bad number";
		}
	}
	*pp = p;
	return NULL;
}
