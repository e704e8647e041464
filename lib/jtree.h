/* jtree — a whole JSON document read into a tree that keeps every number as
 * its literal text.
 *
 * jansson turns "3076335.49" into a double; the documents pvd-render reads
 * back (the previous quarter's dashboard document, the runner's provenance
 * file) carry exact amounts, so they are read here instead: numbers stay
 * text, to be parsed exactly by money.h / frfmt.h, and are written back
 * verbatim.  Strings are unescaped UTF-8 (invalid UTF-8 and \u0000 are
 * refused); duplicate keys are refused; nesting is limited to 64 levels.
 * Every node knows its line and column for error messages.
 *
 * OWNERSHIP: pvd_jtree_load/parse return a tree the caller frees with
 * pvd_jnode_free(root); every pointer into it (nodes, keys, text) is borrowed
 * from the tree. */
#ifndef PVD_JTREE_H
#define PVD_JTREE_H
#include "diag.h"
#include <stddef.h>

enum pvd_jtype { PVD_J_NULL, PVD_J_BOOL, PVD_J_NUM, PVD_J_STR, PVD_J_ARR, PVD_J_OBJ };

struct pvd_jnode {
	enum pvd_jtype type;
	char *text;               /* STR: unescaped; NUM: the literal; BOOL: "true"/"false"; else "" */
	size_t len;               /* length of text */
	size_t n;                 /* ARR/OBJ: number of items */
	struct pvd_jnode **items; /* ARR: elements; OBJ: values */
	char **keys;              /* OBJ: keys, in document order */
	long line, col;           /* 1-based position of the value */
};

/* Reads the file at path.  Returns 0, PVD_EX_NOINPUT (cannot open),
 * PVD_EX_IO, or PVD_EX_DATA for a syntax error (e names file:line:col). */
int pvd_jtree_load(const char *path, struct pvd_jnode **root, struct pvd_err *e);
/* Parses text (n bytes); name is used in messages. */
int pvd_jtree_parse(const char *name, const char *text, size_t n, struct pvd_jnode **root,
		    struct pvd_err *e);
void pvd_jnode_free(struct pvd_jnode *node);

/* Object member by key (NULL when node is not an object or has no such key). */
const struct pvd_jnode *pvd_j_get(const struct pvd_jnode *obj, const char *key);
/* Member of a given type, or NULL. */
const struct pvd_jnode *pvd_j_typed(const struct pvd_jnode *obj, const char *key, enum pvd_jtype t);
/* Text of a string member, or NULL. */
const char *pvd_j_str(const struct pvd_jnode *obj, const char *key);
/* "string", "number"...: for messages. */
const char *pvd_j_typename(enum pvd_jtype t);
#endif
