#include "encoding.h"
#include "textnorm.h"
#include <string.h>
#include <strings.h>

int pvd_enc_parse(const char *name)
{
	if (!strcasecmp(name, "auto"))
		return PVD_ENC_AUTO;
	if (!strcasecmp(name, "utf-8") || !strcasecmp(name, "utf8"))
		return PVD_ENC_UTF8;
	if (!strcasecmp(name, "windows-1252") || !strcasecmp(name, "cp1252") || !strcasecmp(name, "win1252"))
		return PVD_ENC_CP1252;
	if (!strcasecmp(name, "utf-16le") || !strcasecmp(name, "utf16le"))
		return PVD_ENC_UTF16LE;
	if (!strcasecmp(name, "utf-16be") || !strcasecmp(name, "utf16be"))
		return PVD_ENC_UTF16BE;
	return -1;
}

const char *pvd_enc_name(enum pvd_enc e)
{
	switch (e) {
	case PVD_ENC_UTF8: return "utf-8";
	case PVD_ENC_CP1252: return "windows-1252";
	case PVD_ENC_UTF16LE: return "utf-16le";
	case PVD_ENC_UTF16BE: return "utf-16be";
	default: return "auto";
	}
}

enum pvd_enc pvd_enc_detect(const char *s, size_t n, int at_eof, size_t *bom)
{
	*bom = 0;
	if (n >= 3 && (unsigned char)s[0] == 0xEF && (unsigned char)s[1] == 0xBB && (unsigned char)s[2] == 0xBF) {
		*bom = 3;
		return PVD_ENC_UTF8;
	}
	if (n >= 2 && (unsigned char)s[0] == 0xFF && (unsigned char)s[1] == 0xFE) {
		*bom = 2;
		return PVD_ENC_UTF16LE;
	}
	if (n >= 2 && (unsigned char)s[0] == 0xFE && (unsigned char)s[1] == 0xFF) {
		*bom = 2;
		return PVD_ENC_UTF16BE;
	}
	/* UTF-16 whose BOM was lost (or never written): text that is mostly
	 * ASCII has a NUL in every other byte, on the odd side in little-endian,
	 * the even side in big-endian; the other side is almost never NUL.  A
	 * few NULs in UTF-8 or Windows-1252 text are nowhere near that. */
	size_t units = n / 2, z[2] = { 0, 0 };
	for (size_t i = 0; i < 2 * units; i++)
		z[i & 1] += s[i] == '\0';
	if (units >= 2) {
		if (2 * z[1] >= units && 20 * z[0] <= units)
			return PVD_ENC_UTF16LE;
		if (2 * z[0] >= units && 20 * z[1] <= units)
			return PVD_ENC_UTF16BE;
	}
	size_t ok = pvd_utf8_valid_prefix(s, n);
	if (ok == n)
		return PVD_ENC_UTF8;
	/* A sequence cut by the end of the sample is not evidence against UTF-8. */
	if (!at_eof && n - ok < 4) {
		unsigned char c = (unsigned char)s[ok];
		size_t need = (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
		if (need > n - ok) {
			size_t i = ok + 1;
			while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80)
				i++;
			if (i == n)
				return PVD_ENC_UTF8;
		}
	}
	return PVD_ENC_CP1252;
}

/* Windows-1252 0x80..0x9F as code points; 0 = undefined. */
static const unsigned short cp1252_hi[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178,
};

long pvd_enc_check(enum pvd_enc e, const char *s, size_t n)
{
	if (e == PVD_ENC_CP1252) {
		for (size_t i = 0; i < n; i++) {
			unsigned char c = (unsigned char)s[i];
			if (c >= 0x80 && c < 0xA0 && !cp1252_hi[c - 0x80])
				return (long)i;
		}
		return -1;
	}
	size_t ok = pvd_utf8_valid_prefix(s, n);
	return ok == n ? -1 : (long)ok;
}

long pvd_enc_to_utf8(enum pvd_enc e, const char *s, size_t n, struct pvd_buf *out)
{
	if (e != PVD_ENC_CP1252) {
		pvd_buf_add(out, s, n);
		return pvd_enc_check(e, s, n);
	}
	long bad = -1;
	pvd_buf_reserve(out, n * 3);
	char *d = out->p + out->len;
	for (size_t i = 0; i < n; i++) {
		unsigned c = (unsigned char)s[i];
		if (c < 0x80) {
			*d++ = (char)c;
			continue;
		}
		unsigned cp = c < 0xA0 ? cp1252_hi[c - 0x80] : c;
		if (!cp) {
			if (bad < 0)
				bad = (long)i;
			cp = 0xFFFD;
		}
		if (cp < 0x800) {
			*d++ = (char)(0xC0 | cp >> 6);
			*d++ = (char)(0x80 | (cp & 63));
		} else {
			*d++ = (char)(0xE0 | cp >> 12);
			*d++ = (char)(0x80 | ((cp >> 6) & 63));
			*d++ = (char)(0x80 | (cp & 63));
		}
	}
	out->len = (size_t)(d - out->p);
	out->p[out->len] = '\0';
	return bad;
}
