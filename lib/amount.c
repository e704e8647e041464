#include "amount.h"
#include "textnorm.h"
#include <string.h>

static int lower(int c) { return c >= 'A' && c <= 'Z' ? c + 32 : c; }

/* Removes prefix p (exact bytes) and the white space after it. */
static int eat_prefix(const char **s, size_t *n, const char *p)
{
	size_t k = strlen(p);
	if (*n < k || memcmp(*s, p, k) != 0)
		return 0;
	*s += k;
	*n = pvd_trim(s, *n - k);
	return 1;
}

/* Removes suffix p (ASCII letters matched in any case) and the white space before it. */
static int eat_suffix(const char **s, size_t *n, const char *p)
{
	size_t k = strlen(p);
	if (*n < k)
		return 0;
	const char *t = *s + *n - k;
	for (size_t i = 0; i < k; i++)
		if (lower((unsigned char)t[i]) != lower((unsigned char)p[i]))
			return 0;
	*n = pvd_trim(s, *n - k);
	return 1;
}

/* A suffix that must follow a digit or a space: "12 k", "1,2M" but not "Mk". */
static int eat_unit(const char **s, size_t *n, const char *p)
{
	size_t k = strlen(p);
	if (*n <= k || memcmp(*s + *n - k, p, k) != 0)
		return 0;
	unsigned char c = (unsigned char)(*s)[*n - k - 1];
	if (!(c >= '0' && c <= '9') && c != ' ' && c < 0x80)
		return 0;
	*n = pvd_trim(s, *n - k);
	return 1;
}

enum { SEP_NONE, SEP_SPACE, SEP_DOT, SEP_COMMA };

/* Length of a separator at s (0 if none) and its kind. */
static size_t sep_at(const unsigned char *s, size_t n, int *kind)
{
	if (s[0] == ' ') { *kind = SEP_SPACE; return 1; }
	if (s[0] == '.') { *kind = SEP_DOT; return 1; }
	if (s[0] == ',') { *kind = SEP_COMMA; return 1; }
	if (n >= 2 && s[0] == 0xC2 && s[1] == 0xA0) { *kind = SEP_SPACE; return 2; }
	/* U+202F narrow no-break space, U+2009 thin space */
	if (n >= 3 && s[0] == 0xE2 && s[1] == 0x80 && (s[2] == 0xAF || s[2] == 0x89)) {
		*kind = SEP_SPACE;
		return 3;
	}
	return 0;
}

#define MAXGROUPS 40

