/* aggregate — the engine of pvd-aggregate: cleaned and joined records in,
 * one record per indicator (and per breakdown group) out.
 *
 * The engine is a pvd_sink.  put() reads one record: its dataset (`_dataset`)
 * selects the accumulators of the catalogue that read it; the record's
 * amounts and dates are checked first (a record with an amount that is not
 * a canonical number, or a malformed date, is rejected whole and counts
 * nowhere); then each accumulator whose `where` and date rule keep the record
 * adds it to its headline group and to one group per breakdown dimension.
 * A record of a dataset no indicator reads is counted as skipped.
 * end() computes the values and passes the output records to the next sink,
 * in catalogue order, then by key (null key last), then ends it.
 *
 * State kept, per accumulator and group: records, an int64 sum (cents for
 * eur; every addition overflow-checked), a hash set of distinct values
 * (strset.h) for distinct counts, the last value, the set of input files.
 * Memory therefore grows with the number of groups and distinct values,
 * never with the number of records.
 *
 * Partial states: with `partial`, end() emits the state itself instead of
 * values, as NDJSON records (format in pvd-aggregate(1)): a header
 *   {"pvd_aggregate_state":1,"period","catalog","in","used","rejected","skipped"}
 * then one record per non-empty group {"acc","dim","key","label","records",
 * "sum","last_*","inputs","set"}, sets split over several records beyond
 * 4096 values.  pvd_agg_merge() reads such states (several, concatenated,
 * from several files) back into an engine: every quantity is a sum, a set
 * union, a minimum or a maximum, so merging states of any split of the
 * input gives exactly the values of one pass over all of it.
 *
 * Ownership: the engine borrows the catalogue, the next sink, the reject
 * stream and the stats (all must outlive it); it copies what it keeps of
 * the records it is shown. */
#ifndef PVD_AGGREGATE_H
#define PVD_AGGREGATE_H
#include "indicator.h"
#include "reject.h"
#include "sink.h"
#include "stats.h"

struct pvd_agg;

/* partial: emit the state rather than values. */
struct pvd_agg *pvd_agg_new(const struct pvd_catalog *c, int partial, struct pvd_sink *next,
			    struct pvd_rejects *rj, struct pvd_stats *st);
/* Writes each contribution to l (lineage.h) as it is counted; with
 * pvd_agg_merge(), lineage files among the inputs are copied to l. */
struct pvd_lineage;
void pvd_agg_set_lineage(struct pvd_agg *a, struct pvd_lineage *l);
/* The engine as a sink (records in; end() flushes to next and ends it). */
struct pvd_sink *pvd_agg_sink(struct pvd_agg *a);
/* Reads partial states (files, "-" or none = stdin) into the engine.  A state
 * of another period or catalogue, or a line that is not a state, is fatal:
 * PVD_EX_DATA naming the file and line (a state cannot be half used). */
int pvd_agg_merge(struct pvd_agg *a, char *const *files, int nfiles, struct pvd_err *e);

struct pvd_agg_counts {
	unsigned long long in, used, rejected, skipped;  /* records, over the merged states */
	unsigned long long states;                       /* states merged */
	unsigned long long values;                       /* output records written by end() */
};
void pvd_agg_counts(const struct pvd_agg *a, struct pvd_agg_counts *out);
/* Skipped records per dataset name, for the report (a JSON object, new reference). */
json_t *pvd_agg_skipped_json(const struct pvd_agg *a);
void pvd_agg_free(struct pvd_agg *a);

/* Exact ratio num/den rounded half away from zero to 6 decimals, written as
 * "0.870423" (den must not be 0).  Integer arithmetic only. */
void pvd_ratio6(int64_t num, int64_t den, struct pvd_buf *out);
#endif
