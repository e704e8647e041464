#include "communeidx.h"
#include "hash.h"
#include "textnorm.h"
#include "xmem.h"
#include <stdlib.h>
#include <string.h>

/* --- keys of the u64map.h tables: SIRENs and département codes ------------- */

/* A département code (2 or 3 bytes) packed as it is, never 0. */
static uint64_t pack(const char *s, size_t n)
{
	uint64_t k = 0;
	for (size_t i = 0; i < n && i < 8; i++)
		k = (k << 8) | (unsigned char)s[i];
	return k;
}

/* A SIREN (9 digits) as its value + 1, never 0. */
static uint64_t siren_key(const char *s)
{
	uint64_t k = 0;
	for (int i = 0; i < 9; i++)
		k = k * 10 + (uint64_t)(s[i] - '0');
	return k + 1;
}

/* The value of a key in one of the index's maps: an index, or -1. */
static int32_t map_val(const struct pvd_u64map *m, uint64_t key)
{
	const struct pvd_u64map_entry *x = pvd_u64map_get(m, key, 0);
	return x ? (int32_t)x->val : -1;
}

static void map_put(struct pvd_u64map *m, uint64_t key, int32_t val)
{
	int added;
	pvd_u64map_put(m, key, 0, (uint64_t)val, &added);
}

/* --- code → commune: a direct-address table ---------------------------------
 * A commune code is its own perfect hash: 5 digits are 0..99999, Corsica's
 * 2A/2B + 3 digits go after them.  One int32 per possible code,
 * (commune << 2 | hit), -1 when the code leads nowhere: a lookup is one
 * array access, no probing. */
#define CODE_SLOTS 102000

