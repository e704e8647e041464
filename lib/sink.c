#include "sink.h"
#include "ndjson.h"

static int nd_put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	struct pvd_ndjson_sink *s = (struct pvd_ndjson_sink *)self;
	pvd_ndjson_write(&s->out->b, r);
	pvd_out_flush_some(s->out);
	return 0;
}

void pvd_ndjson_sink_init(struct pvd_ndjson_sink *s, struct pvd_out *out)
{
	s->base.put = nd_put;
	s->base.end = NULL;
	s->base.n = 0;
	s->out = out;
}

static int null_put(struct pvd_sink *self, struct pvd_record *r, struct pvd_err *e)
{
	return 0;
}

void pvd_null_sink_init(struct pvd_sink *s)
{
	s->put = null_put;
	s->end = NULL;
	s->n = 0;
}
