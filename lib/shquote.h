/* shquote — quoting a word for the shell, so that `pvd-run --dry-run`
 * prints commands a data engineer can paste as they are.  A word made only
 * of characters no shell treats specially is left bare; any other word is
 * put in single quotes, a single quote inside becoming '\''.  A word with a
 * control character (a newline in a file name, a carriage return, an escape)
 * is written in bash's $'...' form instead, each such byte as \n, \r, \t or
 * \xHH: no control character ever reaches the script, so none can end a
 * comment line or a command, nor reach the terminal that shows the script. */
#ifndef PVD_SHQUOTE_H
#define PVD_SHQUOTE_H
#include "buf.h"

/* Appends s, quoted when it needs to be ("" becomes ''). */
void pvd_shquote(struct pvd_buf *out, const char *s);
#endif
