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

/* A string whose opening quote is at *p, unescaped into out (reset first).
 * \u0000 is refused (records hold C strings); with check_utf8, so is text
 * that is not valid UTF-8. */
const char *pvd_jlex_string(const char **p, const char *end, struct pvd_buf *out, int check_utf8);
/* A number, checked against the JSON grammar; its text is [start, *p). */
const char *pvd_jlex_number(const char **p, const char *end);
#endif
