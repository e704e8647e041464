/* communeidx — the commune reference in memory: indexes on commune codes
 * and old codes of merged communes (a direct-address table: a code is its
 * own perfect hash), EPCI SIRENs and folded names (hash tables), and the
 * PVD list of the period laid over it.
 *
 * Built once from the COG tables (reftable.h): every current commune with
 * its département, région and EPCI; the old codes of merged communes and the
 * codes of municipal arrondissements, each leading to its current commune;
 * the names of current communes and of delegated/associated communes (whose
 * parent is found through their code: the table names a parent only for
 * arrondissements).  Then pvd_cidx_set_pvd marks the communes of a PVD list
 * (a list row written with an old code marks the current commune) and
 * computes, for each EPCI, its PVD communes in code order.
 *
 * Checks made while building (each one warning in the log, never an error):
 * duplicate codes, an old code that is also a current code, an old code
 * leading nowhere, a delegated commune without a parent, a commune whose
 * département or EPCI disagrees with the départements/EPCI tables, a PVD row
 * whose code is not a commune, or names a commune already listed, or whose
 * département is not that of the commune.
 *
 * Name matching keys (pvd_name_keys): pvd_fold with ' ', then St → Saint,
 * Ste → Sainte (as whole words), an article written after the name in
 * parentheses ("Abergement-Clémenciat (L')") put back in front; the "full"
 * key keeps a leading article Le/La/Les/L', the "bare" key drops it.
 *
 * Ownership: the index owns everything it holds (strings are copied into its
 * pool); the tables it was built from may be freed once it is built.  A
 * built index is read-only: lookups take a caller's scratch, so one index
 * can serve several joins. */
#ifndef PVD_COMMUNEIDX_H
#define PVD_COMMUNEIDX_H
#include "buf.h"
#include "reftable.h"
#include "u64map.h"
#include <stdint.h>

struct pvd_commune {
	char code[6];
	uint8_t pvd;           /* in the PVD list in force */
	const char *nom;
	int32_t dep;           /* index in deps */
	int32_t epci;          /* index in epcis, -1: none */
	const char *id_pvd;    /* the list's id_pvd, NULL when not PVD or missing */
};
struct pvd_dep {
	char code[4], reg[4];
	const char *nom, *reg_nom;
	const char *key;       /* bare name key of nom (NULL without a name) */
	uint32_t ncommunes;
};
struct pvd_epci {
	char siren[10];
	const char *nom;
	int32_t dep;           /* département common to all its communes, or -1 */
	int32_t reg_dep;       /* a member's département when all members share its région, or -1 */
	uint32_t ncommunes;    /* members in the commune table */
	uint32_t npvd, pvd0;   /* its PVD communes: pvd_members[pvd0 .. pvd0+npvd) */
};

/* Where a code led. */
enum pvd_code_hit { PVD_HIT_NONE, PVD_HIT_CODE, PVD_HIT_OLD, PVD_HIT_ARM };

struct pvd_cidx {
	struct pvd_commune *c;
	size_t nc;
	struct pvd_dep *d;
	size_t nd;
	struct pvd_epci *e;
	size_t ne;
	uint32_t *pvd_members;       /* commune indices, grouped by EPCI */
	/* hash tables (open addressing) */
	int32_t *codes;              /* code → commune << 2 | hit (direct-address, see .c) */
	struct pvd_u64map sirens;    /* SIREN → EPCI */
	struct pvd_u64map depmap;    /* département code → dep */
	int32_t *name_heads;         /* bare key → chain of name entries */
	size_t names_mask;
	struct pvd_nameent *names;
	size_t nnames, names_cap;
	uint32_t *by_dep;            /* name entries grouped by département (suggestions) */
	uint32_t *dep_first;         /* nd + 1 offsets into by_dep */
	struct pvd_strpool pool;
	/* what was loaded, for the report */
	size_t n_old, n_arm, n_sub_names;
	size_t pvd_rows, pvd_communes, pvd_old, pvd_skipped, pvd_renamed, pvd_epci_differs;
	size_t pvd_grouped_ids, pvd_grouped_communes;
};

