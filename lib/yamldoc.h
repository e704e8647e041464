/* yamldoc — YAML configuration files loaded into a small tree that keeps the
 * line and column of every node, so that every config error names
 * FILE:LINE:COL.  Profiles, schemas, indicators and pipelines all read their
 * YAML through this.  Anchors/aliases are refused (configs stay explicit). */
#ifndef PVD_YAMLDOC_H
#define PVD_YAMLDOC_H
#include "diag.h"
#include <stddef.h>

enum pvd_ytype { PVD_Y_SCALAR, PVD_Y_SEQ, PVD_Y_MAP };

struct pvd_ynode {
	enum pvd_ytype type;
	char *str;                 /* SCALAR: the text (never NULL) */
	int quoted;                /* SCALAR: written in quotes (so "null" is text) */
	size_t n;                  /* SEQ/MAP: number of items */
	struct pvd_ynode **items;  /* SEQ: items; MAP: values */
	char **keys;               /* MAP: keys (scalars) */
	long *key_lines, *key_cols;
	long line, col;            /* 1-based position in the file */
};

struct pvd_ydoc {
	char *file;
	struct pvd_ynode *root;    /* NULL for an empty document */
};

/* Loads path.  Returns 0 or PVD_EX_CONFIG (syntax error, with position) /
 * PVD_EX_NOINPUT (cannot open, reported as a config error by callers that
 * want 78).  A failed load holds nothing (pvd_ydoc_free() on it is harmless,
 * and not needed). */
int pvd_ydoc_load(struct pvd_ydoc *d, const char *path, struct pvd_err *e);
/* Same from a string (tests); name is used in messages. */
int pvd_ydoc_parse(struct pvd_ydoc *d, const char *name, const char *text, size_t len,
		   struct pvd_err *e);
void pvd_ydoc_free(struct pvd_ydoc *d);

/* Map lookup; NULL if node is not a map or has no such key. */
struct pvd_ynode *pvd_y_get(const struct pvd_ynode *map, const char *key);
/* Scalar text of map[key], or NULL. */
const char *pvd_y_str(const struct pvd_ynode *map, const char *key);

/* Config-error helper: fills e with PVD_EX_CONFIG at node's position. */
int pvd_y_error(struct pvd_err *e, const struct pvd_ydoc *d, const struct pvd_ynode *node,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Requires map[key] of the given type; fills e and returns NULL when absent
 * or of another type. */
struct pvd_ynode *pvd_y_need(const struct pvd_ydoc *d, const struct pvd_ynode *map, const char *key,
			     enum pvd_ytype type, struct pvd_err *e);
/* Checks that map has no key outside the NULL-terminated list `allowed`
 * (catches typos in configs).  Returns 0 or PVD_EX_CONFIG. */
int pvd_y_check_keys(const struct pvd_ydoc *d, const struct pvd_ynode *map,
		     const char *const *allowed, struct pvd_err *e);
/* Index of a scalar's text in the NULL-terminated list names; -1 when it is
 * none of them, or not a scalar. */
int pvd_y_choice(const struct pvd_ynode *n, const char *const *names);
/* A yes/no value: true or yes (1), false or no (0) into *v; anything else
 * is "WHAT must be true or false" at n (PVD_EX_CONFIG). */
int pvd_y_bool(const struct pvd_ydoc *d, const struct pvd_ynode *n, const char *what, int *v,
	       struct pvd_err *e);
#endif
