#include "fieldmap.h"
#include "xmem.h"
#include <stdlib.h>

void pvd_fieldmap_init(struct pvd_fieldmap *m, const char *const *names, size_t n)
{
	memset(m, 0, sizeof *m);
	m->n = n;
	m->name = xcalloc(n ? n : 1, sizeof *m->name);
	m->at = xcalloc(n ? n : 1, sizeof *m->at);
	for (size_t k = 0; k < n; k++) {
		m->name[k] = xstrdup(names[k]);
		m->at[k] = -1;
	}
}

void pvd_fieldmap_free(struct pvd_fieldmap *m)
{
	for (size_t k = 0; k < m->n; k++)
		free(m->name[k]);
	free(m->name);
	free(m->at);
	free(m->alt_at);
	free(m->lnames);
	free(m->lnl);
	memset(m, 0, sizeof *m);
}

/* Has r the names of the layout last resolved, in the same order? */
static int same_layout(const struct pvd_fieldmap *m, const struct pvd_record *r)
{
	if (!m->valid || r->n != m->ln)
		return 0;
	const char *p = m->lnames;
	for (size_t i = 0; i < r->n; i++) {
		uint32_t l = r->f[i].name_len;
		if (l != m->lnl[i] || !pvd_same_small(r->arena + r->f[i].name, p, l))
			return 0;
		p += l;
	}
	return 1;
}

const int *pvd_fieldmap_resolve(struct pvd_fieldmap *m, const struct pvd_record *r)
{
	/* a stamp says the same as comparing every name */
	if (m->stamp && r->layout == m->stamp)
		return m->at;
	if (m->alt_stamp && r->layout == m->alt_stamp) {
		int *t = m->at;
		m->at = m->alt_at;
		m->alt_at = t;
		m->alt_stamp = m->stamp;
		m->stamp = r->layout;
		m->valid = 0; /* lnames are the other layout's */
		return m->at;
	}
	if (same_layout(m, r)) {
		m->stamp = r->layout;
		return m->at;
	}
	if (m->stamp) { /* kept as the other layout */
		if (!m->alt_at)
			m->alt_at = xcalloc(m->n ? m->n : 1, sizeof *m->alt_at);
		int *t = m->alt_at;
		m->alt_at = m->at;
		m->at = t;
		m->alt_stamp = m->stamp;
	}
	size_t total = 0;
	for (size_t i = 0; i < r->n; i++)
		total += r->f[i].name_len;
	m->lnames = xgrow(m->lnames, &m->lcap, total ? total : 1, 1);
	m->lnl = xgrow(m->lnl, &m->lncap, r->n ? r->n : 1, sizeof *m->lnl);
	char *p = m->lnames;
	for (size_t i = 0; i < r->n; i++) {
		uint32_t l = r->f[i].name_len;
		memcpy(p, r->arena + r->f[i].name, l);
		p += l;
		m->lnl[i] = l;
	}
	m->llen = total;
	m->ln = r->n;
	for (size_t k = 0; k < m->n; k++)
		m->at[k] = pvd_rec_find(r, m->name[k]);
	m->valid = 1;
	m->stamp = r->layout;
	return m->at;
}
