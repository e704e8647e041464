/* jsonlex — the lexical pieces of JSON that both readers share: the record
 * reader (ndjson.c, one object per line) and the document reader (jtree.c,
 * whole documents with literal numbers).
 *
 * Each function scans at *p (p < end), advances *p past what it read and
 * returns NULL, or returns a message and leaves *p at the byte at fault (the
 * backslash of a bad escape). */
#ifndef PVD_JSONLEX_H
#define PVD_JSONLEX_H
#include "buf.h"

/* How deep arrays and objects may nest in anything pvd reads (a record line,
 * a provenance or previous document): the readers refuse deeper input (a
 * record: invalid-json; a document: exit 65), and the document writer's
 * stacks are sized from it, so what was read can always be written. */
#define PVD_JSON_MAXDEPTH 64
#define PVD_STR_(x) #x
#define PVD_STR(x) PVD_STR_(x)

/* A string whose opening quote is at *p, unescaped into out (reset first).
 * \u0000 is refused (records hold C strings); with check_utf8, so is text
 * that is not valid UTF-8. */
const char *pvd_jlex_string(const char **p, const char *end, struct pvd_buf *out, int check_utf8);
/* Whether a message of pvd_jlex_string is about the text, not the syntax:
 * invalid UTF-8 (overlong forms and encoded surrogates included), an unpaired
 * surrogate escape, \u0000.  Records reject those as encoding-error. */
int pvd_jlex_is_encoding(const char *msg);
/* A number, checked against the JSON grammar; its text is [start, *p). */
const char *pvd_jlex_number(const char **p, const char *end);
#endif
