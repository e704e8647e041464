/* Unit tests of pvd-join's modules: name keys, département codes, value
 * shapes (communeidx, reftable), loading the fixture tables with their
 * faults, the index built from them, and the engine in its three modes.
 * Fixtures: fixtures/join/cog-mini/ and fixtures/join/pvd-mini.csv (see
 * fixtures/join/PROVENANCE.md). */
#include "check.h"
#include "communeidx.h"
#include "join.h"
#include "joinfields.h"
#include "ndjson.h"
#include "reftable.h"
#include <stdlib.h>

#define COG "fixtures/join/cog-mini"
#define LIST "fixtures/join/pvd-mini.csv"

static void test_keys(void)
{
	static const struct { const char *in, *full, *bare; int art; } t[] = {
		{ "Saint-Jean-de-Luz", "saint jean de luz", "saint jean de luz", 0 },
		{ "St Jean de Luz", "saint jean de luz", "saint jean de luz", 0 },
		{ "ST-JEAN-DE-LUZ", "saint jean de luz", "saint jean de luz", 0 },
		{ "Ste-Livrade-sur-Lot", "sainte livrade sur lot", "sainte livrade sur lot", 0 },
		{ "Stes-Maries-de-la-Mer", "saintes maries de la mer", "saintes maries de la mer", 0 },
		{ "Stenay", "stenay", "stenay", 0 },                 /* not an abbreviation */
		{ "Le Hom", "le hom", "hom", 1 },
		{ "L'Abergement-Clémenciat", "l abergement clemenciat", "abergement clemenciat", 1 },
		{ "Abergement-Clémenciat (L')", "l abergement clemenciat", "abergement clemenciat", 1 },
		{ "Abergement-Clémenciat (la)", "la abergement clemenciat", "abergement clemenciat", 1 },
		{ "Mareuil (Dordogne)", "mareuil dordogne", "mareuil dordogne", 0 },
		{ "Les Abymes", "les abymes", "abymes", 1 },
		{ "La", "la", "la", 0 },                             /* an article alone is the name */
		{ "Lesparre-Médoc", "lesparre medoc", "lesparre medoc", 0 },
		{ "  Vergné  ", "vergne", "vergne", 0 },
		{ "Œuilly", "oeuilly", "oeuilly", 0 },
		{ "", "", "", 0 },
	};
	struct pvd_buf full = { 0 }, bare = { 0 }, tmp = { 0 };
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		int art = -1;
		pvd_name_keys(t[i].in, strlen(t[i].in), &full, &bare, &art, &tmp);
		CHECK_STR(pvd_buf_str(&full), t[i].full, "full key of \"%s\"", t[i].in);
		CHECK_STR(pvd_buf_str(&bare), t[i].bare, "bare key of \"%s\"", t[i].in);
		CHECK_INT(art, t[i].art, "article in \"%s\"", t[i].in);
	}
	pvd_buf_free(&full);
	pvd_buf_free(&bare);
	pvd_buf_free(&tmp);
}

static void test_deps(void)
{
	static const struct { const char *in, *out; } t[] = {
		{ "01", "01" }, { "1", "01" }, { "001", "01" }, { " 62 ", "62" }, { "2A", "2A" },
		{ "2a", "2A" }, { "02A", "2A" }, { "2b", "2B" }, { "971", "971" }, { "976", "976" },
		{ "20", "20" }, { "099", "99" },
		{ "", NULL }, { "1234", NULL }, { "2C", NULL }, { "A1", NULL }, { "123", NULL }, { "0", "00" },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		char out[4] = "";
		int rc = pvd_dep_canon(t[i].in, strlen(t[i].in), out);
		CHECK_STR(rc == 0 ? out : NULL, t[i].out, "département \"%s\"", t[i].in);
	}
}

static void test_shapes(void)
{
	CHECK(pvd_is_insee("01001", 5), "01001 is a commune code");
	CHECK(pvd_is_insee("2A004", 5) && pvd_is_insee("2B033", 5), "Corsican codes");
	CHECK(!pvd_is_insee("2C004", 5) && !pvd_is_insee("999999", 6) && !pvd_is_insee("1004", 4),
	      "2C004, 999999, 1004 are not");
	CHECK(!pvd_is_insee("2a004", 5), "lower-case 2a is not (the engine upper-cases first)");
	CHECK(pvd_is_siren("200067205", 9) && !pvd_is_siren("20006720", 8) && !pvd_is_siren("20006720X", 9),
	      "SIREN: 9 digits");
	CHECK(pvd_is_dep("971", 3) && pvd_is_dep("988", 3) && !pvd_is_dep("970", 3) && !pvd_is_dep("123", 3),
	      "overseas départements 971..989 only");
}