static long code_slot(const char *s)
{
	long v = 0;
	if (s[0] == '2' && (s[1] == 'A' || s[1] == 'B')) {
		for (int i = 2; i < 5; i++)
			v = v * 10 + (s[i] - '0');
		return 100000 + (s[1] == 'B') * 1000 + v;
	}
	for (int i = 0; i < 5; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

/* The commune a (well-formed) code leads to, or -1. */
static int32_t code_get(const struct pvd_cidx *x, const char *code, enum pvd_code_hit *hit)
{
	int32_t v = x->codes ? x->codes[code_slot(code)] : -1;
	*hit = v < 0 ? PVD_HIT_NONE : (enum pvd_code_hit)(v & 3);
	return v < 0 ? -1 : v >> 2;
}

static void code_set(struct pvd_cidx *x, const char *code, int32_t commune, enum pvd_code_hit hit)
{
	if (!x->codes) {
		x->codes = xmalloc(CODE_SLOTS * sizeof *x->codes);
		memset(x->codes, 0xff, CODE_SLOTS * sizeof *x->codes);
	}
	x->codes[code_slot(code)] = commune << 2 | (int32_t)hit;
}

/* --- name keys ------------------------------------------------------------ */

struct pvd_nameent {
	const char *key;    /* bare key */
	const char *name;   /* as in the table */
	const char *what;
	int32_t commune;
	int32_t next;       /* next entry of the same hash chain, -1 */
};

static int is_article(const char *w, size_t n)
{
	return (n == 1 && w[0] == 'l') || (n == 2 && w[0] == 'l' && (w[1] == 'e' || w[1] == 'a')) ||
	       (n == 3 && memcmp(w, "les", 3) == 0);
}

void pvd_name_keys(const char *s, size_t n, struct pvd_buf *full, struct pvd_buf *bare, int *article,
		   struct pvd_buf *tmp)
{
	pvd_buf_reset(tmp);
	pvd_buf_reset(full);
	pvd_buf_reset(bare);
	/* "Abergement-Clémenciat (L')" → "L' Abergement-Clémenciat" */
	size_t e = n;
	while (e > 0 && (s[e - 1] == ' ' || s[e - 1] == '\t'))
		e--;
	const char *open = NULL;
	if (e > 0 && s[e - 1] == ')')
		open = memrchr(s, '(', e);
	if (open) {
		pvd_fold(open + 1, (size_t)(s + e - 1 - (open + 1)), ' ', tmp);
		if (tmp->len && is_article(tmp->p, tmp->len)) {
			pvd_buf_addc(tmp, ' ');
			pvd_fold(s, (size_t)(open - s), ' ', tmp);
		} else {
			open = NULL;
		}
	}
	if (!open) {
		pvd_buf_reset(tmp);
		pvd_fold(s, n, ' ', tmp);
	}
	/* St/Ste/Sts/Stes as whole words → Saint... */
	const char *p = pvd_buf_str(tmp), *end = p + tmp->len;
	while (p < end) {
		const char *w = p;
		while (p < end && *p != ' ')
			p++;
		size_t wl = (size_t)(p - w);
		if (full->len)
			pvd_buf_addc(full, ' ');
		const char *rest = w + 2; /* after "st": "", "e", "s" or "es" */
		size_t rl = wl - 2;
		if (wl >= 2 && wl <= 4 && w[0] == 's' && w[1] == 't' &&
		    (rl == 0 || (rl == 1 && (*rest == 'e' || *rest == 's')) ||
		     (rl == 2 && rest[0] == 'e' && rest[1] == 's'))) {
			pvd_buf_adds(full, "saint");
			pvd_buf_add(full, rest, rl);
		} else {
			pvd_buf_add(full, w, wl);
		}
		if (p < end)
			p++;
	}
	const char *f = pvd_buf_str(full);
	const char *sp = strchr(f, ' ');
	*article = sp && is_article(f, (size_t)(sp - f));
	pvd_buf_adds(bare, *article ? sp + 1 : f);
}

static size_t str_hash(const char *s)
{
	return (size_t)pvd_mix64(pvd_fnv1a64(s, strlen(s)));
}

/* --- building -------------------------------------------------------------- */

void pvd_cidx_init(struct pvd_cidx *x)
{
	memset(x, 0, sizeof *x);
}

struct build {
	struct pvd_cidx *x;
	struct pvd_reflog *log;
	size_t ccap, dcap, ecap;
	int32_t last_dep;
	struct pvd_name_scratch s;
};

static const char *dup(struct pvd_cidx *x, const char *s)
{
	return s ? pvd_strpool_dup(&x->pool, s, strlen(s)) : NULL;
}

/* name: a string of the index's pool, or of a table (then copied) */
static void add_name(struct build *b, const char *name, int32_t commune, const char *what, int pooled)
{
	struct pvd_cidx *x = b->x;
	int art;
	pvd_name_keys(name, strlen(name), &b->s.full, &b->s.bare, &art, &b->s.tmp);
	if (!b->s.bare.len)
		return;
	if (!x->name_heads) {
		x->names_mask = 65535;
		x->name_heads = xmalloc((x->names_mask + 1) * sizeof *x->name_heads);
		memset(x->name_heads, 0xff, (x->names_mask + 1) * sizeof *x->name_heads);
	}
	x->names = xgrow(x->names, &x->names_cap, x->nnames + 1, sizeof *x->names);
	struct pvd_nameent *ne = &x->names[x->nnames];
	ne->key = dup(x, pvd_buf_str(&b->s.bare));
	ne->name = pooled ? name : dup(x, name);
	ne->what = what;
	ne->commune = commune;
	size_t h = str_hash(ne->key) & x->names_mask;
	ne->next = x->name_heads[h];
	x->name_heads[h] = (int32_t)x->nnames++;
}

/* Name entries grouped by département, for the suggestions of a failed
 * lookup. */
static void group_names_by_dep(struct pvd_cidx *x)
{
	free(x->by_dep);
	free(x->dep_first);
	x->dep_first = xcalloc(x->nd + 2, sizeof *x->dep_first);
	x->by_dep = xmalloc((x->nnames ? x->nnames : 1) * sizeof *x->by_dep);
	for (size_t i = 0; i < x->nnames; i++)
		x->dep_first[x->c[x->names[i].commune].dep + 1]++;
	for (size_t d = 0; d < x->nd; d++)
		x->dep_first[d + 1] += x->dep_first[d];
	uint32_t *at = xmalloc((x->nd + 1) * sizeof *at);
	memcpy(at, x->dep_first, (x->nd + 1) * sizeof *at);
	for (size_t i = 0; i < x->nnames; i++)
		x->by_dep[at[x->c[x->names[i].commune].dep]++] = (uint32_t)i;
	free(at);
}

static int32_t dep_of(struct build *b, const struct pvd_reftab *t, size_t r)
{
	struct pvd_cidx *x = b->x;
	const char *code = pvd_reftab_get(t, r, PVD_COM_DEP);
	const char *reg = pvd_reftab_get(t, r, PVD_COM_REG);
	/* the table is in code order: the département is most often the last one */
	if (b->last_dep >= 0 && strcmp(x->d[b->last_dep].code, code) == 0 &&
	    strcmp(x->d[b->last_dep].reg, reg) == 0)
		return b->last_dep;
	int32_t known = map_val(&x->depmap, pack(code, strlen(code)));
	if (known >= 0) {
		b->last_dep = known;
		struct pvd_dep *d = &x->d[known];
		if (strcmp(d->reg, reg) != 0)
			pvd_reflog_add(b->log, t->file, t->line[r], pvd_reftab_colname(t, PVD_COM_REG),
				       "région %s, but other communes of département %s are in %s", reg, code,
				       d->reg);
		return known;
	}
	x->d = xgrow(x->d, &b->dcap, x->nd + 1, sizeof *x->d);
	struct pvd_dep *d = &x->d[x->nd];
	memset(d, 0, sizeof *d);
	memcpy(d->code, code, strlen(code) + 1);
	memcpy(d->reg, reg, strlen(reg) + 1);
	d->nom = dup(x, pvd_reftab_get(t, r, PVD_COM_DEP_NOM));
	d->reg_nom = dup(x, pvd_reftab_get(t, r, PVD_COM_REG_NOM));
	map_put(&x->depmap, pack(code, strlen(code)), (int32_t)x->nd);
	b->last_dep = (int32_t)x->nd;
	return (int32_t)x->nd++;
}

static int32_t epci_add(struct build *b, const char *siren, const char *nom)
{
	struct pvd_cidx *x = b->x;
	int32_t known = map_val(&x->sirens, siren_key(siren));
	if (known >= 0)
		return known;
	x->e = xgrow(x->e, &b->ecap, x->ne + 1, sizeof *x->e);
	struct pvd_epci *ep = &x->e[x->ne];
	memset(ep, 0, sizeof *ep);
	memcpy(ep->siren, siren, 10);
	ep->nom = dup(x, nom);
	ep->dep = ep->reg_dep = -2; /* -2: no member seen yet */
	map_put(&x->sirens, siren_key(siren), (int32_t)x->ne);
	return (int32_t)x->ne++;
}

static void load_communes(struct build *b, const struct pvd_reftab *t)
{
	struct pvd_cidx *x = b->x;
	long *first = NULL;
	size_t fcap = 0;
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->skip[r])
			continue;
		const char *code = pvd_reftab_get(t, r, PVD_COM_CODE);
		enum pvd_code_hit hit;
		int32_t dupl = code_get(x, code, &hit);
		if (dupl >= 0) {
			pvd_reflog_add(b->log, t->file, t->line[r], pvd_reftab_colname(t, PVD_COM_CODE),
				       "duplicate code %s (first at line %ld): row skipped", code, first[dupl]);
			continue;
		}
		first = xgrow(first, &fcap, x->nc + 1, sizeof *first);
		first[x->nc] = t->line[r];
		x->c = xgrow(x->c, &b->ccap, x->nc + 1, sizeof *x->c);
		struct pvd_commune *c = &x->c[x->nc];
		memset(c, 0, sizeof *c);
		memcpy(c->code, code, 6);
		c->nom = dup(x, pvd_reftab_get(t, r, PVD_COM_NOM));
		c->dep = dep_of(b, t, r);
		const char *siren = pvd_reftab_get(t, r, PVD_COM_EPCI);
		c->epci = siren ? epci_add(b, siren, pvd_reftab_get(t, r, PVD_COM_EPCI_NOM)) : -1;
		code_set(x, code, (int32_t)x->nc, PVD_HIT_CODE);
		x->nc++;
	}
	free(first);
	for (size_t i = 0; i < x->nc; i++)
		add_name(b, x->c[i].nom, (int32_t)i, "commune", 1);
	/* What an EPCI beneficiary carries: the département / région its
	 * communes share, when they share one. */
	for (size_t i = 0; i < x->nc; i++) {
		struct pvd_commune *c = &x->c[i];
		if (c->epci < 0)
			continue;
		struct pvd_epci *ep = &x->e[c->epci];
		ep->ncommunes++;
		if (ep->dep == -2)
			ep->dep = c->dep;
		else if (ep->dep != c->dep)
			ep->dep = -1;
		if (ep->reg_dep == -2)
			ep->reg_dep = c->dep;
		else if (ep->reg_dep >= 0 && strcmp(x->d[ep->reg_dep].reg, x->d[c->dep].reg) != 0)
			ep->reg_dep = -1;
	}
}

