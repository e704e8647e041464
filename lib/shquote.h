/* shquote — quoting a word for a POSIX shell, so that `pvd-run --dry-run`
 * prints commands a data engineer can paste as they are.  A word made only
 * of characters no shell treats specially is left bare; any other word is
 * put in single quotes, a single quote inside becoming '\''. */
#ifndef PVD_SHQUOTE_H
#define PVD_SHQUOTE_H
#include "buf.h"

/* Appends s, quoted when it needs to be ("" becomes ''). */
void pvd_shquote(struct pvd_buf *out, const char *s);
#endif