static const char *warning(const struct pvd_reflog *log, const char *needle)
{
	for (size_t i = 0; i < log->n; i++)
		if (strstr(log->w[i].msg, needle))
			return log->w[i].msg;
	return NULL;
}

static long warning_line(const struct pvd_reflog *log, const char *needle)
{
	for (size_t i = 0; i < log->n; i++)
		if (strstr(log->w[i].msg, needle))
			return log->w[i].line;
	return -1;
}

static void test_tables(void)
{
	struct pvd_reftab t;
	struct pvd_reflog log = { 0 };
	struct pvd_err e = { 0 };
	/* pvd-mini.csv: Windows-1252, ';', CRLF, a quoted cell over two lines */
	CHECK_INT(pvd_reftab_load(&t, PVD_TAB_PVD, LIST, &log, &e), 0, "the mini list loads");
	CHECK_INT(t.nrows, 9, "9 data rows (skipped ones counted)");
	CHECK_INT(t.nskipped, 3, "3 rows skipped by the loader (junk code, no code, short row)");
	CHECK_STR(pvd_reftab_get(&t, 0, PVD_PVD_NOM), "L'Abergement-Clémenciat", "Windows-1252 decoded");
	CHECK_STR(pvd_reftab_colname(&t, PVD_PVD_CODE), "Code INSEE", "header found by its folded name");
	CHECK(pvd_reftab_get(&t, 3, PVD_PVD_ID) == NULL, "NA is a missing value");
	CHECK_INT(t.line[5], 7, "the row with a quoted newline starts on line 7");
	CHECK_INT(t.line[6], 9, "and the next one on line 9");
	CHECK_STR(pvd_reftab_get(&t, 5, PVD_PVD_NOM), "Ajaccio\n(chef-lieu)", "quoted newline kept (CRLF read as LF)");
	CHECK(t.skip[2] && warning(&log, "not a commune code: \"999999\" (row skipped)"), "junk code skipped with a warning");
	CHECK_INT(warning_line(&log, "999999"), 4, "at its line");
	CHECK(warning(&log, "row has 3 cells, the header has 4"), "short row warned");
	CHECK(warning(&log, "missing on 2 rows (first here)"), "one summary warning for the missing ids");
	CHECK_INT(warning_line(&log, "missing on 2 rows"), 5, "at the first missing id");
	pvd_reftab_free(&t);
	pvd_reflog_free(&log);

	/* a list without a code column cannot be used */
	CHECK_INT(pvd_reftab_load(&t, PVD_TAB_PVD, "fixtures/join/pvd-no-code.csv", &log, &e), PVD_EX_CONFIG,
		  "no code column: config error");
	CHECK(strstr(e.msg, "no column insee_com") != NULL, "naming the column: %s", e.msg);
	CHECK_INT(e.line, 1, "at line 1");
	pvd_reftab_free(&t);
	CHECK_INT(pvd_reftab_load(&t, PVD_TAB_PVD, "fixtures/join/absent.csv", &log, &e), PVD_EX_CONFIG,
		  "absent file: config error");
	pvd_reftab_free(&t);
	pvd_reflog_free(&log);
}

static struct pvd_reflog idx_log;

static void build_mini(struct pvd_cidx *x)
{
	static const char *const files[] = { "communes", "anciens_codes", "deleguees_associees", "epci",
					     "departements", "regions" };
	static const enum pvd_reftab_kind kinds[] = { PVD_TAB_COMMUNES, PVD_TAB_OLDCODES, PVD_TAB_SUBS,
						      PVD_TAB_EPCI, PVD_TAB_DEPS, PVD_TAB_REGS };
	struct pvd_reftab t[6], list;
	struct pvd_err e = { 0 };
	char path[256];
	for (int i = 0; i < 6; i++) {
		snprintf(path, sizeof path, COG "/%s.csv", files[i]);
		pvd_reftab_load(&t[i], kinds[i], path, &idx_log, &e);
	}
	struct pvd_cog_tabs ct = { &t[0], &t[1], &t[2], &t[3], &t[4], &t[5] };
	pvd_cidx_init(x);
	pvd_cidx_build(x, &ct, &idx_log);
	pvd_reftab_load(&list, PVD_TAB_PVD, LIST, &idx_log, &e);
	pvd_cidx_set_pvd(x, &list, &idx_log);
	for (int i = 0; i < 6; i++)
		pvd_reftab_free(&t[i]);
	pvd_reftab_free(&list);
}

