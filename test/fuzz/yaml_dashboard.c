/* yaml_dashboard — the dashboard config loader (config/dashboard.yaml) on
 * any bytes. */
#include "fuzz.h"
#include "dashboard.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvd_dash d;
	struct pvd_err e = { 0 };
	(void)pvd_dash_load(&d, fuzz_file("dashboard.yaml", data, size), &e);
	pvd_dash_free(&d);   /* as pvd-render does, loaded or not */
	return 0;
}
