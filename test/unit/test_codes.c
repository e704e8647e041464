/* INSEE commune codes, département codes, SIREN/SIRET and yes/no answers.
 * SIRENs are real ones of the PVD list (EPCI) or computed by hand with the
 * Luhn rule; La Poste's numbers follow INSEE's published exception. */
#include "check.h"
#include "boolval.h"
#include "codes.h"
#include <stdio.h>

static const char *show(int rc, const char *code, const char *why, char *buf, size_t n)
{
	if (rc == PVD_CODE_OK)
		snprintf(buf, n, "%s", code);
	else
		snprintf(buf, n, "%s%s%s", rc == PVD_CODE_EMPTY ? "EMPTY" : rc == PVD_CODE_BAD ? "BAD" : "AMBIGUOUS",
			 why ? ": " : "", why ? why : "");
	return buf;
}

static const char *insee(const char *s, char *buf, size_t n)
{
	char c[6];
	const char *why = NULL;
	int rc = pvd_insee_norm(s, strlen(s), c, &why);
	return show(rc, c, why, buf, n);
}

static const char *dep(const char *s, char *buf, size_t n)
{
	char c[4];
	const char *why = NULL;
	int rc = pvd_dep_norm(s, strlen(s), c, &why);
	return show(rc, c, why, buf, n);
}

static const char *siren(const char *s, unsigned flags, char *buf, size_t n)
{
	char c[10];
	const char *why = NULL;
	int rc = pvd_siren_norm(s, strlen(s), flags, c, &why);
	return show(rc, c, why, buf, n);
}

