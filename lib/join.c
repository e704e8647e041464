#include "join.h"
#include "confpath.h"
#include "joinfields.h"
#include "schema.h"
#include "textnorm.h"
#include "xmem.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int pvd_join_mode_parse(const char *s)
{
	if (strcmp(s, "inner") == 0)
		return PVD_JOIN_INNER;
	if (strcmp(s, "left") == 0)
		return PVD_JOIN_LEFT;
	if (strcmp(s, "anti") == 0)
		return PVD_JOIN_ANTI;
	return -1;
}

const char *pvd_join_mode_name(enum pvd_join_mode m)
{
	return m == PVD_JOIN_LEFT ? "left" : m == PVD_JOIN_ANTI ? "anti" : "inner";
}

/* --- the reference --------------------------------------------------------- */

int pvd_join_refs_add(struct pvd_join_refs *r, const char *arg, struct pvd_err *e)
{
	const char *eq = strchr(arg, '=');
	if (!eq) {
		r->pvd = arg;
		return 0;
	}
	size_t kl = (size_t)(eq - arg);
	if (kl == 3 && memcmp(arg, "pvd", 3) == 0)
		r->pvd = eq + 1;
	else if (kl == 8 && memcmp(arg, "communes", 8) == 0)
		r->communes = eq + 1;
	else
		return pvd_err_set(e, PVD_EX_USAGE, NULL, 0, 0,
				   "--ref: unknown table '%.*s' (pvd=NAME|FILE or communes=NAME|DIR)", (int)kl, arg);
	if (!eq[1])
		return pvd_err_set(e, PVD_EX_USAGE, NULL, 0, 0, "--ref: empty name for '%.*s'", (int)kl, arg);
	return 0;
}

/* The COG files of a directory, in the order of struct pvd_cog_tabs. */
static const struct {
	const char *file;
	enum pvd_reftab_kind kind;
	int required;
} cog_files[6] = {
	{ "communes.csv", PVD_TAB_COMMUNES, 1 },
	{ "anciens_codes.csv", PVD_TAB_OLDCODES, 0 },
	{ "deleguees_associees.csv", PVD_TAB_SUBS, 0 },
	{ "epci.csv", PVD_TAB_EPCI, 0 },
	{ "departements.csv", PVD_TAB_DEPS, 0 },
	{ "regions.csv", PVD_TAB_REGS, 0 },
};