static void check_deps(struct build *b, const struct pvd_reftab *deps, const struct pvd_reftab *regs)
{
	struct pvd_cidx *x = b->x;
	if (deps && deps->nrows) {
		unsigned char *seen = xcalloc(x->nd + 1, 1);
		for (size_t r = 0; r < deps->nrows; r++) {
			if (deps->skip[r])
				continue;
			const char *code = pvd_reftab_get(deps, r, PVD_DEP_CODE);
			const char *reg = pvd_reftab_get(deps, r, PVD_DEP_REG);
			int32_t d = pvd_cidx_dep(x, code);
			if (d < 0)
				continue; /* a département without communes: nothing joins to it */
			seen[d] = 1;
			if (strcmp(x->d[d].reg, reg) != 0)
				pvd_reflog_add(b->log, deps->file, deps->line[r], pvd_reftab_colname(deps, PVD_DEP_REG),
					       "région %s, but the commune table puts département %s in %s", reg,
					       code, x->d[d].reg);
			if (!x->d[d].nom)
				x->d[d].nom = dup(x, pvd_reftab_get(deps, r, PVD_DEP_NOM));
		}
		for (size_t d = 0; d < x->nd; d++)
			if (!seen[d])
				pvd_reflog_add(b->log, deps->file, 0, NULL,
					       "département %s of the commune table is missing", x->d[d].code);
		free(seen);
	}
	if (regs && regs->nrows) {
		for (size_t d = 0; d < x->nd; d++) {
			size_t r;
			for (r = 0; r < regs->nrows; r++)
				if (!regs->skip[r] && strcmp(pvd_reftab_get(regs, r, PVD_REG_CODE), x->d[d].reg) == 0)
					break;
			if (r == regs->nrows) {
				pvd_reflog_add(b->log, regs->file, 0, NULL,
					       "région %s of the commune table is missing", x->d[d].reg);
				continue;
			}
			if (!x->d[d].reg_nom)
				x->d[d].reg_nom = dup(x, pvd_reftab_get(regs, r, PVD_REG_NOM));
		}
	}
}

