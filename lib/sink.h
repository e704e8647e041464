/* sink — how stages are chained.
 *
 * Each filter's engine is a sink: it receives records one at a time through
 * put() and passes what it emits to the next sink.  end() marks the end of
 * the stream (a stage holding state, like an aggregate, flushes then) and is
 * passed on down the chain.  The same engines run as separate processes
 * joined by pipes (each cmd/ main reads NDJSON and ends in an NDJSON writer
 * sink) or chained in one process, without re-parsing JSON between them.
 *
 * put() borrows the record (see the ownership rule in record.h).  Both
 * return 0, or an exit status with *e filled for a fatal error. */
#ifndef PVD_SINK_H
#define PVD_SINK_H
#include "diag.h"
#include "output.h"
#include "record.h"

struct pvd_sink {
	int (*put)(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e);
	int (*end)(struct pvd_sink *self, struct pvd_err *e);
	unsigned long long n;  /* records received, kept by pvd_sink_put() */
	/* Where the record being put comes from, when the feeder knows it
	 * (pvd_stream_ndjson sets both before each put; NULL/0 otherwise): for
	 * a sink whose records carry no _file/_line of their own, such as
	 * pvd-render reading pvd-aggregate's indicator records. */
	const char *file;
	long line;
};

static inline int pvd_sink_put(struct pvd_sink *s, struct pvd_record *r, struct pvd_err *e)
{
	s->n++;
	return s->put(s, r, e);
}
static inline int pvd_sink_end(struct pvd_sink *s, struct pvd_err *e)
{
	return s->end ? s->end(s, e) : 0;
}

/* The last stage of a filter process: each record as one NDJSON line. */
struct pvd_ndjson_sink {
	struct pvd_sink base;
	struct pvd_out *out;
};
void pvd_ndjson_sink_init(struct pvd_ndjson_sink *s, struct pvd_out *out);

/* A sink that counts and discards (benchmarks, --count). */
void pvd_null_sink_init(struct pvd_sink *s);
#endif