static const char *code_of(const struct pvd_cidx *x, const char *code, enum pvd_code_hit *hit)
{
	int32_t c = pvd_cidx_code(x, code, strlen(code), hit);
	return c < 0 ? NULL : x->c[c].code;
}

static void test_index(void)
{
	struct pvd_cidx x;
	build_mini(&x);
	enum pvd_code_hit hit;
	CHECK_INT(x.nc, 10, "10 communes (duplicate, bad département and short row skipped)");
	CHECK_STR(code_of(&x, "01001", &hit), "01001", "current code");
	CHECK_INT(hit, PVD_HIT_CODE, "found as a current code");
	CHECK_STR(code_of(&x, "01003", &hit), "01165", "old code → current commune");
	CHECK_INT(hit, PVD_HIT_OLD, "found as an old code");
	CHECK_STR(code_of(&x, "01777", &hit), "01165", "old code of an old code → current commune");
	CHECK_STR(code_of(&x, "13203", &hit), "13055", "arrondissement → its commune");
	CHECK_INT(hit, PVD_HIT_ARM, "found as an arrondissement");
	CHECK(code_of(&x, "01888", &hit) == NULL, "old code leading to a skipped row: not kept");
	CHECK(code_of(&x, "01999", &hit) == NULL, "a skipped commune row is not indexed");
	CHECK(!pvd_cidx_code(&x, "1001", 4, &hit) || hit == PVD_HIT_NONE, "a malformed code finds nothing");
	CHECK(warning(&idx_log, "duplicate code 01165 (first at line 3)"), "duplicate code warned");
	CHECK(warning(&idx_log, "01001 is a current commune code, not an old one"), "old code that is current warned");
	CHECK(warning(&idx_log, "old code 01003 already leads to 01165"), "conflicting old code warned");
	CHECK(warning(&idx_log, "01555 leads to no current commune"), "orphan delegated commune warned");
	CHECK(warning(&idx_log, "EPCI 200069193: 36 communes, the commune table has 1"), "EPCI size checked");
	CHECK(warning(&idx_log, "département 62 of the commune table is missing"), "département table checked");

	/* the PVD list: 01001 and 01003 (→ 01165) share one id; 01165 again is
	 * a duplicate; 62447 without id; 2A004 with a wrong département; 17465
	 * short row; 12345 unknown */
	CHECK_INT(x.pvd_communes, 4, "4 PVD communes");
	CHECK_INT(x.pvd_old, 1, "one listed through an old code");
	CHECK_INT(x.pvd_skipped, 5, "5 list rows skipped");
	CHECK_INT(x.pvd_grouped_ids, 1, "one grouped candidacy");
	CHECK_INT(x.pvd_grouped_communes, 2, "of two communes");
	CHECK(warning(&idx_log, "commune 01165 already listed at line 3"), "duplicate listing warned");
	CHECK(warning(&idx_log, "12345 is not a commune of the commune table"), "unknown listed code warned");
	CHECK(warning(&idx_log, "département 2B, but commune 2A004 is in 2A"), "wrong département warned");
	int32_t ep = pvd_cidx_epci(&x, "200070118", 9);
	CHECK(ep >= 0 && x.e[ep].npvd == 1, "CC Val de Saône Centre has one PVD commune");
	CHECK_STR(ep >= 0 ? x.c[x.pvd_members[x.e[ep].pvd0]].code : NULL, "01165", "Francheleins");
	int32_t none = pvd_cidx_epci(&x, "200099999", 9);
	CHECK(none >= 0 && x.e[none].ncommunes == 0, "an EPCI of the EPCI table without communes is known");

	struct pvd_name_result res;
	struct pvd_name_scratch s = { 0 };
	static const struct { const char *name, *dep, *code; enum pvd_name_status st; } t[] = {
		{ "Vergné", "17", "17464", PVD_NAME_MATCH },
		{ "La Vergne", "17", "17465", PVD_NAME_MATCH },
		{ "LA VERGNE", "17", "17465", PVD_NAME_MATCH },
		{ "Vergne", "17", NULL, PVD_NAME_AMBIGUOUS },
		{ "Vergne", NULL, NULL, PVD_NAME_AMBIGUOUS },
		{ "Hesdin", "62", "62447", PVD_NAME_MATCH },           /* delegated → parent */
		{ "Amareins", "01", "01165", PVD_NAME_MATCH },         /* associated, via its old code */
		{ "Marseille 3e Arrondissement", NULL, "13055", PVD_NAME_MATCH },
		{ "Ajaccio", "20", "2A004", PVD_NAME_MATCH },          /* 20: either Corsican département */
		{ "Ajaccio", "2B", NULL, PVD_NAME_NONE },
		{ "abergement clemenciat", "01", "01001", PVD_NAME_MATCH },
		{ "Francheleins", "17", NULL, PVD_NAME_NONE },
		{ "Ile de Brehat", NULL, "22016", PVD_NAME_MATCH },
	};
	for (size_t i = 0; i < sizeof t / sizeof *t; i++) {
		pvd_cidx_name(&x, t[i].name, strlen(t[i].name), t[i].dep, &res, &s);
		CHECK_INT(res.status, t[i].st, "name \"%s\" in %s: status", t[i].name, t[i].dep ? t[i].dep : "France");
		if (t[i].code)
			CHECK_STR(res.status == PVD_NAME_MATCH ? x.c[res.c[0].commune].code : NULL, t[i].code,
				  "name \"%s\" in %s: commune", t[i].name, t[i].dep ? t[i].dep : "France");
	}
	pvd_cidx_name(&x, "Vergne", 6, "17", &res, &s);
	CHECK(res.n == 2 && strcmp(x.c[res.c[0].commune].code, "17464") == 0 &&
	      strcmp(x.c[res.c[1].commune].code, "17465") == 0, "ambiguous: both candidates, in code order");
	pvd_cidx_name(&x, "Saint-Didier", 12, "01", &res, &s);
	CHECK(res.status == PVD_NAME_NONE && res.nsimilar == 1 &&
	      strcmp(x.c[res.similar[0].commune].code, "01348") == 0, "no match: similar names suggested");
	pvd_name_scratch_free(&s);
	pvd_cidx_free(&x);
	pvd_reflog_free(&idx_log);
}