static void check_epci(struct build *b, const struct pvd_reftab *t)
{
	struct pvd_cidx *x = b->x;
	if (!t || !t->nrows)
		return;
	size_t known = x->ne;
	unsigned char *seen = xcalloc(known + 1, 1);
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->skip[r])
			continue;
		const char *siren = pvd_reftab_get(t, r, PVD_EPCI_SIREN);
		const char *nom = pvd_reftab_get(t, r, PVD_EPCI_NOM);
		const char *nb = pvd_reftab_get(t, r, PVD_EPCI_NB);
		int32_t i = epci_add(b, siren, nom); /* an EPCI without communes can still be a beneficiary */
		if ((size_t)i < known)
			seen[i] = 1;
		if (!x->e[i].nom)
			x->e[i].nom = dup(x, nom);
		if (nb && strtoul(nb, NULL, 10) != x->e[i].ncommunes)
			pvd_reflog_add(b->log, t->file, t->line[r], pvd_reftab_colname(t, PVD_EPCI_NB),
				       "EPCI %s: %s communes, the commune table has %u", siren, nb,
				       x->e[i].ncommunes);
	}
	for (size_t i = 0; i < known; i++)
		if (!seen[i])
			pvd_reflog_add(b->log, t->file, 0, NULL, "EPCI %s of the commune table is missing",
				       x->e[i].siren);
	free(seen);
}

/* Old codes, resolved through chains (an old code leading to another old
 * code) in a few rounds. */
