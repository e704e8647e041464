/* record — the unit that flows between the filters.
 *
 * A record is an ordered set of named fields, the in-memory form of one NDJSON
 * line.  Every string lives in the record's own arena; fields refer to it by
 * offset, so adding a field never invalidates another.  Values keep their
 * JSON kind and their exact text: a number is the literal as written
 * ("3076335.49"), never a double, so amounts stay exact end to end.
 *
 * Provenance travels as ordinary fields, so that jq, mlr and DuckDB see it:
 *   _file     source file of the row (as named on the ingest command line)
 *   _line     physical line of the row in that file, counted from 1
 *   _dataset  canonical dataset, once a profile has named it
 *
 * OWNERSHIP — the one rule for every stage:
 *   A record belongs to whoever created it (a reader, a stage's scratch
 *   record).  A stage that receives a record through pvd_sink.put() only
 *   borrows it for the duration of the call: it may read it, modify it in
 *   place and pass it on, but must copy (pvd_rec_copy, or the strings it
 *   needs) anything it keeps after put() returns.  The creator reuses the
 *   record with pvd_rec_clear() for the next one and frees it at the end.
 *
 * POINTERS INTO A RECORD — a string from pvd_rec_val(), pvd_rec_name(),
 *   pvd_rec_str() or pvd_list_first/next(), and a field from pvd_rec_get(),
 *   are valid only until the next change to that record: pvd_rec_set*(),
 *   pvd_rec_add(), pvd_rec_del(), pvd_rec_rename(), pvd_rec_clear().  A
 *   change may move the arena and the field array.  Read every value first
 *   and change after, or copy what is still needed; a field's offsets
 *   (struct pvd_field) and its index (pvd_rec_find) stay valid across
 *   pvd_rec_set*() and pvd_rec_add(), not across pvd_rec_del().  Passing a
 *   pointer into the record to pvd_rec_set*() itself is safe: it is copied
 *   before the arena moves.
 *
 * PLAIN VALUES — a field's plain flag says that its text (a STR, or every
 *   item of a LIST) holds no byte JSON must escape ('"', '\\', a control
 *   byte below 0x20), so the NDJSON writer copies it without a look.  It is
 *   only ever set by the code that produced the value and knows it
 *   (pvd_rec_plain: the NDJSON reader for a string written without an
 *   escape, a normaliser producing digits or codes); every pvd_rec_set*()
 *   and pvd_rec_add() clears it, so a value changed later is checked again.
 *   A wrong flag would write invalid JSON: when unsure, leave it unset.
 *
 * LAYOUT STAMPS — r->layout, when not 0, names r's field names in their
 *   order: two records with the same non-zero stamp have the same names in
 *   the same order, so a stage that resolved where its fields are in one
 *   (fieldmap.h) knows them in the other without comparing names.  A record
 *   is stamped by its creator when it knows the names repeat (the NDJSON
 *   reader, the previous line's names; ingest, one header's columns), with
 *   a stamp from pvd_layout_new(); pvd_rec_clear(), pvd_rec_add(), an append
 *   by pvd_rec_set*(), pvd_rec_del() and pvd_rec_rename() put it back to 0
 *   (unknown); replacing a value keeps it. */
#ifndef PVD_RECORD_H
#define PVD_RECORD_H
#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum pvd_kind {
	PVD_NULL,   /* JSON null: a missing value (an empty cell after cleaning) */
	PVD_STR,    /* a JSON string (UTF-8, unescaped here) */
	PVD_NUM,    /* a JSON number, kept as its literal text */
	PVD_BOOL,   /* "true" or "false" */
	PVD_LIST,   /* a JSON array of strings: nitems NUL-terminated items, back to back */
	PVD_RAW,    /* any other JSON value (object, mixed array), kept as its JSON text */
};

struct pvd_field {
	uint32_t name, val;   /* offsets of NUL-terminated strings in the arena */
	uint32_t name_len, val_len;
	uint8_t kind;         /* enum pvd_kind */
	uint8_t plain;        /* 1: no byte of the value needs a JSON escape (see PLAIN VALUES) */
	uint16_t nitems;      /* PVD_LIST: number of items */
};

struct pvd_record {
	char *arena;
	size_t alen, acap;
	struct pvd_field *f;
	size_t n, cap;
	uint64_t layout;      /* 0, or the stamp of its names (LAYOUT STAMPS) */
};

/* A stamp no record has had yet (never 0). */
uint64_t pvd_layout_new(void);