int pvd_amount_parse(const char *s, size_t n, enum pvd_decimal dec, int64_t *cents, int *rounded)
{
	if (rounded)
		*rounded = 0;
	n = pvd_trim(&s, n);
	if (n == 0)
		return PVD_AMT_EMPTY;

	/* Currency, sign and accounting parentheses, in whatever order they come. */
	int neg = 0, signed_ = 0, cur = 0, paren = 0, mexp = 0;
	/* Each of them, and each unit, puts a non-digit at one end: a value with
	 * a digit at both ends (most of them) has none to take off. */
	if ((unsigned)(s[0] - '0') < 10 && (unsigned)(s[n - 1] - '0') < 10)
		goto groups;
	for (int more = 1; more && n;) {
		more = 0;
		if (!cur && (eat_suffix(&s, &n, "\xE2\x82\xAC") || eat_suffix(&s, &n, "euros") ||
			     eat_suffix(&s, &n, "euro") || eat_suffix(&s, &n, "EUR") ||
			     eat_prefix(&s, &n, "\xE2\x82\xAC")))
			more = cur = 1;
		if (!paren && !signed_ && n >= 2 && s[0] == '(' && s[n - 1] == ')') {
			s++;
			n = pvd_trim(&s, n - 2);
			more = paren = neg = 1;
		}
		if (!signed_ && !paren) {
			if (eat_prefix(&s, &n, "-") || eat_prefix(&s, &n, "\xE2\x88\x92")) /* U+2212 minus */
				more = signed_ = neg = 1;
			else if (eat_prefix(&s, &n, "+"))
				more = signed_ = 1;
		}
	}
	if (eat_unit(&s, &n, "Mds") || eat_unit(&s, &n, "Md") || eat_unit(&s, &n, "Mrds") ||
	    eat_unit(&s, &n, "Mrd"))
		mexp = 9;
	else if (eat_unit(&s, &n, "M"))
		mexp = 6;
	else if (eat_unit(&s, &n, "k") || eat_unit(&s, &n, "K"))
		mexp = 3;
	if (n == 0)
		return PVD_AMT_BAD;

groups:;
	/* Split into digit groups and the separators between them. */
	const unsigned char *u = (const unsigned char *)s;
	size_t gs[MAXGROUPS], gl[MAXGROUPS];
	int sep[MAXGROUPS]; /* sep[i]: separator before group i (i > 0) */
	int ng = 0, cnt[4] = { 0 };
	size_t i = 0;
	for (;;) {
		if (ng == MAXGROUPS)
			return PVD_AMT_BAD;
		gs[ng] = i;
		while (i < n && u[i] >= '0' && u[i] <= '9')
			i++;
		gl[ng] = i - gs[ng];
		ng++;
		if (i == n)
			break;
		int kind;
		size_t k = sep_at(u + i, n - i, &kind);
		if (!k)
			return PVD_AMT_BAD;
		i += k;
		if (kind == SEP_SPACE) /* a run of spaces is one separator */
			while (i < n && (k = sep_at(u + i, n - i, &kind)) && kind == SEP_SPACE)
				i += k;
		if (i == n)
			return PVD_AMT_BAD; /* "12," */
		if (ng == MAXGROUPS)
			return PVD_AMT_BAD; /* more groups than any amount has: sep[] is full */
		sep[ng] = kind;
		cnt[kind]++;
	}

	/* The decimal mark: the last separator, if it is a '.' or ',' that occurs once
	 * and the source allows it as decimal. */
	int di = -1; /* index of the group after the decimal mark */
	if (ng > 1) {
		int last = sep[ng - 1];
		if (cnt[last] == 1 && ((last == SEP_COMMA && dec != PVD_DEC_POINT) ||
				       (last == SEP_DOT && dec != PVD_DEC_COMMA)))
			di = ng - 1;
	}
	int nint = di < 0 ? ng : di; /* groups of the integer part */
	int gkind = SEP_NONE;
	for (int g = 1; g < nint; g++) {
		if (gkind != SEP_NONE && sep[g] != gkind)
			return PVD_AMT_BAD; /* "1 234.567" */
		gkind = sep[g];
		if (gl[g] != 3)
			return PVD_AMT_BAD; /* "12,3,4" */
	}
	if (nint > 1 && (gl[0] < 1 || gl[0] > 3))
		return PVD_AMT_BAD;
	if (gl[0] == 0 && !(nint == 1 && di == 1))
		return PVD_AMT_BAD; /* only ",5" may start with a mark */
	if (di >= 0 && gl[di] == 0)
		return PVD_AMT_BAD;

	/* cents = value × 10^(2+mexp): integer digits, then that many decimals;
	 * the next decimal rounds half away from zero. */
	int want = 2 + mexp;
	int64_t v = 0;
	for (int g = 0; g < nint; g++)
		for (size_t k = 0; k < gl[g]; k++)
			if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, u[gs[g] + k] - '0', &v))
				return PVD_AMT_RANGE;
	int up = 0, lost = 0;
	for (int k = 0; k < want; k++) {
		int d = 0;
		if (di >= 0 && (size_t)k < gl[di])
			d = u[gs[di] + k] - '0';
		if (__builtin_mul_overflow(v, 10, &v) || __builtin_add_overflow(v, d, &v))
			return PVD_AMT_RANGE;
	}
	if (di >= 0)
		for (size_t k = (size_t)want; k < gl[di]; k++) {
			int d = u[gs[di] + k] - '0';
			if (k == (size_t)want)
				up = d >= 5;
			lost |= d != 0;
		}
	if (up && __builtin_add_overflow(v, 1, &v))
		return PVD_AMT_RANGE;
	if (rounded)
		*rounded = lost;
	*cents = neg ? -v : v;
	return PVD_AMT_OK;
}

int pvd_int_parse(const char *s, size_t n, int64_t *v)
{
	n = pvd_trim(&s, n);
	if (n == 0)
		return PVD_AMT_EMPTY;
	int neg = 0;
	if (eat_prefix(&s, &n, "-") || eat_prefix(&s, &n, "\xE2\x88\x92"))
		neg = 1;
	else
		eat_prefix(&s, &n, "+");
	const unsigned char *u = (const unsigned char *)s;
	int64_t x = 0;
	size_t i = 0, g = 0;  /* g: digits in the current group */
	int grouped = 0, first = 1;
	while (i < n) {
		if (u[i] >= '0' && u[i] <= '9') {
			if (__builtin_mul_overflow(x, 10, &x) || __builtin_add_overflow(x, u[i] - '0', &x))
				return PVD_AMT_RANGE;
			g++;
			i++;
			continue;
		}
		int kind;
		size_t k = sep_at(u + i, n - i, &kind);
		if (!k)
			return PVD_AMT_BAD;
		if (kind == SEP_SPACE) {
			/* a group separator: the group before it is complete */
			if (g == 0 || (first ? g > 3 : g != 3))
				return PVD_AMT_BAD;
			grouped = 1;
			first = 0;
			g = 0;
			i += k;
			continue;
		}
		/* "3439.0": only zeros may follow the mark */
		size_t j = i + 1;
		while (j < n && u[j] == '0')
			j++;
		if (j == i + 1 || j != n)
			return PVD_AMT_BAD;
		break;
	}
	if (g == 0 || (grouped && g != 3))
		return PVD_AMT_BAD;
	*v = neg ? -x : x;
	return PVD_AMT_OK;
}