/* A sink that keeps the NDJSON of what it receives. */
struct capture {
	struct pvd_sink base;
	struct pvd_buf b;
};
static int cap_put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	pvd_ndjson_write(&((struct capture *)self)->b, r);
	return 0;
}

static const char *const input[] = {
	"{\"_file\":\"t\",\"_line\":1,\"insee\":\"01001\"}",
	"{\"_file\":\"t\",\"_line\":2,\"insee\":\"01003\",\"remapped_from\":\"stale\"}",
	"{\"_file\":\"t\",\"_line\":3,\"beneficiaire_siren\":\"200070118\",\"montant\":12.00}",
	"{\"_file\":\"t\",\"_line\":4,\"insee\":\"17464\"}",
	"{\"_file\":\"t\",\"_line\":5,\"nom\":\"Vergne\",\"dep\":\"17\"}",
	"{\"_file\":\"t\",\"_line\":6,\"indicateur\":\"x\"}",
	"{\"_file\":\"t\",\"_line\":7,\"insee\":\"2b999\"}",
	"{\"_file\":\"t\",\"_line\":8,\"insee\":\"01001\",\"match_error\":\"no-match\",\"match_message\":\"m\",\"remapped_from\":\"x\"}",
};
#define NIN (sizeof input / sizeof *input)

static void run(const struct pvd_join_ref *ref, enum pvd_join_mode mode, struct capture *cap,
		struct pvd_stats *st, struct pvd_join *j)
{
	struct pvd_rejects rj;
	struct pvd_err e = { 0 };
	pvd_rejects_open(&rj, "join", NULL, 1, &e);
	pvd_stats_init(st, "records");
	memset(cap, 0, sizeof *cap);
	cap->base.put = cap_put;
	pvd_join_init(j, ref, mode, &cap->base, &rj, st);
	struct pvd_record r;
	pvd_rec_init(&r);
	for (size_t i = 0; i < NIN; i++) {
		pvd_ndjson_parse(input[i], strlen(input[i]), &r, &e);
		st->in++;
		pvd_sink_put(&j->base, &r, &e);
	}
	pvd_rec_free(&r);
	pvd_rejects_close(&rj, &e);
}

