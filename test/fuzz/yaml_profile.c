/* yaml_profile — the source profile loader (config/sources/NAME.yaml) on
 * any bytes.  The dataset schemas it may check against are the tree's. */
#include "fuzz.h"
#include "profile.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setenv("PVD_CONFIG", PVD_FUZZ_ROOT "/config", 0);
	struct pvd_profile p;
	struct pvd_err e = { 0 };
	if (pvd_profile_load(&p, fuzz_file("fuzz.yaml", data, size), &e) == 0)
		pvd_profile_free(&p);
	return 0;
}
