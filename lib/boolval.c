#include "boolval.h"
#include "textnorm.h"
#include <string.h>

static const struct { const char *key; int v; } words[] = {
	{ "oui", PVD_BOOL_TRUE }, { "o", PVD_BOOL_TRUE }, { "x", PVD_BOOL_TRUE },
	{ "1", PVD_BOOL_TRUE }, { "true", PVD_BOOL_TRUE }, { "vrai", PVD_BOOL_TRUE },
	{ "yes", PVD_BOOL_TRUE }, { "y", PVD_BOOL_TRUE },
	{ "non", PVD_BOOL_FALSE }, { "n", PVD_BOOL_FALSE }, { "0", PVD_BOOL_FALSE },
	{ "false", PVD_BOOL_FALSE }, { "faux", PVD_BOOL_FALSE }, { "no", PVD_BOOL_FALSE },
	{ "inconnu", PVD_BOOL_UNKNOWN }, { "nsp", PVD_BOOL_UNKNOWN },
	{ "nesaitpas", PVD_BOOL_UNKNOWN }, { "nc", PVD_BOOL_UNKNOWN },
	{ "noncommunique", PVD_BOOL_UNKNOWN }, { "nr", PVD_BOOL_UNKNOWN },
	{ "nonrenseigne", PVD_BOOL_UNKNOWN },
};

int pvd_bool_parse(const char *s, size_t n)
{
	n = pvd_trim(&s, n);
	if (n == 0)
		return PVD_BOOL_UNKNOWN;
	if (n > 32)
		return PVD_BOOL_BAD;
	/* Folding into a stack buffer: this runs once per field per record. */
	char tmp[160];
	struct pvd_buf b = { tmp, 0, sizeof tmp };
	tmp[0] = '\0';
	pvd_fold(s, n, 0, &b);
	int v = PVD_BOOL_BAD;
	if (b.len == 0)
		v = PVD_BOOL_UNKNOWN;
	for (size_t i = 0; v == PVD_BOOL_BAD && i < sizeof words / sizeof *words; i++)
		if (strcmp(b.p, words[i].key) == 0)
			v = words[i].v;
	return v;
}
