/* Canonical amount text <-> cents, exact. */
#include "check.h"
#include "money.h"
#include <stdint.h>

int main(void)
{
	static const struct { const char *in; int ok; int64_t c; } t[] = {
		{ "3076335.49", 0, 307633549 }, { "12", 0, 1200 }, { "12.5", 0, 1250 },
		{ "-0.07", 0, -7 }, { "1.230", 0, 123 }, { "0", 0, 0 },
		{ "92233720368547758.07", 0, INT64_MAX },
		{ "92233720368547758.08", -1, 0 }, { "1.234", -1, 0 }, { "1e3", -1, 0 },
		{ "", -1, 0 }, { "-", -1, 0 }, { "1.", -1, 0 }, { ".5", -1, 0 }, { "1,5", -1, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int64_t c = 0;
		int rc = pvd_cents_parse(t[i].in, strlen(t[i].in), &c);
		CHECK(rc == t[i].ok && (rc || c == t[i].c), "cents_parse '%s'", t[i].in);
	}
	struct pvd_buf b = { 0 };
	static const struct { int64_t c; const char *s; } f[] = {
		{ 307633549, "3076335.49" }, { 0, "0.00" }, { -7, "-0.07" }, { 1200, "12.00" },
		{ INT64_MIN, "-92233720368547758.08" },
	};
	for (size_t i = 0; i < sizeof f / sizeof *f; i++) {
		pvd_buf_reset(&b);
		pvd_cents_format(f[i].c, &b);
		CHECK_STR(b.p, f[i].s, "cents_format %s", f[i].s);
	}
	int64_t acc = INT64_MAX - 1;
	CHECK(pvd_cents_add(&acc, 1) == 0 && acc == INT64_MAX, "add up to the limit");
	CHECK(pvd_cents_add(&acc, 1) == -1 && acc == INT64_MAX, "overflow refused");
	pvd_buf_free(&b);
	return check_done();
}