static int has(const struct capture *c, const char *s) { return strstr(pvd_buf_str(&c->b), s) != NULL; }

/* Every field of the output that the input did not have is declared in
 * joinfields.h: the table the catalogue knows is the one the join writes. */
static int only_declared_fields(const struct capture *c)
{
	static const char *const own[] = { "_file", "_line", "insee", "beneficiaire_siren", "montant", "nom",
					   "dep", "indicateur", NULL };
	struct pvd_record r;
	struct pvd_err e = { 0 };
	int ok = 1;
	pvd_rec_init(&r);
	for (const char *p = pvd_buf_str(&c->b), *nl; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl || pvd_ndjson_parse(p, (size_t)(nl - p), &r, &e))
			return 0;
		for (size_t i = 0; i < r.n; i++) {
			const char *name = r.arena + r.f[i].name;
			int mine = 0;
			for (const char *const *o = own; *o; o++)
				mine |= strcmp(*o, name) == 0;
			if (!mine && !pvd_joinfield_find(name)) {
				fprintf(stderr, "# %s: not in joinfields.h\n", name);
				ok = 0;
			}
		}
	}
	pvd_rec_free(&r);
	return ok;
}

static void test_engine(void)
{
	struct pvd_join_refs names = { 0 };
	struct pvd_join_ref ref;
	struct pvd_err e = { 0 };
	CHECK_INT(pvd_join_refs_add(&names, "pvd=" LIST, &e), 0, "--ref pvd=FILE");
	CHECK_INT(pvd_join_refs_add(&names, "communes=" COG, &e), 0, "--ref communes=DIR");
	CHECK_INT(pvd_join_refs_add(&names, "epci=x", &e), PVD_EX_USAGE, "--ref with an unknown table");
	CHECK_INT(pvd_join_ref_load(&ref, &names, &e), 0, "reference loads");
	CHECK(ref.load_ms >= 0, "load time measured");

	struct capture cap;
	struct pvd_stats st;
	struct pvd_join j;

	run(&ref, PVD_JOIN_INNER, &cap, &st, &j);
	CHECK_INT(st.out, 6, "inner: 6 emitted (5 matched + 1 not about a place)");
	CHECK_INT(st.rejected, 2, "inner: 2 rejected (ambiguous name, unknown code)");
	CHECK_INT(st.in, st.out + st.rejected + st.skipped, "inner: in = out + rejected");
	CHECK(has(&cap, "\"insee\":\"01001\",\"commune_insee\":\"01001\",\"commune_nom\":\"L'Abergement-Clémenciat\","
			"\"commune_dep\":\"01\",\"commune_dep_nom\":\"Ain\",\"commune_reg\":\"84\","
			"\"commune_reg_nom\":\"Auvergne-Rhône-Alpes\",\"commune_epci\":\"200069193\","
			"\"commune_epci_nom\":\"CC de la Dombes\",\"collectivite\":\"01001\",\"pvd\":true,"
			"\"id_pvd\":\"pvd-84-01-9\",\"pvd_communes\":[\"01001\"],\"match\":\"code\"}"),
	      "a PVD commune gets every field, in the contract's order");
	CHECK(has(&cap, "\"insee\":\"01003\",\"remapped_from\":\"01003\",\"commune_insee\":\"01165\"") &&
	      has(&cap, "\"match\":\"old-code\"}") && !has(&cap, "stale"),
	      "old code mapped, original kept (a stale remapped_from replaced in place)");
	CHECK(has(&cap, "\"montant\":12.00,\"commune_insee\":null,\"commune_nom\":null,\"commune_dep\":\"01\""),
	      "EPCI: no commune, the département its communes share");
	CHECK(has(&cap, "\"collectivite\":\"200070118\",\"pvd\":true,\"id_pvd\":null,\"pvd_communes\":[\"01165\"],\"match\":\"epci\""),
	      "EPCI: its PVD communes listed, once");
	CHECK(has(&cap, "\"insee\":\"17464\",\"commune_insee\":\"17464\"") &&
	      has(&cap, "\"collectivite\":\"17464\",\"pvd\":false,\"id_pvd\":null,\"pvd_communes\":[],\"match\":\"code\""),
	      "a commune outside the programme: pvd false, []");
	CHECK(has(&cap, "{\"_file\":\"t\",\"_line\":6,\"indicateur\":\"x\"}\n"), "a record not about a place passes untouched");
	CHECK_INT(j.by_match[0], 3, "3 matched by code");
	CHECK_INT(j.by_match[1], 1, "1 by old code");
	CHECK_INT(j.by_match[3], 1, "1 EPCI");
	CHECK_INT(j.pvd, 4, "4 in the programme");
	CHECK(has(&cap, "{\"_file\":\"t\",\"_line\":8,\"insee\":\"01001\",\"commune_insee\"") && !has(&cap, "\"m\""),
	      "what a previous join left (match_error, match_message, remapped_from) is removed");
	pvd_buf_free(&cap.b);
	pvd_join_free(&j);
	pvd_stats_free(&st);

	run(&ref, PVD_JOIN_LEFT, &cap, &st, &j);
	CHECK_INT(st.out, NIN, "left: every record emitted");
	CHECK_INT(st.rejected + st.skipped, 0, "left: nothing rejected or skipped");
	CHECK(has(&cap, "\"dep\":\"17\",\"commune_insee\":null") &&
	      has(&cap, "\"match\":null,\"match_error\":\"ambiguous-match\",\"match_message\":\"\\\"Vergne\\\" in département 17 matches 2 communes: Vergné (17464), La Vergne (17465)\"}"),
	      "left: unmatched record marked, candidates listed");
	CHECK(has(&cap, "\"insee\":\"2b999\",\"commune_insee\":null"), "left: unknown code kept");
	CHECK(only_declared_fields(&cap), "left: every field the join adds is declared in joinfields.h");
	pvd_buf_free(&cap.b);
	pvd_join_free(&j);
	pvd_stats_free(&st);

	run(&ref, PVD_JOIN_ANTI, &cap, &st, &j);
	CHECK_INT(st.out, 3, "anti: 3 emitted (outside the programme or unmatched)");
	CHECK_INT(st.skipped, 5, "anti: 5 skipped (4 in the programme, 1 not about a place)");
	CHECK_INT(st.in, st.out + st.rejected + st.skipped, "anti: in = out + skipped");
	CHECK(!has(&cap, "\"pvd\":true"), "anti: nothing in the programme emitted");
	CHECK_STR(pvd_join_skip_detail(&j), "(4 in the programme, 1 not about a place)", "anti: summary word");
	pvd_buf_free(&cap.b);
	pvd_join_free(&j);
	pvd_stats_free(&st);

	json_t *rep = pvd_join_ref_report(&ref);
	CHECK_INT(json_integer_value(json_object_get(json_object_get(rep, "pvd"), "communes")), 4,
		  "report: PVD communes loaded");
	CHECK(json_array_size(json_object_get(rep, "warnings")) == ref.log.n && ref.log.n > 0,
	      "report: every warning listed");
	json_decref(rep);
	pvd_join_ref_free(&ref);

	struct pvd_join_refs none = { 0 };
	CHECK_INT(pvd_join_ref_load(&ref, &none, &e), PVD_EX_CONFIG, "no PVD list: config error");
	pvd_join_ref_free(&ref);
	struct pvd_join_refs nodir = { .pvd = LIST, .communes = "fixtures/join/none" };
	CHECK_INT(pvd_join_ref_load(&ref, &nodir, &e), PVD_EX_CONFIG, "no commune directory: config error");
	pvd_join_ref_free(&ref);
	struct pvd_join_refs file = { .pvd = LIST, .communes = LIST };
	CHECK_INT(pvd_join_ref_load(&ref, &file, &e), PVD_EX_CONFIG, "a file for the commune tables: config error");
	CHECK(strstr(e.msg, "not a directory") != NULL, "saying so: %s", e.msg);
	pvd_join_ref_free(&ref);
}

int main(void)
{
	test_keys();
	test_deps();
	test_shapes();
	test_tables();
	test_index();
	test_engine();
	return check_done();
}
