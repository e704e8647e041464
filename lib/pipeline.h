/* pipeline — the YAML file that describes one quarter's run of pvd-run.
 *
 *   period: 2021-Q4                       # YYYY-Qn, passed to pvd-aggregate
 *   sources:                              # one pvd-ingest | ... chain each
 *     - name: ort                         # optional: default the profile name;
 *       file: ../fixtures/exports/ort.csv #   used in rejects/report file names
 *       profile: ort-dgaln                # config/sources/NAME.yaml, or a path
 *   reference:                            # optional: pvd-join --ref NAME=VALUE
 *     pvd: pvd-2021-01                    # config/ref/VALUE(.csv), or a path
 *     communes: cog-2026
 *   config: ../config                     # optional: the config directory (below)
 *   indicators: ../config/indicators.yaml # optional: the catalogue (pvd-aggregate),
 *                                         #   default CONFIG/indicators.yaml
 *   previous: ../out/2021-Q3/indicators.json  # optional: pvd-render --previous
 *   output: ../out/2021-Q4                # directory replaced as a whole
 *   formats: [json, html, md, csv]        # optional, default [json]
 *   csv: {locale: fr, bom: true}          # optional: the CSV output's locale (fr:
 *                                         #   ';', decimal comma, CRLF; c: ',' '.'),
 *                                         #   default fr; bom default: locale is fr
 *   max_rejected: 5%                      # optional: warn above (default 5%)
 *   fail_rejected: 50%                    # optional: fail above (default: never)
 *
 * A source may set its own max_rejected / fail_rejected: the share of the
 * rows pvd-ingest read that the source's stages rejected, all stages
 * together, above which the run warns (max_rejected) or fails the source
 * with exit 65 (fail_rejected).
 *
 * Relative paths are relative to the directory of the pipeline file and are
 * kept relative to the current directory (lexically normalised), so that a
 * pipeline can be run from anywhere and `--dry-run` prints short paths.
 * A pipeline is self-contained: its bare profile and reference names, its
 * default catalogue and the dashboard layout come from ONE config directory,
 * never from the caller's current directory: --config DIR or $PVD_CONFIG
 * when given (confpath.h), else the pipeline's `config:` (relative to the
 * pipeline file), else the config/ of the project that holds the pipeline
 * (PIPELINE_DIR/config, else PIPELINE_DIR/../config), else the installed
 * copy.  pvd-run hands it to the filters as $PVD_CONFIG.  Loading checks
 * everything that can be checked before a run: unknown keys, types, every
 * input file readable, names unique, and that the output directory, which
 * the run replaces as a whole, is none of the run's inputs, holds none and
 * lies in no directory the run reads (the config directory included): by
 * the device and inode of each directory on the way, so that an absolute
 * path, `..`, or a symbolic link cannot hide it.  Each error is
 * PVD_EX_CONFIG at the FILE:LINE:COL of the offending node; loading goes on
 * after an error to find the others (pvd-run --check shows them all). */
#ifndef PVD_PIPELINE_H
#define PVD_PIPELINE_H
#include "diag.h"
#include <stddef.h>

struct pvd_psource {
	char *name;          /* [A-Za-z0-9][A-Za-z0-9_.-]*, unique in the pipeline */
	char *file;          /* resolved path of the raw export */
	char *profile;       /* argument for --profile: the bare name, or a resolved path */
	char *profile_path;  /* the profile's file, found */
	int max_rejected;    /* warn above this share, in hundredths of a percent */
	int fail_rejected;   /* fail above this share; -1: never */
};

struct pvd_pref {
	char *name;          /* "pvd", "communes" */
	char *value;         /* argument after NAME=: bare version, or a resolved path */
	char *path;          /* the file or directory it names, found */
};

struct pvd_pipeline {
	char *file;          /* the pipeline file as named */
	char *dir;           /* its directory ("." when none): base of relative paths */
	char *config;        /* the config directory of the run (see above) */
	char *period;
	struct pvd_psource *sources;
	size_t nsources;
	struct pvd_pref *refs;
	size_t nrefs;
	char *indicators;
	char *previous;      /* NULL when there is none */
	char *output;
	char **formats;      /* "json", "html", "md", "csv"; at least one */
	size_t nformats;
	char *csv_locale;    /* "fr" (default) or "c" */
	int csv_bom;         /* a UTF-8 BOM before the CSV (default: locale fr) */
	int max_rejected;    /* the sources' default (500: 5%) */
	int fail_rejected;   /* the sources' default (-1: never) */
};

#define PVD_PL_MAX_REJECTED 500  /* 5.00% */

/* Flags of pvd_pipeline_load. */
enum {
	/* Do not require the files named to exist (for --print-deps: make
	 * builds the previous quarter's document); what cannot be found is
	 * left NULL (profile_path, a reference's path). */
	PVD_PL_LENIENT = 1,
};

/* Loads and validates path.  Returns 0, or PVD_EX_CONFIG with e naming
 * FILE:LINE:COL (a pipeline file that cannot be opened is PVD_EX_CONFIG too). */
int pvd_pipeline_load(struct pvd_pipeline *p, const char *path, int flags, struct pvd_err *e);
/* Same, and *all (when all is not NULL) gets every error found (unknown
 * keys, then the keys in the order above; a malloc'd array of *nall, NULL
 * when there is none; free() it).  e gets the first. */
int pvd_pipeline_load_all(struct pvd_pipeline *p, const char *path, int flags, struct pvd_err *e,
			  struct pvd_err **all, size_t *nall);
/* Replaces the pipeline's output directory (pvd-run --output DIR, relative
 * to the current directory), with the same checks as the file's `output:`.
 * Returns 0 or PVD_EX_USAGE. */
int pvd_pipeline_set_output(struct pvd_pipeline *p, const char *dir, struct pvd_err *e);
/* Same from text (tests); name plays the part of the file's path. */
int pvd_pipeline_parse(struct pvd_pipeline *p, const char *name, const char *text, size_t len,
		       int flags, struct pvd_err *e);
int pvd_pipeline_parse_all(struct pvd_pipeline *p, const char *name, const char *text, size_t len,
			   int flags, struct pvd_err *e, struct pvd_err **all, size_t *nall);
void pvd_pipeline_free(struct pvd_pipeline *p);

/* Every file the run reads, for make: the pipeline itself, the sources,
 * their profiles, the reference files (a reference directory's files), the
 * catalogue, the dataset schemas (the config directory's and the
 * catalogue's datasets/), the dashboard layout, the previous document.  Files that do not exist are left out
 * (pvd-run will say what is missing), except the previous document, which
 * make knows how to build.  Returns a malloc'd NULL-terminated
 * array of malloc'd strings; *n gets the count. */
char **pvd_pipeline_deps(const struct pvd_pipeline *p, size_t *n);

/* "5%", "0.5%", "12.25 %" as hundredths of a percent (500, 50, 1225), or
 * -1 when s is not a share from 0% to 100% with at most two decimals. */
int pvd_share_parse(const char *s);

/* dir + "/" + rel, lexically normalised ("a/./b" → "a/b", "a/../b" → "b",
 * "./x" → "x"); rel is returned as it is (normalised) when absolute or when
 * dir is "." or "".  Malloc'd. */
char *pvd_path_resolve(const char *dir, const char *rel);
#endif
