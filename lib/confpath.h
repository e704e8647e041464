/* confpath — where named configuration lives.
 *
 * A config argument is either a path (it contains '/' or ends in .yaml/.csv/
 * .json) or a bare name looked up as DIR/KIND/NAME.yaml, DIR being the
 * config directory in use, the first of:
 *   1. the one set by pvd_config_set() (--config DIR) or $PVD_CONFIG;
 *   2. (pvd-run) the pipeline's own: its `config:` key, else the config/ of
 *      the project holding the pipeline (pipeline.h);
 *   3. ./config (running from a checkout);
 *   4. the installed copy, found from the running program itself:
 *      BINDIR/../share/pvd/config, BINDIR being the directory of
 *      /proc/self/exe, so that an installed tree works under any PREFIX or
 *      DESTDIR, and once moved.  Nothing here is fixed at compile time.
 * The first that is set (1, 2) or exists (3) is used, whole: names are not
 * looked up in several directories, so one run never mixes two configs.
 * KIND is "sources", "datasets", "ref"... */
#ifndef PVD_CONFPATH_H
#define PVD_CONFPATH_H
#include "diag.h"

/* Returns a malloc'd path, or NULL with e filled (PVD_EX_CONFIG) naming
 * where it looked.  ext is the extension added to a bare name (".yaml"). */
char *pvd_config_find(const char *kind, const char *name, const char *ext, struct pvd_err *e);
/* The same in a given config directory (a pipeline's). */
char *pvd_config_find_in(const char *dir, const char *kind, const char *name, const char *ext,
			 struct pvd_err *e);
/* The config directory in use (see above). */
const char *pvd_config_dir(void);
/* --config DIR: used before $PVD_CONFIG and everything else (NULL: unset). */
void pvd_config_set(const char *dir);
/* The one set by pvd_config_set() or $PVD_CONFIG, or NULL. */
const char *pvd_config_explicit(void);
/* The installed copy (4. above), whether it exists or not: "/usr/share/pvd/config"
 * when the program's own path cannot be read. */
const char *pvd_config_installed(void);
/* Whether name is a path rather than a bare name (see above). */
int pvd_config_is_path(const char *name);
#endif