static double now_ms(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

int pvd_join_ref_load(struct pvd_join_ref *ref, const struct pvd_join_refs *names, struct pvd_err *e)
{
	memset(ref, 0, sizeof *ref);
	pvd_cidx_init(&ref->idx);
	double t0 = now_ms(CLOCK_MONOTONIC), c0 = now_ms(CLOCK_PROCESS_CPUTIME_ID);
	if (!names->pvd)
		return pvd_err_set(e, PVD_EX_CONFIG, NULL, 0, 0,
				   "no PVD list: name the list in force with --ref pvd=NAME|FILE");
	ref->cog_dir = pvd_config_find("ref", names->communes ? names->communes : PVD_JOIN_DEFAULT_COMMUNES,
				       "", e);
	if (!ref->cog_dir)
		return e->status;
	struct stat sb;
	if (stat(ref->cog_dir, &sb) != 0 || !S_ISDIR(sb.st_mode))
		return pvd_err_set(e, PVD_EX_CONFIG, ref->cog_dir, 0, 0,
				   "not a directory of commune tables (communes.csv, anciens_codes.csv...)");
	ref->pvd_file = pvd_config_find("ref", names->pvd, ".csv", e);
	if (!ref->pvd_file)
		return e->status;

	struct pvd_reftab tabs[6], list;
	memset(tabs, 0, sizeof tabs);
	memset(&list, 0, sizeof list);
	int rc = 0;
	struct pvd_buf path = { 0 };
	for (size_t i = 0; i < 6 && !rc; i++) {
		pvd_buf_reset(&path);
		pvd_buf_printf(&path, "%s/%s", ref->cog_dir, cog_files[i].file);
		if (!cog_files[i].required && access(path.p, F_OK) != 0)
			continue;
		rc = pvd_reftab_load(&tabs[i], cog_files[i].kind, path.p, &ref->log, e);
	}
	if (!rc) { /* the COG first, so that the warnings come table by table */
		struct pvd_cog_tabs t = { &tabs[0], &tabs[1], &tabs[2], &tabs[3], &tabs[4], &tabs[5] };
		pvd_cidx_build(&ref->idx, &t, &ref->log);
		rc = pvd_reftab_load(&list, PVD_TAB_PVD, ref->pvd_file, &ref->log, e);
	}
	if (!rc)
		pvd_cidx_set_pvd(&ref->idx, &list, &ref->log);
	for (size_t i = 0; i < 6; i++)
		pvd_reftab_free(&tabs[i]);
	pvd_reftab_free(&list);
	pvd_buf_free(&path);
	pvd_reflog_sort(&ref->log);
	ref->load_ms = now_ms(CLOCK_MONOTONIC) - t0;
	ref->load_cpu_ms = now_ms(CLOCK_PROCESS_CPUTIME_ID) - c0;
	return rc;
}

json_t *pvd_join_ref_report(const struct pvd_join_ref *ref)
{
	const struct pvd_cidx *x = &ref->idx;
	json_t *warnings = json_array();
	for (size_t i = 0; i < ref->log.n; i++) {
		const struct pvd_refwarn *w = &ref->log.w[i];
		json_array_append_new(warnings, json_pack("{s:s, s:I, s:s?, s:s}", "file", w->file, "line",
							  (json_int_t)w->line, "field", w->field, "message", w->msg));
	}
	return json_pack(
		"{s:{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:{s:s, s:I, s:I, s:I, s:I, s:I, s:I, s:I}, s:o, s:f, s:f}",
		"pvd", "file", ref->pvd_file ? ref->pvd_file : "", "rows", (json_int_t)x->pvd_rows,
		"communes", (json_int_t)x->pvd_communes, "skipped", (json_int_t)x->pvd_skipped,
		"through_old_codes", (json_int_t)x->pvd_old, "names_differ", (json_int_t)x->pvd_renamed,
		"epci_differs", (json_int_t)x->pvd_epci_differs, "grouped_ids", (json_int_t)x->pvd_grouped_ids,
		"communes_in_groups", (json_int_t)x->pvd_grouped_communes,
		"communes", "dir", ref->cog_dir ? ref->cog_dir : "", "communes", (json_int_t)x->nc,
		"old_codes", (json_int_t)x->n_old, "arrondissements", (json_int_t)x->n_arm,
		"delegated_names", (json_int_t)x->n_sub_names, "epci", (json_int_t)x->ne,
		"departements", (json_int_t)x->nd, "names", (json_int_t)x->nnames,
		"warnings", warnings, "load_ms", ref->load_ms, "load_cpu_ms", ref->load_cpu_ms);
}

void pvd_join_ref_free(struct pvd_join_ref *ref)
{
	pvd_cidx_free(&ref->idx);
	pvd_reflog_free(&ref->log);
	free(ref->pvd_file);
	free(ref->cog_dir);
	memset(ref, 0, sizeof *ref);
}

/* --- locating a record -------------------------------------------------------- */

enum how { HOW_CODE, HOW_OLD, HOW_NAME, HOW_EPCI, HOW_FAIL, HOW_PLACELESS };
static const char *const how_name[] = { "code", "old-code", "name", "epci" };

struct outcome {
	enum how how;
	int32_t commune, epci;
	const char *remapped;   /* code as written, when not the current one */
	const char *reason;     /* failure: PVD_R_* */
	const char *field;      /* failure: the field at fault */
	const char *value;
	int stale;              /* the record has remapped_from or match_error */
	char code[8];           /* the code as looked up (value may point here) */
};

/* The fields a record is located by, in order of preference within each
 * group: codes, EPCI SIRENs, names, départements. */
enum { F_INSEE, F_BEN_INSEE, F_BEN_SIREN, F_EPCI_SIREN, F_NOM, F_BEN_NOM, F_COMMUNE, F_DEP, F_BEN_DEP,
       F_KIND,  /* what the beneficiary is, when an export says: echelon / beneficiaire_type */
       F_OLD,   /* what a previous join may have left: remapped_from / match_error */
       NF };
static const char *const fname[NF] = { "insee", "beneficiaire_insee", "beneficiaire_siren", "epci_siren",
				       "nom", "beneficiaire_nom", "commune", "dep", "beneficiaire_dep", "echelon", "" };

/* Finds them all in one pass over the record (the hot path: a lookup per
 * name would scan the record nine times). */
static void scan(const struct pvd_record *r, const struct pvd_field *fs[NF])
{
	for (int k = 0; k < NF; k++)
		fs[k] = NULL;
	for (size_t i = 0; i < r->n; i++) {
		const struct pvd_field *f = &r->f[i];
		const char *nm = r->arena + f->name;
		int k = -1;
		switch (f->name_len) {
		case 3: k = !memcmp(nm, "nom", 3) ? F_NOM : !memcmp(nm, "dep", 3) ? F_DEP : -1; break;
		case 5: k = !memcmp(nm, "insee", 5) ? F_INSEE : -1; break;
		case 7:
			k = !memcmp(nm, "commune", 7) ? F_COMMUNE : !memcmp(nm, "echelon", 7) ? F_KIND : -1;
			break;
		case 10: k = !memcmp(nm, "epci_siren", 10) ? F_EPCI_SIREN : -1; break;
		case 11: k = !memcmp(nm, "match_error", 11) ? F_OLD : -1; break;
		case 13: k = !memcmp(nm, "remapped_from", 13) ? F_OLD : -1; break;
		case 16:
			k = !memcmp(nm, "beneficiaire_nom", 16) ? F_BEN_NOM : !memcmp(nm, "beneficiaire_dep", 16) ? F_BEN_DEP : -1;
			break;
		case 17: k = !memcmp(nm, "beneficiaire_type", 17) ? F_KIND : -1; break;
		case 18:
			k = !memcmp(nm, "beneficiaire_insee", 18) ? F_BEN_INSEE :
			    !memcmp(nm, "beneficiaire_siren", 18) ? F_BEN_SIREN : -1;
			break;
		}
		if (k >= 0 && !fs[k])
			fs[k] = f;
	}
}

/* The first of fields [from, to) that has a value: its F_*, or -1.
 * *present is set to the first of them that is there at all (null or empty
 * too), unless it was set already. */
static int first_value(const struct pvd_field *const fs[NF], int from, int to,
		       const struct pvd_field **out, const char **present)
{
	for (int k = from; k < to; k++) {
		const struct pvd_field *f = fs[k];
		if (!f)
			continue;
		if (!*present)
			*present = fname[k];
		if (f->kind == PVD_NULL || (f->kind == PVD_STR && f->val_len == 0))
			continue;
		*out = f;
		return k;
	}
	return -1;
}

/* Whether the beneficiary may be a commune, as far as the export says: no
 * echelon / beneficiaire_type field, or one that reads "commune...". */
static int commune_kind(const struct pvd_record *r, const struct pvd_field *k, struct pvd_buf *tmp)
{
	if (!k || k->kind != PVD_STR || k->val_len == 0)
		return 1;
	pvd_buf_reset(tmp);
	pvd_fold(pvd_rec_val(r, k), k->val_len, 0, tmp);
	return strncmp(pvd_buf_str(tmp), "commune", 7) == 0;
}

static int fail(struct pvd_join *j, struct outcome *o, const char *reason, const char *field,
		const char *value, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static int fail(struct pvd_join *j, struct outcome *o, const char *reason, const char *field,
		const char *value, const char *fmt, ...)
{
	va_list ap;
	o->how = HOW_FAIL;
	o->reason = reason;
	o->field = field;
	o->value = value;
	pvd_buf_reset(&j->msg);
	char tmp[1024];
	va_start(ap, fmt);
	vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	pvd_buf_adds(&j->msg, tmp);
	return 0;
}

/* "Vergné (17464), La Vergne (17465)" */
static void list_cands(struct pvd_join *j, const struct pvd_name_cand *c, size_t n, size_t total)
{
	const struct pvd_cidx *x = &j->ref->idx;
	for (size_t i = 0; i < n; i++) {
		if (i)
			pvd_buf_adds(&j->msg, ", ");
		const struct pvd_commune *cm = &x->c[c[i].commune];
		if (strcmp(c[i].name, cm->nom) == 0)
			pvd_buf_printf(&j->msg, "%s (%s)", cm->nom, cm->code);
		else
			pvd_buf_printf(&j->msg, "%s (%s, %s of %s)", c[i].name, cm->code, c[i].what, cm->nom);
	}
	if (total > n)
		pvd_buf_printf(&j->msg, " and %zu more", total - n);
}

/* siren_msg: why an EPCI SIREN given beside the name was not used, or NULL. */
static void by_name(struct pvd_join *j, const struct pvd_record *r, const struct pvd_field *const fs[NF],
		    struct outcome *o, const char *name_field, const char *name, const char *siren_msg)
{
	const struct pvd_cidx *x = &j->ref->idx;
	const struct pvd_field *df = NULL;
	const char *present = NULL;
	int di = first_value(fs, F_DEP, F_BEN_DEP + 1, &df, &present);
	char dep[4];
	const char *depv = NULL;
	if (di >= 0) {
		depv = pvd_rec_val(r, df);
		if (df->kind == PVD_LIST || df->kind == PVD_RAW || pvd_dep_canon(depv, df->val_len, dep) != 0 ||
		    (strcmp(dep, "20") != 0 && pvd_cidx_dep(x, dep) < 0)) {
			fail(j, o, PVD_R_NO_MATCH, fname[di], df->kind == PVD_LIST ? NULL : depv,
			     "not a département of the commune table: \"%s\"", df->kind == PVD_LIST ? "[...]" : depv);
			return;
		}
	}
	struct pvd_name_result res;
	pvd_cidx_name(x, name, strlen(name), di >= 0 ? dep : NULL, &res, &j->ns);
	if (res.status == PVD_NAME_MATCH) {
		o->how = HOW_NAME;
		o->commune = res.c[0].commune;
		return;
	}
	char where[32] = "France";
	if (di >= 0)
		snprintf(where, sizeof where, "département %s", dep);
	if (res.status == PVD_NAME_AMBIGUOUS && res.dep_named >= 0) {
		const struct pvd_dep *dp = &x->d[res.dep_named];
		fail(j, o, PVD_R_AMBIGUOUS_MATCH, name_field, name,
		     "%s%s\"%s\" in %s names the département as well as a commune: département %s (%s), ",
		     siren_msg ? siren_msg : "", siren_msg ? "; " : "", name, where, dp->nom, dp->code);
		list_cands(j, res.c, res.n, res.total);
		return;
	}
	if (res.status == PVD_NAME_AMBIGUOUS) {
		fail(j, o, PVD_R_AMBIGUOUS_MATCH, name_field, name, "%s%s\"%s\" in %s matches %zu communes: ",
		     siren_msg ? siren_msg : "", siren_msg ? "; " : "", name, where, res.total);
		list_cands(j, res.c, res.n, res.total);
		return;
	}
	fail(j, o, PVD_R_NO_MATCH, name_field, name, "%s%sno commune named \"%s\" in %s",
	     siren_msg ? siren_msg : "", siren_msg ? "; " : "", name, where);
	if (res.nsimilar) {
		pvd_buf_adds(&j->msg, " (similar: ");
		list_cands(j, res.similar, res.nsimilar, res.nsimilar_total);
		pvd_buf_addc(&j->msg, ')');
	}
}

static void locate(struct pvd_join *j, const struct pvd_record *r, struct outcome *o)
{
	const struct pvd_cidx *x = &j->ref->idx;
	const struct pvd_field *fs[NF], *f = NULL;
	const char *present = NULL; /* the first locating field there, even empty */
	memset(o, 0, sizeof *o);
	o->commune = o->epci = -1;
	scan(r, fs);
	o->stale = fs[F_OLD] != NULL;

	int i = first_value(fs, F_INSEE, F_BEN_INSEE + 1, &f, &present);
	if (i >= 0) {
		const char *v = pvd_rec_val(r, f);
		if (f->kind != PVD_STR && f->kind != PVD_NUM) {
			fail(j, o, PVD_R_TYPE, fname[i], NULL, "not a commune code: a %s",
			     f->kind == PVD_LIST ? "list" : f->kind == PVD_BOOL ? "boolean" : "JSON value");
			return;
		}
		char *code = o->code;
		size_t n = f->val_len;
		if (n == 5) { /* "2a004" is written "2A004" in the tables */
			memcpy(code, v, 6);
			if (code[1] == 'a' || code[1] == 'b')
				code[1] = (char)(code[1] - 'a' + 'A');
			v = code;
		}
		enum pvd_code_hit hit;
		int32_t c = pvd_cidx_code(x, v, n, &hit);
		if (c < 0) {
			if (!pvd_is_insee(v, n))
				fail(j, o, PVD_R_TYPE, fname[i], pvd_rec_val(r, f), "not a commune code: \"%s\"",
				     pvd_rec_val(r, f));
			else
				fail(j, o, PVD_R_NO_MATCH, fname[i], v,
				     "%s is neither a current commune nor an old code of the commune table", v);
			return;
		}
		o->how = hit == PVD_HIT_OLD ? HOW_OLD : HOW_CODE;
		o->commune = c;
		if (hit != PVD_HIT_CODE)
			o->remapped = pvd_rec_val(r, f);
		return;
	}

	/* siren_msg names the field (it may end up in a message about the name);
	 * siren_why does not (the reject line names the field itself). */
	const char *siren_msg = NULL, *siren_why = NULL;
	const char *siren_field = NULL, *siren_val = NULL;
	i = first_value(fs, F_BEN_SIREN, F_EPCI_SIREN + 1, &f, &present);
	if (i >= 0) {
		const char *v = pvd_rec_val(r, f);
		int32_t ep = (f->kind == PVD_STR || f->kind == PVD_NUM) ? pvd_cidx_epci(x, v, f->val_len) : -1;
		if (ep >= 0) {
			o->how = HOW_EPCI;
			o->epci = ep;
			return;
		}
		/* A commune's own SIREN (21...: INSEE numbers communes so) says
		 * nothing the name does not; any other SIREN is a body that is not
		 * a commune (an EPCI gone since, a syndicate): its name must not be
		 * matched against commune names. */
		int commune_siren = (f->kind == PVD_STR || f->kind == PVD_NUM) && f->val_len == 9 &&
				    v[0] == '2' && v[1] == '1';
		if (!commune_siren) {
			fail(j, o, PVD_R_NO_MATCH, fname[i], f->kind == PVD_STR || f->kind == PVD_NUM ? v : NULL,
			     "%s is not an EPCI of the commune table (nor a commune's SIREN: the name is not tried)",
			     f->kind == PVD_STR || f->kind == PVD_NUM ? v : "the value");
			return;
		}
		pvd_buf_reset(&j->val);
		pvd_buf_printf(&j->val, "%s: ", fname[i]);
		size_t at = j->val.len;
		pvd_buf_printf(&j->val, "%s is a commune's SIREN, not an EPCI", v);
		siren_msg = pvd_buf_str(&j->val);
		siren_why = siren_msg + at;
		siren_field = fname[i];
		siren_val = f->kind == PVD_STR || f->kind == PVD_NUM ? v : NULL;
	}

	i = first_value(fs, F_NOM, F_COMMUNE + 1, &f, &present);
	if (i >= 0 && f->kind == PVD_STR && !commune_kind(r, fs[F_KIND], &j->items)) {
		fail(j, o, PVD_R_NO_MATCH, pvd_rec_name(r, fs[F_KIND]), pvd_rec_val(r, fs[F_KIND]),
		     "the beneficiary is a \"%s\", not a commune: its name \"%s\" is not tried",
		     pvd_rec_val(r, fs[F_KIND]), pvd_rec_val(r, f));
		return;
	}
	if (i >= 0 && f->kind == PVD_STR) {
		by_name(j, r, fs, o, fname[i], pvd_rec_val(r, f), siren_msg);
		return;
	}
	if (i >= 0) {
		fail(j, o, PVD_R_TYPE, fname[i], NULL, "not a name");
		return;
	}
	if (siren_msg) {
		fail(j, o, PVD_R_NO_MATCH, siren_field, siren_val, "%s", siren_why);
		return;
	}
	if (!present) {
		o->how = HOW_PLACELESS;
		return;
	}
	fail(j, o, PVD_R_REQUIRED, present, NULL, "no commune code, EPCI SIREN or commune name to match on (all empty)");
}

/* --- writing the join fields --------------------------------------------------- */

/* The names are declared once, in joinfields.h. */
#define JF(x) pvd_joinfields[PVD_JF_##x].name

/* Sets join field k of r: in place when the record had it (a record joined
 * before), else appended, without a search by name (j->jf is resolved on r
 * by set_place). */
static void set_jf(struct pvd_join *j, struct pvd_record *r, enum pvd_jf k, enum pvd_kind kind, const char *v,
		   size_t n)
{
	int i = j->jf.at[k];
	if (i >= 0)
		pvd_rec_set_at(r, (size_t)i, kind, v, n);
	else
		pvd_rec_add(r, pvd_joinfields[k].name, strlen(pvd_joinfields[k].name), kind, v, n);
}

static void set_opt(struct pvd_join *j, struct pvd_record *r, enum pvd_jf k, const char *v)
{
	if (v)
		set_jf(j, r, k, PVD_STR, v, strlen(v));
	else
		set_jf(j, r, k, PVD_NULL, "", 0);
}

/* set_opt for a value known plain (record.h): a commune code of the index
 * (5 digits or 2A/2B and 3), or one of the join's own words. */
static void set_code(struct pvd_join *j, struct pvd_record *r, enum pvd_jf k, const char *v)
{
	set_opt(j, r, k, v);
	if (v)
		pvd_rec_plain(r, j->jf.at[k] >= 0 ? (size_t)j->jf.at[k] : r->n - 1);
}

/* The stamp of a joined record whose names were those of stamp in, the
 * outcome's optional fields given by shape (see set_place). */
static uint64_t out_stamp(struct pvd_join *j, uint64_t in, unsigned shape)
{
	size_t n = sizeof j->stamps / sizeof *j->stamps;
	for (size_t i = 0; i < n && i < j->nstamp; i++)
		if (j->stamps[i].in == in && j->stamps[i].shape == shape)
			return j->stamps[i].out;
	struct pvd_join_stamp *s = &j->stamps[j->nstamp++ % n];
	*s = (struct pvd_join_stamp){ in, pvd_layout_new(), shape };
	return s->out;
}

static void set_place(struct pvd_join *j, struct pvd_record *r, const struct outcome *o)
{
	int stale = o->stale; /* fields of a previous join to remove, if not set again */
	/* what decides the names out, besides the names in: the fields set
	 * below only under a condition, and the removals */
	uint64_t in = r->layout;
	unsigned shape = (o->remapped != NULL) | (o->how == HOW_FAIL) << 1 | (stale != 0) << 2;
	const struct pvd_cidx *x = &j->ref->idx;
	const struct pvd_commune *c = o->commune >= 0 ? &x->c[o->commune] : NULL;
	const struct pvd_epci *ep = c ? (c->epci >= 0 ? &x->e[c->epci] : NULL) : o->epci >= 0 ? &x->e[o->epci] : NULL;
	const struct pvd_dep *d = c ? &x->d[c->dep] : (ep && ep->dep >= 0) ? &x->d[ep->dep] : NULL;
	const struct pvd_dep *rd = c ? d : (ep && ep->reg_dep >= 0) ? &x->d[ep->reg_dep] : NULL;
	pvd_fieldmap_resolve(&j->jf, r);
	set_code(j, r, PVD_JF_COMMUNE_INSEE, c ? c->code : NULL);
	set_opt(j, r, PVD_JF_COMMUNE_NOM, c ? c->nom : NULL);
	set_opt(j, r, PVD_JF_COMMUNE_DEP, d ? d->code : NULL);
	set_opt(j, r, PVD_JF_COMMUNE_DEP_NOM, d ? d->nom : NULL);
	set_opt(j, r, PVD_JF_COMMUNE_REG, rd ? rd->reg : NULL);
	set_opt(j, r, PVD_JF_COMMUNE_REG_NOM, rd ? rd->reg_nom : NULL);
	set_opt(j, r, PVD_JF_COMMUNE_EPCI, ep ? ep->siren : NULL);
	set_opt(j, r, PVD_JF_COMMUNE_EPCI_NOM, ep ? ep->nom : NULL);
	if (c)
		set_code(j, r, PVD_JF_COLLECTIVITE, c->code);
	else
		set_opt(j, r, PVD_JF_COLLECTIVITE, o->epci >= 0 ? ep->siren : NULL);
	pvd_buf_reset(&j->items);
	unsigned n = 0;
	if (c && c->pvd) {
		pvd_buf_add(&j->items, c->code, 6);
		n = 1;
	} else if (!c && o->epci >= 0) {
		for (uint32_t k = 0; k < ep->npvd; k++, n++)
			pvd_buf_add(&j->items, x->c[x->pvd_members[ep->pvd0 + k]].code, 6);
	}
	set_jf(j, r, PVD_JF_PVD, PVD_BOOL, n > 0 ? "true" : "false", n > 0 ? 4 : 5);
	set_opt(j, r, PVD_JF_ID_PVD, c && c->pvd ? c->id_pvd : NULL);
	if (j->jf.at[PVD_JF_PVD_COMMUNES] >= 0) {
		pvd_rec_set_list(r, JF(PVD_COMMUNES), j->items.p ? j->items.p : "", j->items.len, n);
		pvd_rec_plain(r, (size_t)j->jf.at[PVD_JF_PVD_COMMUNES]); /* commune codes */
	} else {
		/* the items carry their terminators; the record adds the last one */
		pvd_rec_add(r, JF(PVD_COMMUNES), strlen(JF(PVD_COMMUNES)), PVD_LIST, j->items.p ? j->items.p : "",
			    j->items.len ? j->items.len - 1 : 0);
		r->f[r->n - 1].nitems = (uint16_t)n;
		pvd_rec_plain(r, r->n - 1);
	}
	set_code(j, r, PVD_JF_MATCH, o->how < HOW_FAIL ? how_name[o->how] : NULL);
	/* the deletions last: they move the fields after them */
	if (o->remapped)
		set_opt(j, r, PVD_JF_REMAPPED_FROM, o->remapped);
	if (o->how == HOW_FAIL) {
		set_opt(j, r, PVD_JF_MATCH_ERROR, o->reason);
		set_opt(j, r, PVD_JF_MATCH_MESSAGE, pvd_buf_str(&j->msg));
	}
	if (!o->remapped && stale)
		pvd_rec_del(r, JF(REMAPPED_FROM));
	if (o->how != HOW_FAIL && stale) {
		pvd_rec_del(r, JF(MATCH_ERROR));
		pvd_rec_del(r, JF(MATCH_MESSAGE));
	}
	if (in)
		r->layout = out_stamp(j, in, shape);
}

/* --- the sink ------------------------------------------------------------------- */

static int emit(struct pvd_join *j, struct pvd_record *r, struct pvd_err *e)
{
	pvd_stats_out(j->st);
	return pvd_sink_put(j->next, r, e);
}

/* Whether records of dataset `name` are about a place: its schema names a
 * locating field, or it has no schema that loads (then nothing says it is
 * not).  Asked only of records with no locating field, so once per dataset
 * at most. */
static int dataset_placed(struct pvd_join *j, const char *name)
{
	for (size_t i = 0; i < j->nds; i++)
		if (strcmp(j->ds[i].name, name) == 0)
			return j->ds[i].placed;
	int placed = 1;
	struct pvd_err fe = { 0 };
	char *path = strchr(name, '/') ? NULL : pvd_config_find("datasets", name, ".yaml", &fe);
	struct pvd_schema sc;
	if (path && pvd_schema_load(&sc, path, &fe) == 0) {
		placed = 0;
		for (size_t i = 0; i < sc.nf && !placed; i++)
			for (int k = F_INSEE; k <= F_COMMUNE && !placed; k++)
				placed = strcmp(sc.f[i].name, fname[k]) == 0;
		pvd_schema_free(&sc);
	}
	free(path);
	j->ds = xgrow(j->ds, &j->cds, j->nds + 1, sizeof *j->ds);
	j->ds[j->nds].name = xstrdup(name);
	j->ds[j->nds++].placed = placed;
	return placed;
}

static int join_put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	struct pvd_join *j = (struct pvd_join *)self;
	struct outcome o;
	locate(j, r, &o);
	const char *dsname = o.how == HOW_PLACELESS ? pvd_rec_str(r, "_dataset") : NULL;
	if (dsname && j->mode == PVD_JOIN_INNER && dataset_placed(j, dsname)) {
		j->unmatched++;
		pvd_reject_rec(j->rj, r, PVD_R_REQUIRED, NULL, NULL,
			       "a record of dataset %s with no insee, beneficiaire_insee, beneficiaire_siren, epci_siren, "
			       "nom, beneficiaire_nom or commune field: it names no place to match", dsname);
		pvd_stats_rejected(j->st);
		return 0;
	}
	if (o.how == HOW_PLACELESS) {
		j->placeless++;
		if (j->mode == PVD_JOIN_ANTI) {
			pvd_stats_skipped(j->st);
			return 0;
		}
		return emit(j, r, e);
	}
	if (o.how == HOW_FAIL) {
		j->unmatched++;
		if (j->mode == PVD_JOIN_INNER) {
			pvd_reject_rec(j->rj, r, o.reason, o.field, o.value, "%s", pvd_buf_str(&j->msg));
			pvd_stats_rejected(j->st);
			return 0;
		}
		set_place(j, r, &o); /* reads only the message, kept in j */
		return emit(j, r, e);
	}
	/* remapped points into r's arena, which set_place may move (record.h:
	 * valid only until the next pvd_rec_set* on r): copy it */
	char remapped[8] = "";
	if (o.remapped) {
		snprintf(remapped, sizeof remapped, "%s", o.remapped);
		o.remapped = remapped;
	}
	j->by_match[o.how]++;
	set_place(j, r, &o);
	const struct pvd_cidx *x = &j->ref->idx;
	int pvd = o.commune >= 0 ? x->c[o.commune].pvd : x->e[o.epci].npvd > 0;
	if (pvd)
		j->pvd++;
	else
		j->not_pvd++;
	if (j->mode == PVD_JOIN_ANTI && pvd) {
		pvd_stats_skipped(j->st);
		return 0;
	}
	return emit(j, r, e);
}

static int join_end(struct pvd_sink *self, struct pvd_err *e)
{
	struct pvd_join *j = (struct pvd_join *)self;
	return pvd_sink_end(j->next, e);
}

void pvd_join_init(struct pvd_join *j, const struct pvd_join_ref *ref, enum pvd_join_mode mode,
		   struct pvd_sink *next, struct pvd_rejects *rj, struct pvd_stats *st)
{
	memset(j, 0, sizeof *j);
	j->base.put = join_put;
	j->base.end = join_end;
	j->ref = ref;
	j->mode = mode;
	j->next = next;
	j->rj = rj;
	j->st = st;
	const char *names[PVD_JF_N];
	for (size_t k = 0; k < PVD_JF_N; k++)
		names[k] = pvd_joinfields[k].name;
	pvd_fieldmap_init(&j->jf, names, PVD_JF_N);
}

json_t *pvd_join_report(const struct pvd_join *j)
{
	return json_pack("{s:s, s:{s:I, s:I, s:I, s:I}, s:I, s:I, s:I, s:I}", "mode",
			 pvd_join_mode_name(j->mode), "matched", "code", (json_int_t)j->by_match[HOW_CODE],
			 "old-code", (json_int_t)j->by_match[HOW_OLD], "name", (json_int_t)j->by_match[HOW_NAME],
			 "epci", (json_int_t)j->by_match[HOW_EPCI], "pvd", (json_int_t)j->pvd, "not_pvd",
			 (json_int_t)j->not_pvd, "unmatched", (json_int_t)j->unmatched, "without_place",
			 (json_int_t)j->placeless);
}

const char *pvd_join_skip_detail(struct pvd_join *j)
{
	pvd_buf_reset(&j->msg);
	if (j->mode != PVD_JOIN_ANTI || j->st->skipped == 0)
		return "";
	if (!j->placeless)
		pvd_buf_adds(&j->msg, "in the programme");
	else if (!j->pvd)
		pvd_buf_adds(&j->msg, "not about a place");
	else
		pvd_buf_printf(&j->msg, "(%llu in the programme, %llu not about a place)", j->pvd, j->placeless);
	return pvd_buf_str(&j->msg);
}

void pvd_join_free(struct pvd_join *j)
{
	pvd_buf_free(&j->items);
	pvd_buf_free(&j->msg);
	pvd_buf_free(&j->val);
	pvd_name_scratch_free(&j->ns);
	pvd_fieldmap_free(&j->jf);
	for (size_t i = 0; i < j->nds; i++)
		free(j->ds[i].name);
	free(j->ds);
}
