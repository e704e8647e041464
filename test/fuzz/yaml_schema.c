/* yaml_schema — the dataset schema loader (config/datasets/NAME.yaml).  A
 * schema that loads is used: every enum or list field looks up each of its
 * own codes.  (The `clean:` block of a source profile is read by the profile
 * loader: yaml_profile.) */
#include "fuzz.h"
#include "buf.h"
#include "schema.h"
#include "yamldoc.h"
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvd_err e = { 0 };
	struct pvd_ydoc d;
	if (pvd_ydoc_parse(&d, "fuzz.yaml", (const char *)data, size, &e) == 0) {
		struct pvd_schema s;
		if (pvd_schema_from_doc(&s, &d, &e) == 0) {
			struct pvd_buf scratch = { 0 };
			for (size_t i = 0; i < s.nf; i++)
				for (size_t j = 0; j < s.f[i].ncodes; j++) {
					const char *c = s.f[i].codes[j];
					(void)pvd_schema_code(&s.f[i], c, strlen(c), &scratch);
					(void)pvd_schema_is_missing(&s, &s.f[i], c, strlen(c));
				}
			pvd_buf_free(&scratch);
		}
		pvd_schema_free(&s);
	}
	pvd_ydoc_free(&d);
	return 0;
}
