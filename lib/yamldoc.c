#include "yamldoc.h"
#include "xmem.h"
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

/* A config is small: these bound what an endless stream (a pipe, a runaway
 * generated file) may cost before it is refused. */
#define MAX_BYTES ((size_t)16 << 20)
#define MAX_NODES 1000000UL

struct ld {
	yaml_parser_t p;
	const char *name;
	struct pvd_err *e;
	FILE *f;                   /* pvd_ydoc_load's file, read through count_read */
	size_t bytes;
	int too_big;
	unsigned long nodes;
};

static int too_big(struct ld *l)
{
	return pvd_err_set(l->e, PVD_EX_CONFIG, l->name, 0, 0, "config file larger than %zu MiB",
			   MAX_BYTES >> 20);
}

/* libyaml's read handler: the file's bytes, refused past MAX_BYTES. */
static int count_read(void *data, unsigned char *buf, size_t size, size_t *got)
{
	struct ld *l = data;
	*got = fread(buf, 1, size, l->f);
	if (*got == 0 && ferror(l->f))
		return 0;
	l->bytes += *got;
	if (l->bytes > MAX_BYTES) {
		l->too_big = 1;
		return 0;
	}
	return 1;
}

static struct pvd_ynode *node_new(enum pvd_ytype t, const yaml_mark_t *m)
{
	struct pvd_ynode *n = xcalloc(1, sizeof *n);
	n->type = t;
	n->line = (long)m->line + 1;
	n->col = (long)m->column + 1;
	return n;
}

static void node_free(struct pvd_ynode *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n; i++) {
		node_free(n->items[i]);
		if (n->keys)
			free(n->keys[i]);
	}
	free(n->items);
	free(n->keys);
	free(n->key_lines);
	free(n->key_cols);
	free(n->str);
	free(n);
}

static int next(struct ld *l, yaml_event_t *ev)
{
	if (!yaml_parser_parse(&l->p, ev)) {
		if (l->too_big)
			return too_big(l);
		return pvd_err_set(l->e, PVD_EX_CONFIG, l->name, (long)l->p.problem_mark.line + 1,
				   (long)l->p.problem_mark.column + 1, "YAML syntax: %s%s%s",
				   l->p.problem ? l->p.problem : "error", l->p.context ? " " : "",
				   l->p.context ? l->p.context : "");
	}
	return 0;
}

