/* record-schema — the JSON Schema of a dataset's cleaned records (what
 * pvd-clean emits and pvd-join, pvd-aggregate read), made from the
 * dataset's own schema file, so that the two cannot disagree.
 *
 *   record-schema config/datasets/NAME.yaml > config/schema/records/NAME.schema.json
 *
 * `make schemas` runs it on every dataset; the results are committed and a
 * test checks that they are up to date.  A field the dataset does not name
 * passes pvd-clean unchanged, so other members are allowed; the provenance
 * members (_file, _line, _source) are described once, in record.schema.json. */
#include "schema.h"
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#define BASE "https://pvd.invalid/schema/"

static json_t *nullable(json_t *t, int required)
{
	/* {"type": T} becomes {"type": [T, "null"]} unless the field is required */
	if (required)
		return t;
	json_t *ty = json_object_get(t, "type");
	json_object_set_new(t, "type", json_pack("[O, s]", ty, "null"));
	return t;
}

static json_t *codes(const struct pvd_sfield *f, int with_null)
{
	json_t *a = json_array();
	for (size_t i = 0; i < f->ncodes; i++)
		json_array_append_new(a, json_string(f->codes[i]));
	if (with_null)
		json_array_append_new(a, json_null());
	return a;
}

/* An amount or a count of the schema's bounds: eur bounds are in cents. */
static json_t *bound(int64_t v, int eur)
{
	if (!eur)
		return json_integer(v);
	return json_real((double)v / 100.0);
}

static json_t *field(const struct pvd_sfield *f)
{
	json_t *t;
	switch (f->type) {
	case PVD_FT_INSEE:
		t = json_pack("{s:s, s:s}", "type", "string", "pattern", "^([0-9]{2}|2[AB])[0-9]{3}$");
		break;
	case PVD_FT_DEP:
		t = json_pack("{s:s, s:s}", "type", "string", "pattern", "^([0-9]{2}|2[AB]|97[1-8])$");
		break;
	case PVD_FT_SIREN:
		t = json_pack("{s:s, s:s}", "type", "string", "pattern", "^[0-9]{9}$");
		break;
	case PVD_FT_EUR:
	case PVD_FT_INT:
		t = json_pack("{s:s}", "type", f->type == PVD_FT_EUR ? "number" : "integer");
		if (f->has_min)
			json_object_set_new(t, "minimum", bound(f->min, f->type == PVD_FT_EUR));
		if (f->has_max)
			json_object_set_new(t, "maximum", bound(f->max, f->type == PVD_FT_EUR));
		break;
	case PVD_FT_DATE:
		t = json_pack("{s:s, s:s}", "type", "string", "pattern",
			      "^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$");
		break;
	case PVD_FT_BOOL:
		/* unknown is null, never false: always nullable */
		return json_pack("{s:[s, s]}", "type", "boolean", "null");
	case PVD_FT_ENUM:
		return json_pack("{s:o}", "enum", codes(f, !f->required));
	case PVD_FT_LIST:
		t = json_pack("{s:s, s:b, s:{s:o}}", "type", "array", "uniqueItems", 1, "items", "enum", codes(f, 0));
		break;
	case PVD_FT_TEXT:
	default:
		t = json_pack("{s:s}", "type", "string");
		break;
	}
	json_object_set_new(t, "description", json_string(pvd_ftype_name(f->type)));
	return nullable(t, f->required);
}

int main(int argc, char **argv)
{
	struct pvd_schema s;
	struct pvd_err e = { 0 };
	if (argc != 2) {
		fprintf(stderr, "usage: record-schema config/datasets/NAME.yaml\n");
		return 64;
	}
	if (pvd_schema_load(&s, argv[1], &e)) {
		pvd_err_print(&e);
		return e.status;
	}
	json_t *props = json_object(), *req = json_array();
	json_object_set_new(props, "_dataset", json_pack("{s:s}", "const", s.dataset));
	json_array_append_new(req, json_string("_dataset"));
	for (size_t i = 0; i < s.nf; i++) {
		const struct pvd_sfield *f = &s.f[i];
		json_object_set_new(props, f->name, field(f));
		if (f->required)
			json_array_append_new(req, json_string(f->name));
		if (f->type == PVD_FT_DATE) {
			char name[300];
			snprintf(name, sizeof name, "%s_precision", f->name);
			json_object_set_new(props, name, json_pack("{s:[s], s:s}", "enum", "month", "description",
								   "present when the date was not given to the day"));
		}
	}
	char id[300];
	snprintf(id, sizeof id, BASE "records/%s.schema.json", s.dataset);
	json_t *doc = json_pack("{s:s, s:s, s:s, s:s, s:s, s:[{s:s}], s:o, s:o}",
				"$schema", "https://json-schema.org/draft/2020-12/schema", "$id", id,
				"title", s.dataset, "description",
				"A record of this dataset as pvd-clean emits it (generated from config/datasets by "
				"test/tools/record-schema.c: do not edit). Fields the dataset does not name pass "
				"through unchanged.",
				"type", "object", "allOf", "$ref", "../record.schema.json", "required", req,
				"properties", props);
	json_dumpf(doc, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	putchar('\n');
	json_decref(doc);
	pvd_schema_free(&s);
	return ferror(stdout) || fflush(stdout) ? 74 : 0;
}
