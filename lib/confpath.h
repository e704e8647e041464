/* confpath — where named configuration lives.
 *
 * A config argument is either a path (it contains '/' or ends in .yaml/.csv/
 * .json) or a bare name looked up as DIR/KIND/NAME.yaml, DIR being, first
 * found: $PVD_CONFIG, ./config (running from a checkout), the installed
 * share/pvd/config.  KIND is "sources", "datasets", "ref"... */
#ifndef PVD_CONFPATH_H
#define PVD_CONFPATH_H
#include "diag.h"

/* Returns a malloc'd path, or NULL with e filled (PVD_EX_CONFIG) naming
 * where it looked.  ext is the extension added to a bare name (".yaml"). */
char *pvd_config_find(const char *kind, const char *name, const char *ext, struct pvd_err *e);
/* The config directory in use (see above). */
const char *pvd_config_dir(void);
#endif
