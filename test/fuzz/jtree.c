/* jtree — the document reader (the previous dashboard document, the
 * provenance file) on any bytes.  A tree that parses is walked whole: every
 * node's text is read, every object member is found again by its key. */
#include "fuzz.h"
#include "jtree.h"
#include <stdlib.h>
#include <string.h>

static size_t walk(const struct pvd_jnode *n, int depth)
{
	if (depth > 1000)
		abort();
	size_t sum = n->len ? (unsigned char)n->text[n->len - 1] : 0;
	if (strlen(n->text) != n->len)
		abort();
	for (size_t i = 0; i < n->n; i++) {
		sum += walk(n->items[i], depth + 1);
		if (n->type == PVD_J_OBJ && pvd_j_get(n, n->keys[i]) != n->items[i])
			abort();   /* keys are unique: the lookup finds this member */
	}
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pvd_jnode *root = NULL;
	struct pvd_err e = { 0 };
	if (pvd_jtree_parse("fuzz.json", (const char *)data, size, &root, &e) == 0) {
		volatile size_t s = walk(root, 0);
		(void)s;
		pvd_jnode_free(root);
	}
	return 0;
}
