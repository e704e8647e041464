/* tabrow — one row of a table, cell by cell, as HTML (<tr><td>…</td></tr>)
 * or as a Markdown pipe table row (| … |): the quality page and the
 * Markdown note write their tables through it.  Every cell's text is
 * escaped for the format unless the cell says it is markup of ours. */
#ifndef PVD_TABROW_H
#define PVD_TABROW_H
#include "buf.h"

enum {
	PVD_TC_HEAD = 1,   /* the row's header cell: <th scope="row"> */
	PVD_TC_NUM = 2,    /* a number: right-aligned (class "n") */
	PVD_TC_CODE = 4,   /* <code>text</code>, `text` */
	PVD_TC_OK = 8,     /* a good outcome (class "ok") */
	PVD_TC_MARKUP = 16 /* text is markup written by pvd, not from the data: not escaped */
};

struct pvd_tabrow {
	struct pvd_buf *b;
	int md;
	unsigned cells;
};

/* Starts a row; cls (HTML only, may be NULL) is the row's class. */
void pvd_tab_row(struct pvd_tabrow *r, struct pvd_buf *b, int md, const char *cls);
/* One cell (text may be NULL: an empty cell). */
void pvd_tab_cell(struct pvd_tabrow *r, unsigned flags, const char *text);
void pvd_tab_end(struct pvd_tabrow *r);
#endif
