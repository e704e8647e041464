/* yaml_catalog — the indicator catalogue loader (config/indicators.yaml) on
 * any bytes, for the period 2021-Q4, cross-checked with the tree's dataset
 * schemas. */
#include "fuzz.h"
#include "indicator.h"
#include "period.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvd_period p;
	if (pvd_period_parse("2021-Q4", &p))
		abort();
	struct pvd_catalog c;
	struct pvd_err e = { 0 };
	(void)pvd_catalog_load(&c, fuzz_file("indicators.yaml", data, size), &p,
			       PVD_FUZZ_ROOT "/config/datasets", &e);
	pvd_catalog_free(&c);   /* as its callers do, loaded or not */
	return 0;
}
