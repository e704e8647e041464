/* strset — a set of byte strings that hands out dense ids.
 *
 * An open-addressing hash table over an arena: adding a string copies it
 * once into the set's arena and gives it the next id (0, 1, 2... in order of
 * first insertion), so the set doubles as a string → index map (groups of an
 * aggregate, interned file names) and as a distinct-values set (distinct
 * communes).  Memory grows with the number of distinct strings, never with
 * the number of additions.  Strings may hold any byte, NUL included (their
 * length is kept); each is also NUL-terminated in the arena for convenience.
 *
 * The set owns its arena and table; pointers from pvd_strset_get() stay
 * valid until the next add (the arena may move) — copy what you keep. */
#ifndef PVD_STRSET_H
#define PVD_STRSET_H
#include <stddef.h>
#include <stdint.h>

struct pvd_strset {
	char *arena;
	size_t alen, acap;
	uint64_t *off;      /* id → arena offset of the string */
	uint32_t *len;      /* id → length */
	uint32_t *hash;     /* id → hash (rehashing without rereading strings) */
	size_t n, idcap;
	uint32_t *slot;     /* table of id + 1 (0 = empty), size a power of two */
	size_t nslots;
};

void pvd_strset_init(struct pvd_strset *s);
void pvd_strset_free(struct pvd_strset *s);
/* Empties the set, keeping its memory. */
void pvd_strset_clear(struct pvd_strset *s);

/* Adds s (n bytes) if absent.  Returns its id; *added (may be NULL) is set
 * to 1 when the string was new. */
uint32_t pvd_strset_add(struct pvd_strset *s, const char *str, size_t n, int *added);
/* Id of s, or -1 when absent. */
long pvd_strset_find(const struct pvd_strset *s, const char *str, size_t n);
static inline size_t pvd_strset_count(const struct pvd_strset *s) { return s->n; }
/* The string of an id (NUL-terminated; *n its length when n is not NULL). */
static inline const char *pvd_strset_get(const struct pvd_strset *s, uint32_t id, size_t *n)
{
	if (n)
		*n = s->len[id];
	return s->arena + s->off[id];
}
/* Ids ordered by their strings (bytewise, shorter prefix first): a malloc'd
 * array of pvd_strset_count() ids, for deterministic output. */
uint32_t *pvd_strset_sorted(const struct pvd_strset *s);
/* Bytewise comparison of two strings with lengths (the order used above). */
int pvd_bytes_cmp(const char *a, size_t an, const char *b, size_t bn);

/* Frees a vector of n malloc'd strings and the vector (the plain lists of
 * names that configs load: codes, headers, separators...). */
void pvd_strv_free(char **v, size_t n);
#endif
