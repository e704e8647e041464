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
#include <stdint.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

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
/* The end of the run of plain string bytes at p: the first quote, backslash
 * or control character, or end.  *high gains the bits of the bytes of the
 * run (bit 7 set: some byte needs a UTF-8 check). */
static inline __attribute__((always_inline)) const char *pvd_jlex_run(const char *p, const char *end, uint64_t *high)
{
	/* Eight bytes at a time; the lowest byte flagged is exact (a borrow
	 * only flags bytes above a true hit), so the run stops right there. */
	uint64_t h = 0, lo = 0x0101010101010101ULL, hi = 0x8080808080808080ULL;
#ifdef __SSE2__
	/* Sixteen at a time where SSE2 is there (every x86-64): a quote, a
	 * backslash or a byte below 0x20 (min(b, 0x1F) == b) stops the run. */
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1F);
	unsigned top = 0; /* the high bits of the bytes of the run */
	while (end - p >= 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)p);
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
					 _mm_cmpeq_epi8(_mm_min_epu8(v, ctl), v));
		unsigned stop = (unsigned)_mm_movemask_epi8(m), hb = (unsigned)_mm_movemask_epi8(v);
		if (stop) {
			unsigned k = (unsigned)__builtin_ctz(stop);
			if (top || (hb & ((1u << k) - 1)))
				*high |= 0x80;
			return p + k;
		}
		top |= hb;
		p += 16;
	}
	if (top)
		h = 0x80;
#endif
	while (end - p >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		uint64_t q = w ^ (lo * '"'), b = w ^ (lo * '\\');
		uint64_t hit = (((w - lo * 0x20) & ~w) | ((q - lo) & ~q) | ((b - lo) & ~b)) & hi;
		if (hit) {
			unsigned k = (unsigned)__builtin_ctzll(hit) / 8;
			*high |= h | (k ? w & (~0ULL >> (64 - 8 * k)) : 0);
			return p + k;
		}
		h |= w;
		p += 8;
	}
	while (p < end && *p != '"' && *p != '\\' && (unsigned char)*p >= 0x20)
		h |= (unsigned char)*p++;
	*high |= h;
	return p;
}
/* Whether a message of pvd_jlex_string is about the text, not the syntax:
 * invalid UTF-8 (overlong forms and encoded surrogates included), an unpaired
 * surrogate escape, \u0000.  Records reject those as encoding-error. */
int pvd_jlex_is_encoding(const char *msg);
/* A number, checked against the JSON grammar; its text is [start, *p). */
const char *pvd_jlex_number(const char **p, const char *end);
#endif