static void load_oldcodes(struct build *b, const struct pvd_reftab *t)
{
	struct pvd_cidx *x = b->x;
	if (!t || !t->nrows)
		return;
	unsigned char *done = xcalloc(t->nrows, 1);
	for (int round = 0; round < 8; round++) {
		int progress = 0;
		for (size_t r = 0; r < t->nrows; r++) {
			if (t->skip[r] || done[r])
				continue;
			const char *old = pvd_reftab_get(t, r, PVD_OLD_CODE);
			const char *cur = pvd_reftab_get(t, r, PVD_OLD_CUR);
			enum pvd_code_hit hit;
			int32_t o = code_get(x, old, &hit);
			if (o >= 0) {
				done[r] = 1;
				if (hit == PVD_HIT_CODE)
					pvd_reflog_add(b->log, t->file, t->line[r], pvd_reftab_colname(t, PVD_OLD_CODE),
						       "%s is a current commune code, not an old one: row skipped", old);
				else if (strcmp(x->c[o].code, cur) != 0)
					pvd_reflog_add(b->log, t->file, t->line[r], pvd_reftab_colname(t, PVD_OLD_CODE),
						       "old code %s already leads to %s: row skipped", old, x->c[o].code);
				continue;
			}
			int32_t c = code_get(x, cur, &hit);
			if (c < 0)
				continue; /* perhaps an old code resolved in a later round */
			code_set(x, old, c, PVD_HIT_OLD);
			x->n_old++;
			done[r] = 1;
			progress = 1;
		}
		if (!progress)
			break;
	}
	for (size_t r = 0; r < t->nrows; r++)
		if (!t->skip[r] && !done[r])
			pvd_reflog_add(b->log, t->file, t->line[r], pvd_reftab_colname(t, PVD_OLD_CUR),
				       "%s is not a commune of the commune table: row skipped",
				       pvd_reftab_get(t, r, PVD_OLD_CUR));
	free(done);
}

/* Delegated and associated communes (parent through their code) and
 * municipal arrondissements (parent named): their names lead to the parent;
 * an arrondissement's code does too. */
static void load_subs(struct build *b, const struct pvd_reftab *t)
{
	struct pvd_cidx *x = b->x;
	if (!t || !t->nrows)
		return;
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->skip[r])
			continue;
		const char *code = pvd_reftab_get(t, r, PVD_SUB_CODE);
		const char *parent = pvd_reftab_get(t, r, PVD_SUB_PARENT);
		const char *type = pvd_reftab_get(t, r, PVD_SUB_TYPE);
		enum pvd_code_hit hit;
		int32_t c = pvd_cidx_code(x, parent ? parent : code, 5, &hit);
		if (c < 0) {
			pvd_reflog_add(b->log, t->file, t->line[r],
				       pvd_reftab_colname(t, parent ? PVD_SUB_PARENT : PVD_SUB_CODE),
				       "%s leads to no current commune: row skipped", parent ? parent : code);
			continue;
		}
		enum pvd_code_hit had;
		if (parent && code_get(x, code, &had) < 0) {
			code_set(x, code, c, PVD_HIT_ARM);
			x->n_arm++;
		}
		add_name(b, pvd_reftab_get(t, r, PVD_SUB_NOM), c, type ? dup(x, type) : "commune-deleguee", 0);
		x->n_sub_names++;
	}
}

void pvd_cidx_build(struct pvd_cidx *x, const struct pvd_cog_tabs *t, struct pvd_reflog *log)
{
	struct build b = { .x = x, .log = log, .last_dep = -1 };
	pvd_u64map_reserve(&x->sirens, t->epci && t->epci->nrows ? t->epci->nrows : 2048);
	load_communes(&b, t->communes);
	check_deps(&b, t->deps, t->regs);
	check_epci(&b, t->epci);
	load_oldcodes(&b, t->oldcodes);
	load_subs(&b, t->subs);
	for (size_t i = 0; i < x->nc; i++)
		x->d[x->c[i].dep].ncommunes++;
	for (size_t d = 0; d < x->nd; d++) {
		if (!x->d[d].nom)
			continue;
		int art;
		pvd_name_keys(x->d[d].nom, strlen(x->d[d].nom), &b.s.full, &b.s.bare, &art, &b.s.tmp);
		x->d[d].key = dup(x, pvd_buf_str(&b.s.bare));
	}
	group_names_by_dep(x);
	pvd_name_scratch_free(&b.s);
}

