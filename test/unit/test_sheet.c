/* Spreadsheet cell text: shortest round-trip numbers, date serials, cell references. */
#include "check.h"
#include "sheet.h"
#include "sheetdrv.h"
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

static void num(double v, const char *want)
{
	char out[400];
	pvd_num_text(v, out, sizeof out);
	CHECK_STR(out, want, "num %.17g", v);
}

static void serial(double v, int d1904, int kind, const char *want)
{
	char out[64] = "";
	pvd_serial_text(v, d1904, kind, out, sizeof out);
	CHECK_STR(out, want, "serial %.10g (1904: %d, kind %d)", v, d1904, kind);
}

int main(void)
{
	num(7010.3100000000004, "7010.31");
	num(7010.31, "7010.31");
	num(1002, "1002");
	num(-0.5, "-0.5");
	num(0.1, "0.1");
	num(0.1 + 0.2, "0.30000000000000004");
	num(1e20, "100000000000000000000");
	num(-0.000125, "-0.000125");
	num(123456789012345680.0, "123456789012345680");
	num(-0.0, "0");
	char out[400];
	size_t k = pvd_num_text(5e-324, out, sizeof out);
	CHECK(k == 326 && !strncmp(out, "0.000", 5) && out[325] == '5' && strtod(out, NULL) == 5e-324,
	      "the smallest double: 0., 323 zeros, 5");
	CHECK_INT(pvd_num_text(NAN, out, sizeof out), 0, "NaN has no text");
	CHECK_INT(pvd_num_text(INFINITY, out, sizeof out), 0, "infinity has no text");
	CHECK(pvd_num_text(DBL_MAX, out, sizeof out) == 309 && strtod(out, NULL) == DBL_MAX, "DBL_MAX: 309 digits");
	/* every double reads back exactly, and never in exponent form */
	uint64_t x = 88172645463325252ULL;
	int bad = 0;
	for (int i = 0; i < 200000; i++) {
		x ^= x << 13, x ^= x >> 7, x ^= x << 17;
		double v;
		memcpy(&v, &x, sizeof v);
		if (!isfinite(v))
			continue;
		size_t n = pvd_num_text(v, out, sizeof out);
		bad += !n || strtod(out, NULL) != v || strpbrk(out, "eE") || strlen(out) != n;
	}
	CHECK_INT(bad, 0, "200000 random doubles read back exactly, without exponent");

	serial(1, 0, 1, "1900-01-01");
	serial(59, 0, 1, "1900-02-28");
	serial(60, 0, 1, "1900-02-29");
	serial(61, 0, 1, "1900-03-01");
	serial(44505, 0, 1, "2021-11-05");
	serial(44505.43611111111, 0, 2, "2021-11-05T10:28");
	serial(44227.99965277778, 0, 2, "2021-01-31T23:59:30");
	serial(44227.9999999, 0, 2, "2021-02-01T00:00");
	serial(0.4361111111111111, 0, 3, "10:28");
	serial(0, 1, 1, "1904-01-01");
	serial(43043, 1, 1, "2021-11-05");
	serial(59, 1, 1, "1904-02-29");
	CHECK_INT(pvd_serial_text(-1, 0, 1, out, sizeof out), 0, "a negative serial is no date");
	CHECK_INT(pvd_serial_text(1e12, 0, 1, out, sizeof out), 0, "a huge serial is no date");

	char ref[16];
	pvd_cellref(2, 42, ref, sizeof ref);
	CHECK_STR(ref, "C42", "cell C42");
	pvd_cellref(16383, 1048576, ref, sizeof ref);
	CHECK_STR(ref, "XFD1048576", "the last cell");
	long c, l;
	CHECK(!pvd_cellref_parse("AB12", &c, &l) && c == 27 && l == 12, "AB12 parses");
	CHECK(!pvd_cellref_parse("7", &c, &l) && c == -1 && l == 7, "a row number alone");
	CHECK(pvd_cellref_parse("XFE1", &c, &l) != 0, "past column XFD");
	CHECK(pvd_cellref_parse("A1048577", &c, &l) != 0, "past row 1048576");
	CHECK(pvd_cellref_parse("A0", &c, &l) != 0, "row 0");
	CHECK(pvd_cellref_parse("a1", &c, &l) != 0, "lower case");
	return check_done();
}
