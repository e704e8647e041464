#include "record.h"
#include "xmem.h"
#include "diag.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

void pvd_rec_init(struct pvd_record *r)
{
	memset(r, 0, sizeof *r);
}

void pvd_rec_clear(struct pvd_record *r)
{
	r->alen = 0;
	r->n = 0;
	r->layout = 0;
}

uint64_t pvd_layout_new(void)
{
	static uint64_t last;
	return __atomic_add_fetch(&last, 1, __ATOMIC_RELAXED);
}

void pvd_rec_free(struct pvd_record *r)
{
	free(r->arena);
	free(r->f);
	pvd_rec_init(r);
}

void pvd_rec_copy(struct pvd_record *dst, const struct pvd_record *src)
{
	pvd_rec_clear(dst);
	dst->arena = xgrow(dst->arena, &dst->acap, src->alen, 1);
	if (src->alen)
		memcpy(dst->arena, src->arena, src->alen);
	dst->alen = src->alen;
	dst->f = xgrow(dst->f, &dst->cap, src->n, sizeof *dst->f);
	if (src->n)
		memcpy(dst->f, src->f, src->n * sizeof *src->f);
	dst->n = src->n;
	dst->layout = src->layout;
}

/* Appends bytes plus a NUL to the arena; returns their offset. */
static uint32_t put(struct pvd_record *r, const char *s, size_t n)
{
	if (r->alen + n + 1 > UINT32_MAX)
		pvd_die(PVD_EX_DATA, "record larger than 4 GiB");
	if (r->alen + n + 1 > r->acap)
		r->arena = xgrow(r->arena, &r->acap, r->alen + n + 1, 1);
	uint32_t off = (uint32_t)r->alen;
	if (n)
		memcpy(r->arena + off, s, n);
	r->arena[off + n] = '\0';
	r->alen += n + 1;
	return off;
}

int pvd_rec_find(const struct pvd_record *r, const char *name)
{
	size_t nl = strlen(name);
	for (size_t i = 0; i < r->n; i++) {
		const char *k = r->arena + r->f[i].name;
		/* the first byte (the NUL of "" included) before a call */
		if (r->f[i].name_len == nl && k[0] == name[0] && pvd_same_small(k, name, nl))
			return (int)i;
	}
	return -1;
}

const struct pvd_field *pvd_rec_get(const struct pvd_record *r, const char *name)
{
	int i = pvd_rec_find(r, name);
	return i < 0 ? NULL : &r->f[i];
}

const char *pvd_rec_str(const struct pvd_record *r, const char *name)
{
	const struct pvd_field *f = pvd_rec_get(r, name);
	if (!f || f->kind == PVD_NULL || f->kind == PVD_LIST)
		return NULL;
	return r->arena + f->val;
}

/* A name or value may point into the record's own arena (copying one field
 * to another): take a private copy before the arena can move. */
static const char *own(const struct pvd_record *r, const char *s, size_t n, char **tmp)
{
	*tmp = NULL;
	if (s && r->arena && s >= r->arena && s < r->arena + r->acap) {
		*tmp = xstrndup(s, n);
		return *tmp;
	}
	return s;
}

static void set(struct pvd_record *r, const char *name, enum pvd_kind kind, const char *val,
		size_t len, unsigned nitems)
{
	char *tmp, *ntmp;
	val = own(r, val, len, &tmp);
	name = own(r, name, strlen(name), &ntmp);
	int i = pvd_rec_find(r, name);
	struct pvd_field *f;
	if (i < 0) {
		uint32_t noff = put(r, name, strlen(name));
		r->f = xgrow(r->f, &r->cap, r->n + 1, sizeof *r->f);
		f = &r->f[r->n++];
		r->layout = 0;
		f->name = noff;
		f->name_len = (uint32_t)strlen(name);
	} else {
		f = &r->f[i];
	}
	/* A list's items carry their own terminators; store them without adding one. */
	if (kind == PVD_LIST && len > 0)
		len--;
	f->val = put(r, val ? val : "", val ? len : 0);
	f->val_len = (uint32_t)(val ? len : 0);
	f->kind = (uint8_t)kind;
	f->plain = 0;
	f->nitems = (uint16_t)(kind == PVD_LIST ? nitems : 0);
	free(tmp);
	free(ntmp);
}

void pvd_rec_set_at(struct pvd_record *r, size_t i, enum pvd_kind kind, const char *val, size_t len)
{
	char *tmp;
	val = own(r, val, len, &tmp);
	struct pvd_field *f = &r->f[i];
	f->val = put(r, val ? val : "", val ? len : 0);
	f->val_len = (uint32_t)(val ? len : 0);
	f->kind = (uint8_t)kind;
	f->plain = 0;
	f->nitems = 0;
	free(tmp);
}

