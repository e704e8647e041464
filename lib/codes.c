#include "codes.h"
#include "textnorm.h"
#include <string.h>

static int isdig(int c) { return c >= '0' && c <= '9'; }

/* Drops a spreadsheet's ".0" / ".00" (a code read as a number and written back). */
static size_t drop_point_zero(const char *s, size_t n)
{
	size_t k = n;
	while (k > 0 && s[k - 1] == '0')
		k--;
	if (k > 0 && k < n && s[k - 1] == '.')
		return k - 1;
	return n;
}

/* The common start: trims, drops a spreadsheet's ".0"; 0 for an empty value. */
static size_t prepare(const char **s, size_t n)
{
	n = pvd_trim(s, n);
	return n ? drop_point_zero(*s, n) : 0;
}

static const char *ignored_why;

/* Does the département of a commune code exist?  c: "01".."95", "2A", "97x"... */
static int dep_exists(const char *c, int two)
{
	if (c[0] == '2' && (c[1] == 'A' || c[1] == 'B'))
		return 1;
	if (!isdig(c[0]) || !isdig(c[1]))
		return 0;
	int v = (c[0] - '0') * 10 + (c[1] - '0');
	if (two)
		return v >= 1 && v <= 95 && v != 20;
	if (v != 97 && v != 98)
		return v >= 1 && v <= 95 && v != 20;
	if (!isdig(c[2]))
		return 0;
	int w = v * 10 + (c[2] - '0');
	return (w >= 971 && w <= 978) || (w >= 984 && w <= 988);
}

int pvd_insee_norm(const char *s, size_t n, char out[6], const char **why)
{
	why = why ? why : &ignored_why;
	if ((n = prepare(&s, n)) == 0)
		return PVD_CODE_EMPTY;
	char c[6];
	if (n == 4) { /* lost its leading zero */
		c[0] = '0';
		memcpy(c + 1, s, 4);
	} else if (n == 5) {
		memcpy(c, s, 5);
	} else {
		*why = n > 5 ? "too long" : "too short";
		return PVD_CODE_BAD;
	}
	c[5] = '\0';
	if (c[0] == '2' && (c[1] == 'a' || c[1] == 'b'))
		c[1] = (char)(c[1] - 32);
	for (int i = 2; i < 5; i++)
		if (!isdig(c[i])) {
			*why = NULL;
			return PVD_CODE_BAD;
		}
	if (c[0] == '2' && c[1] == '0') {
		*why = "Corsica before 1976: 2A or 2B?";
		return PVD_CODE_AMBIGUOUS;
	}
	if (!dep_exists(c, 0)) {
		*why = isdig(c[0]) && isdig(c[1]) ? "no such département" : NULL;
		return PVD_CODE_BAD;
	}
	memcpy(out, c, 6);
	return PVD_CODE_OK;
}

int pvd_dep_norm(const char *s, size_t n, char out[4], const char **why)
{
	why = why ? why : &ignored_why;
	if ((n = prepare(&s, n)) == 0)
		return PVD_CODE_EMPTY;
	/* Leading zeros beyond two characters are padding ("001", "0971", "02A"). */
	while (n > 2 && s[0] == '0') {
		s++;
		n--;
	}
	char c[4] = { 0 };
	if (n == 3 && s[0] == '2' && s[1] == '0' && strchr("AaBb", s[2])) {
		/* "20A", "20B": Corsica's old number with the new letter (2018-19 DGCL files) */
		c[0] = '2';
		c[1] = s[2];
		n = 2;
	} else if (n == 1 && isdig(s[0])) {
		c[0] = '0';
		c[1] = s[0];
	} else if (n == 2 || n == 3) {
		memcpy(c, s, n);
	} else {
		*why = NULL;
		return PVD_CODE_BAD;
	}
	if (c[0] == '2' && (c[1] == 'a' || c[1] == 'b'))
		c[1] = (char)(c[1] - 32);
	if (strcmp(c, "20") == 0) {
		*why = "Corsica: 2A or 2B?";
		return PVD_CODE_AMBIGUOUS;
	}
	int ok = n == 3 ? (c[0] == '9' && isdig(c[2]) && dep_exists(c, 0)) : dep_exists(c, 1);
	if (n == 3 && (c[1] == 'A' || c[1] == 'B'))
		ok = 0;
	if (!ok) {
		*why = NULL;
		return PVD_CODE_BAD;
	}
	memcpy(out, c, 4);
	return PVD_CODE_OK;
}

int pvd_luhn_ok(const char *d, size_t n)
{
	int sum = 0;
	for (size_t i = 0; i < n; i++) {
		int v = d[n - 1 - i] - '0';
		if (i & 1) {
			v *= 2;
			if (v > 9)
				v -= 9;
		}
		sum += v;
	}
	return sum % 10 == 0;
}

int pvd_siret_ok(const char d[14])
{
	if (pvd_luhn_ok(d, 14))
		return 1;
	if (memcmp(d, "356000000", 9) == 0) {
		int sum = 0;
		for (int i = 0; i < 14; i++)
			sum += d[i] - '0';
		return sum % 5 == 0;
	}
	return 0;
}

int pvd_siren_norm(const char *s, size_t n, unsigned flags, char out[10], const char **why)
{
	why = why ? why : &ignored_why;
	if ((n = prepare(&s, n)) == 0)
		return PVD_CODE_EMPTY;
	char d[15];
	size_t k = 0;
	const unsigned char *u = (const unsigned char *)s;
	for (size_t i = 0; i < n; i++) {
		if (isdig(u[i])) {
			if (k == 14) {
				*why = "too many digits";
				return PVD_CODE_BAD;
			}
			d[k++] = (char)u[i];
		} else if (u[i] == ' ') {
			continue;
		} else if (u[i] == 0xC2 && i + 1 < n && u[i + 1] == 0xA0) {
			i++;
		} else if (u[i] == 0xE2 && i + 2 < n && u[i + 1] == 0x80 && (u[i + 2] == 0xAF || u[i + 2] == 0x89)) {
			i += 2;
		} else {
			*why = NULL;
			return PVD_CODE_BAD;
		}
	}
	if (k == 14) {
		if (!(flags & PVD_SIREN_SIRET)) {
			*why = "a SIRET: the source profile can say 'siret: true'";
			return PVD_CODE_BAD;
		}
		if (!pvd_siret_ok(d)) {
			*why = "bad SIRET check digit";
			return PVD_CODE_BAD;
		}
	} else if (k != 9) {
		*why = "a SIREN has 9 digits";
		return PVD_CODE_BAD;
	}
	if (!pvd_luhn_ok(d, 9)) {
		*why = "bad SIREN check digit";
		return PVD_CODE_BAD;
	}
	memcpy(out, d, 9);
	out[9] = '\0';
	return PVD_CODE_OK;
}