/* The COG tables an index is built from; any but communes may be NULL or
 * empty (not loaded). */
struct pvd_cog_tabs {
	const struct pvd_reftab *communes, *oldcodes, *subs, *epci, *deps, *regs;
};

void pvd_cidx_init(struct pvd_cidx *x);
/* Builds the index.  Rows the tables skipped are ignored; inconsistencies
 * are warned about in log (see above). */
void pvd_cidx_build(struct pvd_cidx *x, const struct pvd_cog_tabs *t, struct pvd_reflog *log);
/* Lays a PVD list over the index (once). */
void pvd_cidx_set_pvd(struct pvd_cidx *x, const struct pvd_reftab *list, struct pvd_reflog *log);
void pvd_cidx_free(struct pvd_cidx *x);

/* The commune of a code: its index, or -1; *hit says how it was found. */
int32_t pvd_cidx_code(const struct pvd_cidx *x, const char *code, size_t n, enum pvd_code_hit *hit);
/* The EPCI of a SIREN: its index, or -1. */
int32_t pvd_cidx_epci(const struct pvd_cidx *x, const char *siren, size_t n);
/* The département of a code: its index, or -1. */
int32_t pvd_cidx_dep(const struct pvd_cidx *x, const char *code);

/* Name lookup. */
#define PVD_NAME_MAXCAND 8
enum pvd_name_status { PVD_NAME_NONE, PVD_NAME_MATCH, PVD_NAME_AMBIGUOUS };
struct pvd_name_cand {
	int32_t commune;       /* the commune the name leads to */
	const char *name;      /* the name as in the table */
	const char *what;      /* "commune", "commune-deleguee", ..., "PVD-list name" */
};
struct pvd_name_result {
	enum pvd_name_status status;
	int32_t dep_named;     /* a département (of more than one commune) with this very
				* name, -1: "Mayenne" in 53 may be the conseil
				* départemental; the name is then ambiguous */
	size_t n;              /* candidates kept (distinct communes, at most PVD_NAME_MAXCAND) */
	size_t total;          /* distinct communes found */
	struct pvd_name_cand c[PVD_NAME_MAXCAND];
	/* for no match: communes of the département with a name that begins
	 * with the same word (two after Saint...) */
	size_t nsimilar, nsimilar_total;
	struct pvd_name_cand similar[PVD_NAME_MAXCAND];
};
struct pvd_name_scratch {
	struct pvd_buf clean, full, bare, tmp;
};
/* Looks up name in département dep (a canonical code from pvd_dep_canon,
 * "20" for either Corsican département, NULL for all of France).
 * A name that leads to one commune (through any number of names) matches.
 * When it leads to several: a candidate written exactly as given wins, then,
 * if the name was given with its article, the candidate with that article;
 * otherwise the name is ambiguous.  A name that is also the name of the
 * département (any département when dep is NULL) is ambiguous whatever the
 * communes: grants to a conseil départemental are named so (Paris, a
 * département of one commune, is not).  res->c[0] is the match. */
void pvd_cidx_name(const struct pvd_cidx *x, const char *name, size_t n, const char *dep,
		   struct pvd_name_result *res, struct pvd_name_scratch *s);
void pvd_name_scratch_free(struct pvd_name_scratch *s);

/* The matching keys of a name (see above); *article says whether the name
 * began with one.  Exposed for the tests. */
void pvd_name_keys(const char *s, size_t n, struct pvd_buf *full, struct pvd_buf *bare,
		   int *article, struct pvd_buf *tmp);
/* A département as written in exports → its canonical code in out (4 bytes):
 * "1" → "01", "001" → "01", "02A"/"2a" → "2A", "971" stays.  Returns 0, or
 * -1 when it cannot be a département code. */
int pvd_dep_canon(const char *s, size_t n, char out[4]);
#endif
