#include "tabrow.h"
#include "render.h"
#include <string.h>

void pvd_tab_row(struct pvd_tabrow *r, struct pvd_buf *b, int md, const char *cls)
{
	*r = (struct pvd_tabrow){ b, md, 0 };
	if (md)
		pvd_buf_adds(b, "| ");
	else if (cls)
		pvd_buf_printf(b, "<tr class=\"%s\">", cls);
	else
		pvd_buf_adds(b, "<tr>");
}

void pvd_tab_cell(struct pvd_tabrow *r, unsigned flags, const char *text)
{
	struct pvd_buf *b = r->b;
	int head = flags & PVD_TC_HEAD, code = flags & PVD_TC_CODE;
	if (r->md)
		pvd_buf_adds(b, r->cells ? " | " : "");
	else
		pvd_buf_adds(b, head ? "<th scope=\"row\"" : "<td");
	if (!r->md && (flags & (PVD_TC_NUM | PVD_TC_OK)))
		pvd_buf_adds(b, flags & PVD_TC_NUM ? " class=\"n\"" : " class=\"ok\"");
	pvd_buf_adds(b, r->md ? (code ? "`" : "") : (code ? "><code>" : ">"));
	if (text && (flags & PVD_TC_MARKUP))
		pvd_buf_adds(b, text);
	else if (text)
		(r->md ? pvd_md_escape : pvd_html_escape)(b, text, strlen(text));
	if (r->md)
		pvd_buf_adds(b, code ? "`" : "");
	else
		pvd_buf_adds(b, code ? (head ? "</code></th>" : "</code></td>") : (head ? "</th>" : "</td>"));
	r->cells++;
}

void pvd_tab_end(struct pvd_tabrow *r)
{
	pvd_buf_adds(r->b, r->md ? " |\n" : "</tr>\n");
}
