/* schema — what pvd knows about a canonical dataset: the one definition of
 * its fields and types, read by pvd-clean (which types records by it) and by
 * the indicator catalogue (indicator.h, which checks its fields against it).
 *
 * A dataset schema is config/datasets/<dataset>.yaml (format: config/
 * datasets/README.md): its fields and their types, the raw values that mean
 * "missing", the fields that identify a record (duplicates).  How one source
 * writes its dates, SIRETs and decimals is the `clean:` block of its source
 * profile, read with the rest of the profile by profile.h.
 *
 * Loaded once per name by the clean engine (clean.h), which owns them.
 * Every config error names FILE:LINE:COL (PVD_EX_CONFIG). */
#ifndef PVD_SCHEMA_H
#define PVD_SCHEMA_H
#include "buf.h"
#include "diag.h"
#include "yamldoc.h"
#include <stdint.h>

enum pvd_ftype {
	PVD_FT_TEXT, PVD_FT_INSEE, PVD_FT_DEP, PVD_FT_SIREN, PVD_FT_EUR, PVD_FT_INT,
	PVD_FT_DATE, PVD_FT_BOOL, PVD_FT_ENUM, PVD_FT_LIST,
};
const char *pvd_ftype_name(enum pvd_ftype t);

struct pvd_syn {
	char *key;          /* pvd_fold(synonym, 0) */
	unsigned code;      /* index in codes */
};

struct pvd_sfield {
	char *name;
	enum pvd_ftype type;
	int required;
	char **missing;     /* this field's own "missing" raw values (besides the dataset's) */
	size_t nmissing;
	/* enum, list */
	char **codes;
	size_t ncodes;
	struct pvd_syn *syn;
	size_t nsyn;
	char *allowed;      /* "signee, en_cours, non_signee", for messages */
	/* list */
	char **seps;        /* split on these (default ";") */
	size_t nseps;
	char **cols;        /* or gather: one yes/no raw field per value */
	unsigned *colcode;
	size_t ncols;
	/* int, eur (eur in cents) */
	int has_min, has_max;
	int64_t min, max;
	int subcent_reject; /* eur: refuse digits beyond the cent instead of rounding */
};

struct pvd_schema {
	char *dataset;
	char *file;
	struct pvd_sfield *f;
	size_t nf;
	char **missing;      /* raw values meaning "missing" in every field ("" always) */
	size_t nmissing;
	char **key;          /* fields identifying a record, or none: the whole record */
	size_t nkey;
	char **any;          /* required_any: at least one of these must have a value */
	size_t nany;
	int dedupe;          /* duplicates: reject (1, default) or keep (0) */
};

/* Loads a schema file; 0 or PVD_EX_CONFIG with e naming FILE:LINE:COL. */
int pvd_schema_load(struct pvd_schema *s, const char *path, struct pvd_err *e);
/* The same from a parsed document (tests). */
int pvd_schema_from_doc(struct pvd_schema *s, const struct pvd_ydoc *d, struct pvd_err *e);
void pvd_schema_free(struct pvd_schema *s);

/* Index of the code a raw value maps to (matched on pvd_fold keys), or -1.
 * scratch is used for the folded key. */
int pvd_schema_code(const struct pvd_sfield *f, const char *s, size_t n, struct pvd_buf *scratch);
/* Is the trimmed raw value one of the dataset's or the field's "missing" values? */
int pvd_schema_is_missing(const struct pvd_schema *s, const struct pvd_sfield *f, const char *v,
			  size_t n);

#endif
