#include "confpath.h"
#include "buf.h"
#include "xmem.h"
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *set_dir;

void pvd_config_set(const char *dir)
{
	set_dir = dir && *dir ? dir : NULL;
}

const char *pvd_config_explicit(void)
{
	if (set_dir)
		return set_dir;
	const char *env = getenv("PVD_CONFIG");
	return env && *env ? env : NULL;
}

/* BINDIR/../share/pvd/config, lexically: /opt/pvd/bin/pvd-run gives
 * /opt/pvd/share/pvd/config.  The link is read once; a program moved while
 * it runs keeps the place it started from. */
const char *pvd_config_installed(void)
{
	static char dir[PATH_MAX + 32];
	if (dir[0])
		return dir;
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash = NULL;
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
	}
	if (slash)
		*slash = '\0';                /* BINDIR */
	if (slash && (slash = strrchr(exe, '/')))
		*slash = '\0';                /* its parent, "" for /bin */
	if (slash)
		snprintf(dir, sizeof dir, "%s/share/pvd/config", exe);
	else
		snprintf(dir, sizeof dir, "/usr/share/pvd/config");
	return dir;
}

const char *pvd_config_dir(void)
{
	const char *x = pvd_config_explicit();
	if (x)
		return x;
	if (access("config", R_OK | X_OK) == 0)
		return "config";
	return pvd_config_installed();
}

static int ends(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

int pvd_config_is_path(const char *name)
{
	return strchr(name, '/') || ends(name, ".yaml") || ends(name, ".yml") || ends(name, ".csv") ||
	       ends(name, ".json");
}

char *pvd_config_find_in(const char *dir, const char *kind, const char *name, const char *ext,
			 struct pvd_err *e)
{
	if (pvd_config_is_path(name)) {
		if (access(name, R_OK) != 0) {
			pvd_err_set(e, PVD_EX_CONFIG, name, 0, 0, "cannot read %s file", kind);
			return NULL;
		}
		return xstrdup(name);
	}
	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "%s/%s/%s%s", dir, kind, name, ext ? ext : "");
	if (access(b.p, R_OK) != 0) {
		pvd_err_set(e, PVD_EX_CONFIG, NULL, 0, 0, "no %s named '%s' (looked for %s)", kind, name, b.p);
		pvd_buf_free(&b);
		return NULL;
	}
	return b.p;
}

char *pvd_config_find(const char *kind, const char *name, const char *ext, struct pvd_err *e)
{
	return pvd_config_find_in(pvd_config_dir(), kind, name, ext, e);
}