/* Builds the node whose first event is *ev (consumed). */
static int build(struct ld *l, yaml_event_t *ev, struct pvd_ynode **out, int depth)
{
	int rc = 0;
	*out = NULL;
	if (depth > 100 || ++l->nodes > MAX_NODES) {
		/* the position is read before the event is freed (which clears it) */
		long line = (long)ev->start_mark.line + 1;
		yaml_event_delete(ev);
		if (depth > 100)
			return pvd_err_set(l->e, PVD_EX_CONFIG, l->name, line, 0, "YAML nested too deep");
		return pvd_err_set(l->e, PVD_EX_CONFIG, l->name, line, 0, "more than %lu YAML nodes",
				   MAX_NODES);
	}
	switch (ev->type) {
	case YAML_ALIAS_EVENT:
		rc = pvd_err_set(l->e, PVD_EX_CONFIG, l->name, (long)ev->start_mark.line + 1,
				 (long)ev->start_mark.column + 1, "YAML aliases are not supported in pvd configs");
		yaml_event_delete(ev);
		return rc;
	case YAML_SCALAR_EVENT: {
		struct pvd_ynode *n = node_new(PVD_Y_SCALAR, &ev->start_mark);
		n->str = xstrndup((const char *)ev->data.scalar.value, ev->data.scalar.length);
		n->quoted = ev->data.scalar.style == YAML_SINGLE_QUOTED_SCALAR_STYLE ||
			    ev->data.scalar.style == YAML_DOUBLE_QUOTED_SCALAR_STYLE;
		yaml_event_delete(ev);
		*out = n;
		return 0;
	}
	case YAML_SEQUENCE_START_EVENT:
	case YAML_MAPPING_START_EVENT: {
		int map = ev->type == YAML_MAPPING_START_EVENT;
		struct pvd_ynode *n = node_new(map ? PVD_Y_MAP : PVD_Y_SEQ, &ev->start_mark);
		size_t cap = 0, kcap = 0, lcap = 0, ccap = 0;
		yaml_event_delete(ev);
		for (;;) {
			yaml_event_t e2;
			if ((rc = next(l, &e2)))
				break;
			if (e2.type == YAML_SEQUENCE_END_EVENT || e2.type == YAML_MAPPING_END_EVENT) {
				yaml_event_delete(&e2);
				break;
			}
			if (map) {
				if (e2.type != YAML_SCALAR_EVENT) {
					rc = pvd_err_set(l->e, PVD_EX_CONFIG, l->name, (long)e2.start_mark.line + 1,
							 (long)e2.start_mark.column + 1, "mapping keys must be plain text");
					yaml_event_delete(&e2);
					break;
				}
				char *key = xstrndup((const char *)e2.data.scalar.value, e2.data.scalar.length);
				long kl = (long)e2.start_mark.line + 1, kc = (long)e2.start_mark.column + 1;
				yaml_event_delete(&e2);
				for (size_t i = 0; i < n->n; i++)
					if (strcmp(n->keys[i], key) == 0) {
						rc = pvd_err_set(l->e, PVD_EX_CONFIG, l->name, kl, kc, "duplicate key '%s'", key);
						break;
					}
				if (rc) {
					free(key);
					break;
				}
				n->keys = xgrow(n->keys, &kcap, n->n + 1, sizeof *n->keys);
				n->key_lines = xgrow(n->key_lines, &lcap, n->n + 1, sizeof *n->key_lines);
				n->key_cols = xgrow(n->key_cols, &ccap, n->n + 1, sizeof *n->key_cols);
				n->keys[n->n] = key;
				n->key_lines[n->n] = kl;
				n->key_cols[n->n] = kc;
				if ((rc = next(l, &e2))) {
					free(key);
					break;
				}
			}
			struct pvd_ynode *child;
			if ((rc = build(l, &e2, &child, depth + 1))) {
				if (map)
					free(n->keys[n->n]);
				break;
			}
			n->items = xgrow(n->items, &cap, n->n + 1, sizeof *n->items);
			n->items[n->n++] = child;
		}
		if (rc) {
			node_free(n);
			return rc;
		}
		*out = n;
		return 0;
	}
	default:
		rc = pvd_err_set(l->e, PVD_EX_CONFIG, l->name, (long)ev->start_mark.line + 1, 0,
				 "unexpected YAML event");
		yaml_event_delete(ev);
		return rc;
	}
}

static int load(struct pvd_ydoc *d, struct ld *l)
{
	yaml_event_t ev;
	int rc;
	d->root = NULL;
	/* stream start, document start (or stream end) */
	while ((rc = next(l, &ev)) == 0) {
		yaml_event_type_t t = ev.type;
		if (t == YAML_STREAM_START_EVENT || t == YAML_DOCUMENT_START_EVENT) {
			yaml_event_delete(&ev);
			continue;
		}
		if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (d->root) {
			yaml_event_delete(&ev);
			return pvd_err_set(l->e, PVD_EX_CONFIG, l->name, 0, 0, "more than one YAML document");
		}
		if ((rc = build(l, &ev, &d->root, 0)))
			return rc;
	}
	return rc;
}

int pvd_ydoc_parse(struct pvd_ydoc *d, const char *name, const char *text, size_t len,
		   struct pvd_err *e)
{
	struct ld l = { .name = name, .e = e };
	d->file = xstrdup(name);
	d->root = NULL;
	if (len > MAX_BYTES) {
		int rc = too_big(&l);
		pvd_ydoc_free(d);
		return rc;
	}
	yaml_parser_initialize(&l.p);
	yaml_parser_set_input_string(&l.p, (const unsigned char *)text, len);
	int rc = load(d, &l);
	yaml_parser_delete(&l.p);
	if (rc)
		pvd_ydoc_free(d);   /* a failed load holds nothing: callers need not free it */
	return rc;
}

