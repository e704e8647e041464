/* profile — source profiles: how one kind of raw export maps onto a
 * canonical dataset (config/sources/NAME.yaml).  The one loader of a
 * profile, for both filters that read one: pvd-ingest takes its columns,
 * pvd-clean its `dataset:` and `clean:` block.
 *
 *   dataset: dotations            # canonical dataset the export feeds
 *   description: ...
 *   encoding: auto                # auto | utf-8 | windows-1252
 *   delimiter: auto               # auto | ',' | ';' | tab | '|'
 *   skip: auto                    # rows above the header: auto or a number
 *   sheet: Suivi                  # spreadsheets: sheet name or position (1...)
 *   fields:                       # canonical field: header names it appears under
 *     beneficiaire_insee: [Code INSEE, "Bénéficiaire - Code INSEE", INSEECOM]
 *     cout: {headers: [Coût total, COUT], optional: true}
 *     beneficiaire_siren: {headers: [id_terr], when: {echelon: [epci]}}
 *   fixed: {partenaire: anah}     # fields with a fixed value
 *   ignore: [LAT, LONG]           # columns dropped knowingly
 *   others: drop                  # other columns: drop (default) or keep
 *   clean:                        # how the source writes what pvd-clean types
 *     dates: excel                #   text (default) | excel | in-text
 *     siret: true                 #   SIRETs where SIRENs belong
 *     decimal: comma              #   auto (default) | comma | point
 *
 * Header names match ignoring case, accents, spaces and punctuation
 * (pvd_fold).  A field is required unless `optional: true`.  A field with
 * `when` takes its column's value only on rows where another column holds
 * one of the listed values (matched the same way), and "" elsewhere: one
 * column of codes that are INSEE codes or SIRENs depending on the row.
 * The profile is checked against its dataset's schema (schema.h) when the
 * config tree it lies in has one: the dataset exists, and every field it
 * maps or fixes is one of the dataset's. */
#ifndef PVD_PROFILE_H
#define PVD_PROFILE_H
#include "amount.h"
#include "diag.h"
#include <stddef.h>

/* The `clean:` block: read by pvd-clean, for the records of this source. */
struct pvd_source_opts {
	unsigned date_flags;   /* dates: text (0) | excel | in-text (datefmt.h flags) */
	int siret;             /* siret: true */
	enum pvd_decimal decimal; /* decimal: auto | comma | point */
};

struct pvd_profile_field {
	char *name;
	char **headers;        /* as written in the profile */
	char **keys;           /* folded */
	size_t nheaders;
	int optional;
	int dup_first;         /* duplicates: first — other columns matching it are dropped */
	char *when_key;        /* folded header of the condition column, or NULL */
	char *when_header;     /* as written */
	char **when_values;    /* folded values */
	size_t nwhen;
};

struct pvd_profile {
	char *name;            /* profile name (file name without .yaml) */
	char *path;
	char *dataset;
	int encoding;          /* enum pvd_enc */
	char delimiter;        /* 0: sniff */
	long skip;             /* -1: detect */
	char *sheet;           /* spreadsheets: sheet name or position, or NULL */
	struct pvd_profile_field *fields;
	size_t nfields;
	char **fixed_names, **fixed_values;
	size_t nfixed;
	char **ignore;         /* folded */
	size_t nignore;
	int keep_others;
	struct pvd_source_opts clean;
};

/* Loads a profile by name (config/sources/NAME.yaml) or path.  Returns 0 or
 * PVD_EX_CONFIG with the YAML position. */
int pvd_profile_load(struct pvd_profile *p, const char *name_or_path, struct pvd_err *e);
void pvd_profile_free(struct pvd_profile *p);
/* Parses a delimiter name: ',', ';', '|', "tab", "\t", "auto" (0); -1 if unknown. */
int pvd_delim_parse(const char *s);
#endif