void pvd_rec_set(struct pvd_record *r, const char *name, enum pvd_kind kind, const char *val,
		 size_t len)
{
	set(r, name, kind, val, len, 0);
}

void pvd_rec_add(struct pvd_record *r, const char *name, size_t name_len, enum pvd_kind kind,
		 const char *val, size_t len)
{
	/* Reserve once so that neither string moves while being copied; then
	 * both strings go in without further checks (the hot path of ingest). */
	size_t need = r->alen + name_len + len + 2;
	if (need > UINT32_MAX)
		pvd_die(PVD_EX_DATA, "record larger than 4 GiB");
	if (need > r->acap)
		r->arena = xgrow(r->arena, &r->acap, need, 1);
	if (r->n + 1 > r->cap)
		r->f = xgrow(r->f, &r->cap, r->n + 1, sizeof *r->f);
	struct pvd_field *f = &r->f[r->n++];
	char *d = r->arena + r->alen;
	r->layout = 0;
	f->name = (uint32_t)r->alen;
	f->name_len = (uint32_t)name_len;
	pvd_copy_small(d, name, name_len);
	d[name_len] = '\0';
	f->val = (uint32_t)(r->alen + name_len + 1);
	f->val_len = (uint32_t)len;
	pvd_copy_small(d + name_len + 1, val, len);
	d[name_len + 1 + len] = '\0';
	r->alen = need;
	f->kind = (uint8_t)kind;
	f->plain = 0;
	f->nitems = 0;
}

void pvd_rec_set_list(struct pvd_record *r, const char *name, const char *items, size_t len,
		      unsigned nitems)
{
	if (nitems > UINT16_MAX)
		pvd_die(PVD_EX_DATA, "list of more than %u items", UINT16_MAX);
	set(r, name, PVD_LIST, items, len, nitems);
}

void pvd_rec_set_null(struct pvd_record *r, const char *name)
{
	set(r, name, PVD_NULL, NULL, 0, 0);
}

void pvd_rec_set_long(struct pvd_record *r, const char *name, long long v)
{
	char b[32];
	int n = snprintf(b, sizeof b, "%lld", v);
	set(r, name, PVD_NUM, b, (size_t)n, 0);
}

void pvd_rec_set_bool(struct pvd_record *r, const char *name, int v)
{
	set(r, name, PVD_BOOL, v ? "true" : "false", v ? 4 : 5, 0);
}

int pvd_rec_del(struct pvd_record *r, const char *name)
{
	int i = pvd_rec_find(r, name);
	if (i < 0)
		return 0;
	memmove(&r->f[i], &r->f[i + 1], (r->n - (size_t)i - 1) * sizeof *r->f);
	r->n--;
	r->layout = 0;
	return 1;
}

void pvd_rec_rename(struct pvd_record *r, size_t i, const char *name)
{
	char *tmp;
	name = own(r, name, strlen(name), &tmp);
	uint32_t off = put(r, name, strlen(name));
	r->f[i].name = off;
	r->f[i].name_len = (uint32_t)strlen(name);
	r->layout = 0;
	free(tmp);
}

const char *pvd_list_first(const struct pvd_record *r, const struct pvd_field *f)
{
	return (f->kind == PVD_LIST && f->nitems > 0) ? r->arena + f->val : NULL;
}

const char *pvd_list_next(const struct pvd_record *r, const struct pvd_field *f, const char *item)
{
	const char *next = item + strlen(item) + 1;
	return next < r->arena + f->val + f->val_len + 1 ? next : NULL;
}

const char *pvd_rec_file(const struct pvd_record *r)
{
	const char *s = pvd_rec_str(r, "_file");
	return s ? s : "";
}

long pvd_rec_line(const struct pvd_record *r)
{
	const char *s = pvd_rec_str(r, "_line");
	return s ? pvd_line_parse(s) : 0;
}

long pvd_line_parse(const char *s)
{
	/* the usual "42" by hand (every reject and duplicate check asks); a
	 * longer number as strtol reads it.  What is no line number at all (a
	 * record typed by hand: "1e30", -5, "x", 1.5, past LONG_MAX) is 0,
	 * unknown, rather than a line it does not name. */
	long v = 0;
	size_t i = 0;
	for (; i < 18 && s[i] >= '0' && s[i] <= '9'; i++)
		v = v * 10 + (s[i] - '0');
	if (i && !s[i])
		return v;
	if (*s < '0' || *s > '9')
		return 0;
	char *end;
	errno = 0;
	v = strtol(s, &end, 10);
	return *end || errno ? 0 : v;
}
