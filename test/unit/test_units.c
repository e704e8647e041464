/* units: the one list (unit.h) — each unit's kind, the message list in the
 * same order, and the dashboard's JSON Schema, which lists the units and the
 * count units again, agreeing with it. */
#include "buf.h"
#include "check.h"
#include "unit.h"
#include <jansson.h>

/* The strings of a JSON array, joined by ", ". */
static void joined(const json_t *a, struct pvd_buf *b)
{
	size_t i;
	const json_t *v;
	json_array_foreach(a, i, v) pvd_buf_printf(b, "%s%s", i ? ", " : "", json_string_value(v));
}

int main(void)
{
	static const struct {
		const char *u;
		int ok;
		enum pvd_ukind k;
	} t[] = {
		{ "communes", 1, PVD_UK_COUNT }, { "nombre", 1, PVD_UK_COUNT }, { "personnes", 1, PVD_UK_COUNT },
		{ "eur", 1, PVD_UK_EUR },        { "part", 1, PVD_UK_PART },    { "moyenne", 1, PVD_UK_MOYENNE },
		{ "EUR", 0, 0 },                 { "", 0, 0 },                  { "commune", 0, 0 },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		enum pvd_ukind k = PVD_UK_COUNT;
		int ok = pvd_unit_kind(t[i].u, &k) == 0;
		CHECK(ok == t[i].ok && (!ok || k == t[i].k), "unit '%s': %s", t[i].u, t[i].ok ? "its kind" : "not a unit");
	}
	CHECK(pvd_unit_is_count("conventions") && !pvd_unit_is_count("eur") && !pvd_unit_is_count("x"),
	      "count units");

	struct pvd_buf all = { 0 }, counts = { 0 };
	for (size_t i = 0; pvd_unit_name(i); i++) {
		pvd_buf_printf(&all, "%s%s", i ? ", " : "", pvd_unit_name(i));
		if (pvd_unit_is_count(pvd_unit_name(i)))
			pvd_buf_printf(&counts, "%s%s", counts.len ? ", " : "", pvd_unit_name(i));
	}
	CHECK_STR(all.p, PVD_UNIT_LIST, "the message list is the list, in order");

	json_error_t je;
	json_t *s = json_load_file("config/schema/dashboard.schema.json", 0, &je);
	CHECK(s != NULL, "the dashboard's JSON Schema loads: %s", s ? "" : je.text);
	struct pvd_buf sch = { 0 }, sch_counts = { 0 };
	joined(json_object_get(json_object_get(json_object_get(s, "$defs"), "unit"), "enum"), &sch);
	CHECK_STR(pvd_buf_str(&sch), all.p, "the JSON Schema's units are these");
	/* The rule that a count unit's value is an integer names the count units. */
	size_t i;
	const json_t *rule;
	const json_t *ind = json_object_get(json_object_get(s, "$defs"), "indicator");
	json_array_foreach(json_object_get(ind, "allOf"), i, rule) {
		const json_t *e = json_object_get(json_object_get(json_object_get(json_object_get(rule, "if"), "properties"),
								  "unit"), "enum");
		if (e && json_array_size(e) > 2)
			joined(e, &sch_counts);
	}
	CHECK_STR(pvd_buf_str(&sch_counts), counts.p, "the JSON Schema's count units are these");
	json_decref(s);
	pvd_buf_free(&all);
	pvd_buf_free(&counts);
	pvd_buf_free(&sch);
	pvd_buf_free(&sch_counts);
	return check_done();
}