/* Copy and compare for the short names and values of records (most of 8 to
 * 16 bytes): two overlapping word moves instead of a call to the C library.
 * Only the n bytes given are read. */
static inline void pvd_copy_small(char *d, const char *s, size_t n)
{
	if (n > 16 || n < 8) {
		memcpy(d, s, n);
		return;
	}
	uint64_t head, tail;
	memcpy(&head, s, 8);
	memcpy(&tail, s + n - 8, 8);
	memcpy(d, &head, 8);
	memcpy(d + n - 8, &tail, 8);
}
static inline int pvd_same_small(const char *x, const char *y, size_t n)
{
	uint64_t a[2], b[2];
	if (n > 16 || n < 8)
		return memcmp(x, y, n) == 0;
	memcpy(&a[0], x, 8);
	memcpy(&a[1], x + n - 8, 8);
	memcpy(&b[0], y, 8);
	memcpy(&b[1], y + n - 8, 8);
	return a[0] == b[0] && a[1] == b[1];
}

void pvd_rec_init(struct pvd_record *r);
void pvd_rec_clear(struct pvd_record *r);        /* empties, keeps the memory */
void pvd_rec_free(struct pvd_record *r);
void pvd_rec_copy(struct pvd_record *dst, const struct pvd_record *src);

/* Index of the field named name, or -1. */
int pvd_rec_find(const struct pvd_record *r, const char *name);
/* The field named name, or NULL. */
const struct pvd_field *pvd_rec_get(const struct pvd_record *r, const char *name);

static inline const char *pvd_rec_name(const struct pvd_record *r, const struct pvd_field *f)
{
	return r->arena + f->name;
}
static inline const char *pvd_rec_val(const struct pvd_record *r, const struct pvd_field *f)
{
	return r->arena + f->val;
}
/* Value of a string-like field (STR, NUM, BOOL, RAW) by name; NULL when the
 * field is absent, null, or a list. */
const char *pvd_rec_str(const struct pvd_record *r, const char *name);

/* Sets a field, replacing the value of an existing one in place (its position
 * is kept) or appending a new one.  val need not be NUL-terminated.
 * For PVD_LIST, val holds nitems NUL-terminated items back to back and len
 * counts all of them, terminators included. */
void pvd_rec_set(struct pvd_record *r, const char *name, enum pvd_kind kind,
		 const char *val, size_t len);
/* Sets the value of field i (an index from pvd_rec_find, still valid): for a
 * stage that knows where the field is, without a search by name.  Not for
 * PVD_LIST. */
void pvd_rec_set_at(struct pvd_record *r, size_t i, enum pvd_kind kind, const char *val, size_t len);
/* Appends a field without looking for an existing one of that name: for
 * builders that know their names are distinct (a CSV header, deduplicated). */
void pvd_rec_add(struct pvd_record *r, const char *name, size_t name_len, enum pvd_kind kind,
		 const char *val, size_t len);
/* Marks field i's value plain (see PLAIN VALUES): for the producer of the
 * value, right after setting it. */
static inline void pvd_rec_plain(struct pvd_record *r, size_t i)
{
	r->f[i].plain = 1;
}
void pvd_rec_set_list(struct pvd_record *r, const char *name, const char *items,
		      size_t len, unsigned nitems);
static inline void pvd_rec_set_str(struct pvd_record *r, const char *name, const char *s)
{
	pvd_rec_set(r, name, PVD_STR, s, strlen(s));
}
void pvd_rec_set_null(struct pvd_record *r, const char *name);
void pvd_rec_set_long(struct pvd_record *r, const char *name, long long v);
void pvd_rec_set_bool(struct pvd_record *r, const char *name, int v);
/* Removes a field; returns 1 if it was there. */
int pvd_rec_del(struct pvd_record *r, const char *name);
/* Renames field i (used by profiles: header name → canonical name). */
void pvd_rec_rename(struct pvd_record *r, size_t i, const char *name);

/* Iterating a PVD_LIST value: for (p = first; p; p = next) ... */
const char *pvd_list_first(const struct pvd_record *r, const struct pvd_field *f);
const char *pvd_list_next(const struct pvd_record *r, const struct pvd_field *f, const char *item);

/* Provenance helpers: "_file" / "_line" ("" and 0 when absent). */
const char *pvd_rec_file(const struct pvd_record *r);
long pvd_rec_line(const struct pvd_record *r);
/* A _line value's text as pvd_rec_line reads it: a whole number from 0 to
 * LONG_MAX, else 0 (no line known). */
long pvd_line_parse(const char *s);
#endif
