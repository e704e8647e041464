#include "confpath.h"
#include "buf.h"
#include "xmem.h"
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PVD_DATADIR
#define PVD_DATADIR "/usr/local/share/pvd"
#endif

const char *pvd_config_dir(void)
{
	const char *env = getenv("PVD_CONFIG");
	if (env && *env)
		return env;
	if (access("config", R_OK | X_OK) == 0)
		return "config";
	return PVD_DATADIR "/config";
}

static int ends(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

char *pvd_config_find(const char *kind, const char *name, const char *ext, struct pvd_err *e)
{
	if (strchr(name, '/') || ends(name, ".yaml") || ends(name, ".yml") || ends(name, ".csv") ||
	    ends(name, ".json")) {
		if (access(name, R_OK) != 0) {
			pvd_err_set(e, PVD_EX_CONFIG, name, 0, 0, "cannot read %s file", kind);
			return NULL;
		}
		return xstrdup(name);
	}
	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "%s/%s/%s%s", pvd_config_dir(), kind, name, ext ? ext : "");
	if (access(b.p, R_OK) != 0) {
		pvd_err_set(e, PVD_EX_CONFIG, NULL, 0, 0, "no %s named '%s' (looked for %s)", kind, name, b.p);
		pvd_buf_free(&b);
		return NULL;
	}
	return b.p;
}
