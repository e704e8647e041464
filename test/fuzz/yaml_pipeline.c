/* yaml_pipeline — the pipeline loader (pipelines/QUARTER.yaml) on any bytes,
 * as if the file were in the tree's pipelines/ (so that the seeds' relative
 * paths name real files): leniently (missing files allowed, as for
 * --print-deps), then strictly; a pipeline that loads lists its deps. */
#include "fuzz.h"
#include "pipeline.h"
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	setenv("PVD_CONFIG", PVD_FUZZ_ROOT "/config", 0);
	static const char name[] = PVD_FUZZ_ROOT "/pipelines/fuzz.yaml";
	for (int flags = PVD_PL_LENIENT; flags >= 0; flags--) {
		struct pvd_pipeline p;
		struct pvd_err e = { 0 };
		if (pvd_pipeline_parse(&p, name, (const char *)data, size, flags, &e) != 0)
			break;   /* the loader freed what it had */
		size_t n;
		char **deps = pvd_pipeline_deps(&p, &n);
		for (size_t i = 0; i < n; i++)
			free(deps[i]);
		free(deps);
		pvd_pipeline_free(&p);
	}
	return 0;
}
