/* jtree — JSON documents as trees with literal numbers (see jtree.h). */
#include "jtree.h"
#include "jsonlex.h"
#include "buf.h"
#include "input.h"
#include "textnorm.h"
#include "xmem.h"
#include <stdlib.h>
#include <string.h>

struct jp {
	const char *name;
	const char *s, *p, *end;
	long line;
	const char *bol; /* start of the current line */
	struct pvd_err *e;
	struct pvd_buf tmp;
};

static int fail(struct jp *z, const char *msg)
{
	return pvd_err_set(z->e, PVD_EX_DATA, z->name, z->line, (long)(z->p - z->bol) + 1, "%s", msg);
}

static void ws(struct jp *z)
{
	while (z->p < z->end) {
		char c = *z->p;
		if (c == '\n') {
			z->line++;
			z->bol = z->p + 1;
		} else if (c != ' ' && c != '\t' && c != '\r') {
			break;
		}
		z->p++;
	}
}

static struct pvd_jnode *node(struct jp *z, enum pvd_jtype t)
{
	struct pvd_jnode *n = xcalloc(1, sizeof *n);
	n->type = t;
	n->line = z->line;
	n->col = (long)(z->p - z->bol) + 1;
	return n;
}

/* A string at z->p (on the opening quote) into z->tmp. */
static int string(struct jp *z)
{
	const char *m = pvd_jlex_string(&z->p, z->end, &z->tmp, 1);
	return m ? fail(z, m) : 0;
}

static int number(struct jp *z, struct pvd_jnode *n)
{
	const char *s = z->p;
	const char *m = pvd_jlex_number(&z->p, z->end);
	if (m)
		return fail(z, m);
	n->len = (size_t)(z->p - s);
	n->text = xstrndup(s, n->len);
	return 0;
}

static int word(struct jp *z, const char *w)
{
	size_t l = strlen(w);
	if ((size_t)(z->end - z->p) < l || memcmp(z->p, w, l) != 0)
		return fail(z, "unexpected character");
	z->p += l;
	return 0;
}

static int value(struct jp *z, struct pvd_jnode **out, int depth);

static int container(struct jp *z, struct pvd_jnode *n, int depth)
{
	int obj = n->type == PVD_J_OBJ;
	char close = obj ? '}' : ']';
	size_t cap = 0, kcap = 0;
	z->p++;
	ws(z);
	if (z->p < z->end && *z->p == close) {
		z->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		if (obj) {
			ws(z);
			if (z->p >= z->end || *z->p != '"')
				return fail(z, "expected a key");
			int rc = string(z);
			if (rc)
				return rc;
			key = xstrdup(pvd_buf_str(&z->tmp));
			for (size_t i = 0; i < n->n; i++)
				if (strcmp(n->keys[i], key) == 0) {
					free(key);
					return fail(z, "duplicate key");
				}
			ws(z);
			if (z->p >= z->end || *z->p != ':') {
				free(key);
				return fail(z, "expected ':'");
			}
			z->p++;
			n->keys = xgrow(n->keys, &kcap, n->n + 1, sizeof *n->keys);
			n->keys[n->n] = key;
		}
		n->items = xgrow(n->items, &cap, n->n + 1, sizeof *n->items);
		n->items[n->n] = NULL;
		n->n++; /* counted now so that a failure below frees the key */
		int rc = value(z, &n->items[n->n - 1], depth + 1);
		if (rc)
			return rc;
		ws(z);
		if (z->p < z->end && *z->p == ',') {
			z->p++;
			continue;
		}
		if (z->p < z->end && *z->p == close) {
			z->p++;
			return 0;
		}
		return fail(z, obj ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

static int value(struct jp *z, struct pvd_jnode **out, int depth)
{
	ws(z);
	if (z->p >= z->end)
		return fail(z, "unexpected end of input");
	struct pvd_jnode *n;
	int rc;
	switch (*z->p) {
	case '{':
	case '[':
		if (depth >= PVD_JSON_MAXDEPTH)
			return fail(z, "arrays and objects nested more than " PVD_STR(PVD_JSON_MAXDEPTH) " deep");
		n = node(z, *z->p == '{' ? PVD_J_OBJ : PVD_J_ARR);
		*out = n;
		n->text = xstrdup("");
		return container(z, n, depth);
	case '"':
		n = node(z, PVD_J_STR);
		*out = n;
		if ((rc = string(z)))
			return rc;
		n->len = z->tmp.len;
		n->text = xstrndup(pvd_buf_str(&z->tmp), z->tmp.len);
		return 0;
	case 't':
	case 'f':
		n = node(z, PVD_J_BOOL);
		*out = n;
		n->text = xstrdup(*z->p == 't' ? "true" : "false");
		n->len = strlen(n->text);
		return word(z, n->text);
	case 'n':
		n = node(z, PVD_J_NULL);
		*out = n;
		n->text = xstrdup("");
		return word(z, "null");
	default:
		n = node(z, PVD_J_NUM);
		*out = n;
		return number(z, n);
	}
}

int pvd_jtree_parse(const char *name, const char *text, size_t n, struct pvd_jnode **root,
		    struct pvd_err *e)
{
	struct jp z = { .name = name, .s = text, .p = text, .end = text + n, .line = 1, .bol = text, .e = e };
	*root = NULL;
	if (n >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0)
		z.p += 3, z.bol += 3;
	int rc = value(&z, root, 0);
	if (!rc) {
		ws(&z);
		if (z.p != z.end)
			rc = fail(&z, "trailing characters after the document");
	}
	pvd_buf_free(&z.tmp);
	if (rc) {
		pvd_jnode_free(*root);
		*root = NULL;
	}
	return rc;
}

int pvd_jtree_load(const char *path, struct pvd_jnode **root, struct pvd_err *e)
{
	struct pvd_input in;
	*root = NULL;
	int rc = pvd_input_open_aux(&in, path, e);
	if (rc)
		return rc;
	struct pvd_buf b = { 0 };
	for (;;) {
		pvd_buf_reserve(&b, 1 << 16);
		ssize_t got = pvd_input_read(&in, b.p + b.len, b.cap - b.len - 1, e);
		if (got < 0) {
			rc = PVD_EX_IO;
			break;
		}
		if (got == 0)
			break;
		b.len += (size_t)got;
		b.p[b.len] = '\0';
	}
	if (!rc)
		rc = pvd_jtree_parse(in.name, pvd_buf_str(&b), b.len, root, e);
	pvd_input_close(&in);
	pvd_buf_free(&b);
	return rc;
}

void pvd_jnode_free(struct pvd_jnode *node)
{
	if (!node)
		return;
	for (size_t i = 0; i < node->n; i++) {
		pvd_jnode_free(node->items[i]);
		if (node->keys)
			free(node->keys[i]);
	}
	free(node->items);
	free(node->keys);
	free(node->text);
	free(node);
}

const struct pvd_jnode *pvd_j_get(const struct pvd_jnode *obj, const char *key)
{
	if (!obj || obj->type != PVD_J_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

const struct pvd_jnode *pvd_j_typed(const struct pvd_jnode *obj, const char *key, enum pvd_jtype t)
{
	const struct pvd_jnode *v = pvd_j_get(obj, key);
	return v && v->type == t ? v : NULL;
}

const char *pvd_j_str(const struct pvd_jnode *obj, const char *key)
{
	const struct pvd_jnode *v = pvd_j_typed(obj, key, PVD_J_STR);
	return v ? v->text : NULL;
}

const char *pvd_j_typename(enum pvd_jtype t)
{
	static const char *const names[] = { "null", "boolean", "number", "string", "array", "object" };
	return names[t];
}