int main(void)
{
	char b[160];
	static const struct { const char *in, *want; } ti[] = {
		{ "01004", "01004" },
		{ "1004", "01004" },                 /* a spreadsheet ate the zero */
		{ "1004.0", "01004" },
		{ "01004.00", "01004" },
		{ " 01004 ", "01004" },
		{ "2A004", "2A004" },
		{ "2a004", "2A004" },
		{ "2B033", "2B033" },
		{ "2b033", "2B033" },
		{ "97101", "97101" },
		{ "97611", "97611" },                /* Mayotte */
		{ "97502", "97502" },                /* Saint-Pierre-et-Miquelon */
		{ "98735", "98735" },                /* Polynésie */
		{ "75056", "75056" },
		{ "75101", "75101" },                /* an arrondissement: well formed, join decides */
		{ "95690", "95690" },
		{ "29019", "29019" },
		{ "20004", "AMBIGUOUS: Corsica before 1976: 2A or 2B?" },
		{ "20100", "AMBIGUOUS: Corsica before 1976: 2A or 2B?" },
		{ "999999", "BAD: too long" },
		{ "99999", "BAD: no such département" },    /* 99: abroad */
		{ "99100", "BAD: no such département" },
		{ "96001", "BAD: no such département" },
		{ "00123", "BAD: no such département" },
		{ "97901", "BAD: no such département" },
		{ "98901", "BAD: no such département" },
		{ "123", "BAD: too short" },
		{ "1", "BAD: too short" },
		{ "2C004", "BAD" },
		{ "ABCDE", "BAD" },
		{ "0100A", "BAD" },
		{ "01 004", "BAD: too long" },
		{ "1004.5", "BAD: too long" },
		{ "", "EMPTY" },
		{ "   ", "EMPTY" },
	};
	for (size_t i = 0; i < sizeof ti / sizeof *ti; i++)
		CHECK_STR(insee(ti[i].in, b, sizeof b), ti[i].want, "insee \"%s\"", ti[i].in);

	static const struct { const char *in, *want; } td[] = {
		{ "1", "01" }, { "01", "01" }, { "001", "01" }, { "1.0", "01" }, { "19", "19" }, { "019", "19" },
		{ "95", "95" }, { "2A", "2A" }, { "2a", "2A" }, { "02A", "2A" }, { "2b", "2B" }, { "002B", "2B" },
		{ "20A", "2A" }, { "20B", "2B" },
		{ "971", "971" }, { "0971", "971" }, { "976", "976" }, { "988", "988" },
		{ "20", "AMBIGUOUS: Corsica: 2A or 2B?" }, { "020", "AMBIGUOUS: Corsica: 2A or 2B?" },
		{ "0", "BAD" }, { "00", "BAD" }, { "96", "BAD" }, { "99", "BAD" }, { "979", "BAD" }, { "989", "BAD" },
		{ "100", "BAD" }, { "2C", "BAD" }, { "9A", "BAD" }, { "Ain", "BAD" }, { "", "EMPTY" },
	};
	for (size_t i = 0; i < sizeof td / sizeof *td; i++)
		CHECK_STR(dep(td[i].in, b, sizeof b), td[i].want, "dep \"%s\"", td[i].in);

	static const struct { const char *in; unsigned flags; const char *want; } ts[] = {
		{ "200073344", 0, "200073344" },                 /* CA Rambouillet Territoires */
		{ "200 073 344", 0, "200073344" },
		{ "200\xC2\xA0" "073\xC2\xA0" "344", 0, "200073344" },
		{ "242900314", 0, "242900314" },                 /* Brest Métropole */
		{ "732829320", 0, "732829320" },
		{ "200073344.0", 0, "200073344" },
		{ "200073345", 0, "BAD: bad SIREN check digit" },
		{ "200073434", 0, "BAD: bad SIREN check digit" },       /* two digits swapped */
		{ "20007334", 0, "BAD: a SIREN has 9 digits" },
		{ "0", 0, "BAD: a SIREN has 9 digits" },
		{ "2000733441", 0, "BAD: a SIREN has 9 digits" },
		{ "20007334A", 0, "BAD" },
		{ "73282932000074", PVD_SIREN_SIRET, "732829320" },      /* INSEE's example SIRET */
		{ "732 829 320 00074", PVD_SIREN_SIRET, "732829320" },
		{ "73282932000074", 0, "BAD: a SIRET: the source profile can say 'siret: true'" },
		{ "73282932000075", PVD_SIREN_SIRET, "BAD: bad SIRET check digit" },
		{ "356000000", 0, "356000000" },                 /* La Poste: Luhn holds for the SIREN */
		{ "35600000000048", PVD_SIREN_SIRET, "356000000" },      /* head office: Luhn */
		{ "35600000049837", PVD_SIREN_SIRET, "356000000" },      /* digit sum 45, not Luhn */
		{ "35600000012346", PVD_SIREN_SIRET, "356000000" },      /* digit sum 35, not Luhn */
		{ "35600000012345", PVD_SIREN_SIRET, "BAD: bad SIRET check digit" }, /* sum 34 */
		{ "35600000112346", PVD_SIREN_SIRET, "BAD: bad SIRET check digit" }, /* sum 31 */
		{ "", 0, "EMPTY" },
		{ "123456789012345", PVD_SIREN_SIRET, "BAD: too many digits" },
	};
	for (size_t i = 0; i < sizeof ts / sizeof *ts; i++)
		CHECK_STR(siren(ts[i].in, ts[i].flags, b, sizeof b), ts[i].want, "siren \"%s\"%s", ts[i].in,
			  ts[i].flags ? " (siret: true)" : "");

	/* The La Poste rule on its own: digit sums computed here, independently. */
	static const char *const poste[] = { "35600000049837", "35600000012345", "35600000012346",
		"35600000000048" };
	for (size_t i = 0; i < 4; i++) {
		int sum = 0;
		for (int k = 0; k < 14; k++)
			sum += poste[i][k] - '0';
		CHECK_INT(pvd_siret_ok(poste[i]), sum % 5 == 0 || pvd_luhn_ok(poste[i], 14),
			  "La Poste SIRET %s (digit sum %d)", poste[i], sum);
	}
	CHECK(pvd_luhn_ok("356000000", 9), "SIREN 356000000 passes Luhn");
	CHECK(!pvd_luhn_ok("35600000049837", 14), "35600000049837 fails Luhn (only La Poste's rule takes it)");

	static const struct { const char *in; int want; } tb[] = {
		{ "Oui", PVD_BOOL_TRUE }, { "OUI", PVD_BOOL_TRUE }, { " oui ", PVD_BOOL_TRUE }, { "O", PVD_BOOL_TRUE },
		{ "x", PVD_BOOL_TRUE }, { "X", PVD_BOOL_TRUE }, { "1", PVD_BOOL_TRUE }, { "true", PVD_BOOL_TRUE },
		{ "TRUE", PVD_BOOL_TRUE }, { "Vrai", PVD_BOOL_TRUE }, { "yes", PVD_BOOL_TRUE }, { "Oui.", PVD_BOOL_TRUE },
		{ "Non", PVD_BOOL_FALSE }, { "NON", PVD_BOOL_FALSE }, { "N", PVD_BOOL_FALSE }, { "0", PVD_BOOL_FALSE },
		{ "false", PVD_BOOL_FALSE }, { "Faux", PVD_BOOL_FALSE }, { "no", PVD_BOOL_FALSE },
		{ "Inconnu", PVD_BOOL_UNKNOWN }, { "NSP", PVD_BOOL_UNKNOWN }, { "Ne sait pas", PVD_BOOL_UNKNOWN },
		{ "", PVD_BOOL_UNKNOWN }, { "?", PVD_BOOL_UNKNOWN }, { "-", PVD_BOOL_UNKNOWN },
		{ "Peut-être", PVD_BOOL_BAD }, { "2", PVD_BOOL_BAD }, { "Ouiii", PVD_BOOL_BAD },
	};
	for (size_t i = 0; i < sizeof tb / sizeof *tb; i++)
		CHECK_INT(pvd_bool_parse(tb[i].in, strlen(tb[i].in)), tb[i].want, "bool \"%s\"", tb[i].in);
	return check_done();
}
