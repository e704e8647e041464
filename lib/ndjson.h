/* ndjson — the record stream on the wire: one JSON object per line, UTF-8.
 *
 * The writer emits fields in record order; strings are escaped per RFC 8259
 * (UTF-8 passes through), numbers are written as their literal text.  The
 * reader is a strict parser for one line into a record:
 * nested objects and mixed arrays are kept verbatim as PVD_RAW, so a record
 * reshaped by jq still goes through every filter. */
#ifndef PVD_NDJSON_H
#define PVD_NDJSON_H
#include "buf.h"
#include "diag.h"
#include "record.h"

/* Appends r as one JSON object and a newline. */
void pvd_ndjson_write(struct pvd_buf *out, const struct pvd_record *r);
/* Appends s (n bytes) as a quoted JSON string. */
void pvd_json_quote(struct pvd_buf *out, const char *s, size_t n);

/* Parses one line (without its newline) into r, which is cleared first.
 * Returns 0, or PVD_EX_DATA with e->msg and e->col set (e->file/line are the
 * caller's to fill: see pvd_ndjson_reader). */
int pvd_ndjson_parse(const char *line, size_t n, struct pvd_record *r, struct pvd_err *e);
/* The same, and *reason says why a line is refused: PVD_R_INVALID_JSON (the
 * syntax, or nesting deeper than PVD_JSON_MAXDEPTH), PVD_R_ENCODING (a string
 * that is not UTF-8, an unpaired surrogate, \u0000) or PVD_R_DUP_KEY (a name
 * twice in one object, the record or one nested in it). */
int pvd_ndjson_parse_ex(const char *line, size_t n, struct pvd_record *r, struct pvd_err *e,
			const char **reason);
#endif
