#include "unit.h"
#include <string.h>

static const struct {
	const char *name;
	enum pvd_ukind kind;
} units[] = {
	{ "communes", PVD_UK_COUNT }, { "conventions", PVD_UK_COUNT }, { "collectivites", PVD_UK_COUNT },
	{ "postes", PVD_UK_COUNT },   { "structures", PVD_UK_COUNT },  { "personnes", PVD_UK_COUNT },
	{ "nombre", PVD_UK_COUNT },   { "eur", PVD_UK_EUR },           { "part", PVD_UK_PART },
	{ "moyenne", PVD_UK_MOYENNE },
};

int pvd_unit_kind(const char *unit, enum pvd_ukind *k)
{
	for (size_t i = 0; i < sizeof units / sizeof *units; i++)
		if (strcmp(units[i].name, unit) == 0) {
			*k = units[i].kind;
			return 0;
		}
	return -1;
}

int pvd_unit_is_count(const char *unit)
{
	enum pvd_ukind k;
	return pvd_unit_kind(unit, &k) == 0 && k == PVD_UK_COUNT;
}

const char *pvd_unit_name(size_t i)
{
	return i < sizeof units / sizeof *units ? units[i].name : NULL;
}