int pvd_ydoc_load(struct pvd_ydoc *d, const char *path, struct pvd_err *e)
{
	memset(d, 0, sizeof *d);
	FILE *f = fopen(path, "rb");
	if (!f)
		return pvd_err_set(e, PVD_EX_NOINPUT, path, 0, 0, "cannot open: %s", strerror(errno));
	struct ld l = { .name = path, .e = e, .f = f };
	d->file = xstrdup(path);
	yaml_parser_initialize(&l.p);
	yaml_parser_set_input(&l.p, count_read, &l);
	int rc = load(d, &l);
	yaml_parser_delete(&l.p);
	fclose(f);
	if (rc)
		pvd_ydoc_free(d);
	return rc;
}

void pvd_ydoc_free(struct pvd_ydoc *d)
{
	node_free(d->root);
	free(d->file);
	d->root = NULL;
	d->file = NULL;
}

struct pvd_ynode *pvd_y_get(const struct pvd_ynode *map, const char *key)
{
	if (!map || map->type != PVD_Y_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++)
		if (strcmp(map->keys[i], key) == 0)
			return map->items[i];
	return NULL;
}

const char *pvd_y_str(const struct pvd_ynode *map, const char *key)
{
	struct pvd_ynode *n = pvd_y_get(map, key);
	return n && n->type == PVD_Y_SCALAR ? n->str : NULL;
}

int pvd_y_error(struct pvd_err *e, const struct pvd_ydoc *d, const struct pvd_ynode *node,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pvd_err_vset(e, PVD_EX_CONFIG, d->file, node ? node->line : 0, node ? node->col : 0, fmt, ap);
	va_end(ap);
	return PVD_EX_CONFIG;
}

static const char *tname(enum pvd_ytype t)
{
	return t == PVD_Y_SCALAR ? "a value" : t == PVD_Y_SEQ ? "a list" : "a mapping";
}

struct pvd_ynode *pvd_y_need(const struct pvd_ydoc *d, const struct pvd_ynode *map, const char *key,
			     enum pvd_ytype type, struct pvd_err *e)
{
	struct pvd_ynode *n = pvd_y_get(map, key);
	if (!n) {
		pvd_y_error(e, d, map, "'%s' is required", key);
		return NULL;
	}
	if (n->type != type) {
		pvd_y_error(e, d, n, "'%s' must be %s", key, tname(type));
		return NULL;
	}
	return n;
}

int pvd_y_check_keys(const struct pvd_ydoc *d, const struct pvd_ynode *map,
		     const char *const *allowed, struct pvd_err *e)
{
	if (!map || map->type != PVD_Y_MAP)
		return 0;
	for (size_t i = 0; i < map->n; i++) {
		int ok = 0;
		for (const char *const *a = allowed; *a && !ok; a++)
			ok = strcmp(*a, map->keys[i]) == 0;
		if (!ok)
			return pvd_err_set(e, PVD_EX_CONFIG, d->file, map->key_lines[i], map->key_cols[i],
					   "unknown key '%s'", map->keys[i]);
	}
	return 0;
}

int pvd_y_choice(const struct pvd_ynode *n, const char *const *names)
{
	for (int i = 0; n->type == PVD_Y_SCALAR && names[i]; i++)
		if (strcmp(n->str, names[i]) == 0)
			return i;
	return -1;
}

int pvd_y_bool(const struct pvd_ydoc *d, const struct pvd_ynode *n, const char *what, int *v,
	       struct pvd_err *e)
{
	static const char *const words[] = { "false", "no", "true", "yes", NULL };
	int k = pvd_y_choice(n, words);
	if (k < 0)
		return pvd_y_error(e, d, n, "%s must be true or false", what);
	*v = k >= 2;
	return 0;
}