/* --- the PVD list ---------------------------------------------------------- */

struct member {
	int32_t epci;
	uint32_t commune;
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int cmp_member(const void *a, const void *b, void *ctx)
{
	const struct pvd_cidx *x = ctx;
	const struct member *p = a, *q = b;
	if (p->epci != q->epci)
		return p->epci < q->epci ? -1 : 1;
	return strcmp(x->c[p->commune].code, x->c[q->commune].code);
}

void pvd_cidx_set_pvd(struct pvd_cidx *x, const struct pvd_reftab *t, struct pvd_reflog *log)
{
	struct build b = { .x = x, .log = log, .last_dep = -1 };
	long *line = xcalloc(x->nc + 1, sizeof *line);
	const char **ids = xmalloc((t->nrows + 1) * sizeof *ids);
	size_t nids = 0;
	x->pvd_rows = t->nrows;
	x->pvd_skipped = t->nskipped;
	for (size_t r = 0; r < t->nrows; r++) {
		if (t->skip[r])
			continue;
		const char *code = pvd_reftab_get(t, r, PVD_PVD_CODE);
		enum pvd_code_hit hit;
		int32_t ci = pvd_cidx_code(x, code, 5, &hit);
		if (ci < 0) {
			pvd_reflog_add(log, t->file, t->line[r], pvd_reftab_colname(t, PVD_PVD_CODE),
				       "%s is not a commune of the commune table: row skipped", code);
			x->pvd_skipped++;
			continue;
		}
		struct pvd_commune *c = &x->c[ci];
		if (c->pvd) {
			if (strcmp(code, c->code) == 0)
				pvd_reflog_add(log, t->file, t->line[r], pvd_reftab_colname(t, PVD_PVD_CODE),
					       "commune %s already listed at line %ld: row skipped", code, line[ci]);
			else
				pvd_reflog_add(log, t->file, t->line[r], pvd_reftab_colname(t, PVD_PVD_CODE),
					       "%s is commune %s, already listed at line %ld: row skipped", code,
					       c->code, line[ci]);
			x->pvd_skipped++;
			continue;
		}
		c->pvd = 1;
		line[ci] = t->line[r];
		x->pvd_communes++;
		if (hit != PVD_HIT_CODE)
			x->pvd_old++;
		const char *id = pvd_reftab_get(t, r, PVD_PVD_ID);
		c->id_pvd = dup(x, id);
		if (id)
			ids[nids++] = c->id_pvd;
		const char *nom = pvd_reftab_get(t, r, PVD_PVD_NOM);
		if (nom && strcmp(nom, c->nom) != 0) {
			/* a renamed or merged commune: its name in the list leads to it too */
			x->pvd_renamed++;
			add_name(&b, nom, ci, "PVD-list name", 0);
		}
		const char *dep = pvd_reftab_get(t, r, PVD_PVD_DEP);
		if (dep && strcmp(dep, x->d[c->dep].code) != 0)
			pvd_reflog_add(log, t->file, t->line[r], pvd_reftab_colname(t, PVD_PVD_DEP),
				       "département %s, but commune %s is in %s", dep, c->code, x->d[c->dep].code);
		const char *siren = pvd_reftab_get(t, r, PVD_PVD_EPCI);
		if (siren && (c->epci < 0 || strcmp(siren, x->e[c->epci].siren) != 0))
			x->pvd_epci_differs++;
	}
	/* grouped candidacies: one id_pvd for several communes */
	qsort(ids, nids, sizeof *ids, cmp_str);
	for (size_t i = 0; i < nids;) {
		size_t j = i + 1;
		while (j < nids && strcmp(ids[j], ids[i]) == 0)
			j++;
		if (j - i > 1) {
			x->pvd_grouped_ids++;
			x->pvd_grouped_communes += j - i;
		}
		i = j;
	}
	/* each EPCI's PVD communes, in code order */
	struct member *m = xmalloc((x->pvd_communes + 1) * sizeof *m);
	size_t nm = 0;
	for (size_t i = 0; i < x->nc; i++)
		if (x->c[i].pvd && x->c[i].epci >= 0)
			m[nm++] = (struct member){ x->c[i].epci, (uint32_t)i };
	qsort_r(m, nm, sizeof *m, cmp_member, x);
	free(x->pvd_members);
	x->pvd_members = xmalloc((nm + 1) * sizeof *x->pvd_members);
	for (size_t i = 0; i < nm; i++) {
		struct pvd_epci *ep = &x->e[m[i].epci];
		if (!ep->npvd)
			ep->pvd0 = (uint32_t)i;
		ep->npvd++;
		x->pvd_members[i] = m[i].commune;
	}
	free(m);
	free(ids);
	free(line);
	group_names_by_dep(x);
	pvd_name_scratch_free(&b.s);
}

void pvd_cidx_free(struct pvd_cidx *x)
{
	free(x->c);
	free(x->d);
	free(x->e);
	free(x->pvd_members);
	free(x->codes);
	pvd_u64map_free(&x->sirens);
	pvd_u64map_free(&x->depmap);
	free(x->name_heads);
	free(x->names);
	free(x->by_dep);
	free(x->dep_first);
	pvd_strpool_free(&x->pool);
	memset(x, 0, sizeof *x);
}

/* --- lookups ---------------------------------------------------------------- */

int32_t pvd_cidx_code(const struct pvd_cidx *x, const char *code, size_t n, enum pvd_code_hit *hit)
{
	*hit = PVD_HIT_NONE;
	if (!pvd_is_insee(code, n))
		return -1;
	return code_get(x, code, hit);
}

int32_t pvd_cidx_epci(const struct pvd_cidx *x, const char *siren, size_t n)
{
	if (!pvd_is_siren(siren, n))
		return -1;
	return map_val(&x->sirens, siren_key(siren));
}

int32_t pvd_cidx_dep(const struct pvd_cidx *x, const char *code)
{
	size_t n = strlen(code);
	if (n < 2 || n > 3)
		return -1;
	return map_val(&x->depmap, pack(code, n));
}

int pvd_dep_canon(const char *s, size_t n, char out[4])
{
	while (n && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n == 3 && s[0] == '0')
		s++, n--;
	char b[4] = { 0 };
	if (n == 1 && s[0] >= '0' && s[0] <= '9') {
		b[0] = '0';
		b[1] = s[0];
	} else if (n == 2 || n == 3) {
		for (size_t i = 0; i < n; i++)
			b[i] = (s[i] == 'a' || s[i] == 'b') ? (char)(s[i] - 'a' + 'A') : s[i];
	} else {
		return -1;
	}
	if (!pvd_is_dep(b, strlen(b)))
		return -1;
	memcpy(out, b, 4);
	return 0;
}

static int dep_ok(const struct pvd_cidx *x, int32_t commune, const char *dep)
{
	if (!dep)
		return 1;
	const char *d = x->d[x->c[commune].dep].code;
	if (dep[0] == '2' && dep[1] == '0' && !dep[2])
		return d[0] == '2' && (d[1] == 'A' || d[1] == 'B') && !d[2];
	return strcmp(d, dep) == 0;
}

static int cmp_cand(const void *a, const void *b, void *ctx)
{
	const struct pvd_cidx *x = ctx;
	const struct pvd_name_cand *p = a, *q = b;
	return strcmp(x->c[p->commune].code, x->c[q->commune].code);
}

/* Adds entry e's commune to a candidate list unless it is there already. */
static void add_cand(struct pvd_name_cand *c, size_t *n, size_t *total, const struct pvd_nameent *e)
{
	for (size_t i = 0; i < *n; i++)
		if (c[i].commune == e->commune)
			return;
	(*total)++;
	if (*n < PVD_NAME_MAXCAND)
		c[(*n)++] = (struct pvd_name_cand){ e->commune, e->name, e->what };
}

#define MAXHITS 256

void pvd_cidx_name(const struct pvd_cidx *x, const char *name, size_t n, const char *dep,
		   struct pvd_name_result *res, struct pvd_name_scratch *s)
{
	memset(res, 0, sizeof *res);
	res->dep_named = -1;
	int article;
	pvd_name_keys(name, n, &s->full, &s->bare, &article, &s->tmp);
	if (!s->bare.len || !x->name_heads)
		return;
	const char *bare = pvd_buf_str(&s->bare);
	for (size_t d = 0; d < x->nd && res->dep_named < 0; d++) {
		const struct pvd_dep *dp = &x->d[d];
		int in = !dep || strcmp(dp->code, dep) == 0 ||
			 (dep[0] == '2' && dep[1] == '0' && !dep[2] && dp->code[0] == '2' &&
			  (dp->code[1] == 'A' || dp->code[1] == 'B'));
		if (in && dp->key && dp->ncommunes > 1 && strcmp(dp->key, bare) == 0)
			res->dep_named = (int32_t)d;
	}
	uint32_t hits[MAXHITS];
	size_t nh = 0;
	for (int32_t i = x->name_heads[str_hash(bare) & x->names_mask]; i >= 0; i = x->names[i].next) {
		const struct pvd_nameent *e = &x->names[i];
		if (strcmp(e->key, bare) != 0 || !dep_ok(x, e->commune, dep))
			continue;
		if (nh < MAXHITS)
			hits[nh++] = (uint32_t)i;
		add_cand(res->c, &res->n, &res->total, e);
	}
	if (res->total >= 1 && res->dep_named >= 0) {
		res->status = PVD_NAME_AMBIGUOUS;
		qsort_r(res->c, res->n, sizeof *res->c, cmp_cand, (void *)x);
		return;
	}
	if (res->total == 1) {
		res->status = PVD_NAME_MATCH;
		return;
	}
	if (res->total > 1) {
		/* Tie-breaks: the name written exactly as in a table, then the
		 * article as given ("La Vergne" is not "Vergné"). */
		struct pvd_name_cand c[PVD_NAME_MAXCAND];
		size_t nc = 0, total = 0;
		pvd_buf_reset(&s->clean);
		pvd_text_clean(name, n, &s->clean);
		for (size_t k = 0; k < nh; k++)
			if (strcmp(x->names[hits[k]].name, pvd_buf_str(&s->clean)) == 0)
				add_cand(c, &nc, &total, &x->names[hits[k]]);
		if (total != 1 && article) {
			struct pvd_buf full = { 0 }, bare2 = { 0 };
			int art2;
			nc = total = 0;
			for (size_t k = 0; k < nh; k++) {
				pvd_name_keys(x->names[hits[k]].name, strlen(x->names[hits[k]].name), &full, &bare2,
					      &art2, &s->tmp);
				if (strcmp(pvd_buf_str(&full), pvd_buf_str(&s->full)) == 0)
					add_cand(c, &nc, &total, &x->names[hits[k]]);
			}
			pvd_buf_free(&full);
			pvd_buf_free(&bare2);
		}
		if (total == 1) {
			res->status = PVD_NAME_MATCH;
			res->n = res->total = 1;
			res->c[0] = c[0];
			return;
		}
		res->status = PVD_NAME_AMBIGUOUS;
		qsort_r(res->c, res->n, sizeof *res->c, cmp_cand, (void *)x);
		return;
	}
	/* No match: the names of the département that begin with the same word
	 * (two words after Saint...: "saint" alone says little). */
	int32_t d = -1;
	if (dep && !(dep[0] == '2' && dep[1] == '0' && !dep[2]))
		d = pvd_cidx_dep(x, dep);
	if (d < 0)
		return;
	size_t pl = strcspn(bare, " ");
	if (bare[pl] && pl >= 5 && memcmp(bare, "saint", 5) == 0)
		pl += 1 + strcspn(bare + pl + 1, " ");
	size_t total = 0;
	for (uint32_t k = x->dep_first[d]; k < x->dep_first[d + 1]; k++) {
		const struct pvd_nameent *e = &x->names[x->by_dep[k]];
		if (strncmp(e->key, bare, pl) == 0 && (e->key[pl] == ' ' || e->key[pl] == '\0'))
			add_cand(res->similar, &res->nsimilar, &total, e);
	}
	res->nsimilar_total = total;
	qsort_r(res->similar, res->nsimilar, sizeof *res->similar, cmp_cand, (void *)x);
}

void pvd_name_scratch_free(struct pvd_name_scratch *s)
{
	pvd_buf_free(&s->clean);
	pvd_buf_free(&s->full);
	pvd_buf_free(&s->bare);
	pvd_buf_free(&s->tmp);
}
