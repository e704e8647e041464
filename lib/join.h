/* join — pvd-join's engine: attaches each record to its commune (or EPCI)
 * and to the PVD list of the period, as a struct pvd_sink.
 *
 * The reference (struct pvd_join_ref) is loaded once: the COG tables of a
 * directory (communes.csv required; anciens_codes.csv,
 * deleguees_associees.csv, epci.csv, departements.csv, regions.csv used when
 * present) and one PVD list, into a communeidx.h index.  Names given to
 * --ref are looked up as config/ref/NAME.csv (the PVD list) and
 * config/ref/NAME/ (the COG directory) through confpath.h; a path is taken
 * as it is.  Problems in the tables are warnings in ref->log (reftable.h).
 *
 * How a record is located, first that applies:
 *   1. a commune code: `insee`, else `beneficiaire_insee` (a current code:
 *      match "code"; an old code of a merged commune: match "old-code",
 *      the code kept in `remapped_from`; a municipal arrondissement: match
 *      "code", its code in `remapped_from`).  A code that leads nowhere is
 *      a failure: the name is not tried, a code is not second-guessed;
 *   2. no code: an EPCI SIREN, `beneficiaire_siren` else `epci_siren`
 *      (match "epci": the record concerns every PVD commune of the EPCI,
 *      listed in `pvd_communes`; it is not duplicated);
 *   3. no code and no EPCI: the name (`nom`, `beneficiaire_nom`, `commune`)
 *      in the département (`dep`, `beneficiaire_dep`; all of France when
 *      absent), see pvd_cidx_name (match "name").  Not tried when the
 *      record says its beneficiary is something else: a SIREN that is
 *      neither a known EPCI nor a commune's (communes' SIRENs begin with 21),
 *      or an `echelon` / `beneficiaire_type` that does not read "commune"
 *      (a syndicate named like a commune, a conseil départemental);
 *   4. none of these fields present at all: a record not about a place
 *      (the club's own figures: its dataset's schema names none of them,
 *      or it has no _dataset) is passed through untouched; a record of a
 *      dataset that has such fields (ort, dotations...) or of an unknown
 *      dataset is a failure (required-value): `{"_dataset":"ort"}` names
 *      no commune, it must not count as one.
 * A failure has a reason: type-error (not a code), no-match,
 * ambiguous-match (candidates listed) or required-value (fields present
 * but all empty).
 *
 * Modes — what "matched" means and what is emitted:
 *   inner  matched = a commune or an EPCI was found (in the programme or
 *          not: the `pvd` field says, and pvd-aggregate filters on it).
 *          Emits matched and passed-through records; rejects the others.
 *          in = out + rejected.
 *   left   emits every record; one that matched nothing gets the join
 *          fields null, `pvd` false, `pvd_communes` [], `match` null and
 *          `match_error` (the reason) / `match_message`.  in = out.
 *   anti   matched = in the programme (`pvd` true).  Emits what is not:
 *          records joined to a commune or EPCI outside the programme and
 *          records that matched no commune at all (marked as in left mode)
 *          — the report of exports that mention communes outside the
 *          programme.  Records in the programme and records not about a
 *          place are counted as skipped.  in = out + skipped.
 *
 * Counting: the engine counts out, rejected and skipped in the stats it is
 * given (the stream counts in).  Stage name in rejects: "join". */
#ifndef PVD_JOIN_H
#define PVD_JOIN_H
#include "communeidx.h"
#include "fieldmap.h"
#include "reject.h"
#include "sink.h"
#include "stats.h"
#include <jansson.h>

enum pvd_join_mode { PVD_JOIN_INNER, PVD_JOIN_LEFT, PVD_JOIN_ANTI };
/* "inner" / "left" / "anti" → mode; returns -1 for anything else. */
int pvd_join_mode_parse(const char *s);
const char *pvd_join_mode_name(enum pvd_join_mode m);

/* The reference tables to load, as named on the command line. */
#define PVD_JOIN_DEFAULT_COMMUNES "cog-2026"
struct pvd_join_refs {
	const char *pvd;       /* NAME or FILE: required */
	const char *communes;  /* NAME or DIR: default PVD_JOIN_DEFAULT_COMMUNES */
};
/* One --ref argument: "pvd=NAME|FILE", "communes=NAME|DIR", or a bare
 * NAME|FILE for the PVD list.  Returns 0, or PVD_EX_USAGE (e filled) for an
 * unknown key.  r keeps pointers into arg. */
int pvd_join_refs_add(struct pvd_join_refs *r, const char *arg, struct pvd_err *e);

struct pvd_join_ref {
	struct pvd_cidx idx;
	struct pvd_reflog log;    /* warnings about the tables, for the caller to print */
	char *pvd_file, *cog_dir; /* as found */
	double load_ms;           /* wall time to read, check and index everything */
	double load_cpu_ms;       /* the CPU time it took (the same on a busy machine) */
};
/* Loads and indexes the reference.  Returns 0, or PVD_EX_CONFIG (a table
 * missing or unreadable) with e filled.  Free with pvd_join_ref_free either
 * way. */
int pvd_join_ref_load(struct pvd_join_ref *ref, const struct pvd_join_refs *names, struct pvd_err *e);
/* What was loaded, for --report (a new reference). */
json_t *pvd_join_ref_report(const struct pvd_join_ref *ref);
void pvd_join_ref_free(struct pvd_join_ref *ref);

struct pvd_join {
	struct pvd_sink base;
	const struct pvd_join_ref *ref;   /* borrowed, outlives the join */
	enum pvd_join_mode mode;
	struct pvd_sink *next;
	struct pvd_rejects *rj;
	struct pvd_stats *st;
	/* what happened, for the report */
	unsigned long long by_match[4];   /* code, old-code, name, epci */
	unsigned long long pvd, not_pvd, unmatched, placeless;
	struct pvd_buf items, msg, val;
	struct pvd_name_scratch ns;
	struct pvd_fieldmap jf;           /* where the join fields (joinfields.h) are in the record */
	/* The layout stamps (record.h) given to joined records: the names out
	 * follow from the names in and which optional fields the outcome
	 * adds or removes, so one stamp per pair, the last few kept. */
	struct pvd_join_stamp {
		uint64_t in, out;
		unsigned shape;
	} stamps[8];
	unsigned nstamp;
	/* datasets seen without any locating field: whether their schema has one */
	struct pvd_join_ds {
		char *name;
		int placed;
	} *ds;
	size_t nds, cds;
};
void pvd_join_init(struct pvd_join *j, const struct pvd_join_ref *ref, enum pvd_join_mode mode,
		   struct pvd_sink *next, struct pvd_rejects *rj, struct pvd_stats *st);
/* The counts, for --report (a new reference). */
json_t *pvd_join_report(const struct pvd_join *j);
/* The word after "skipped N" on the summary line ("" when nothing was
 * skipped); points into j, valid until the next call. */
const char *pvd_join_skip_detail(struct pvd_join *j);
void pvd_join_free(struct pvd_join *j);
#endif
