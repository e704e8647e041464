/* linemap — where each of a sequence of records was read (file id, line),
 * by ordinal, in about a byte a record: pvd-clean's duplicate set keeps only
 * an ordinal per member (fpset.h) and asks here for the first one's place
 * when a duplicate comes.
 *
 * Members are added in ordinal order (0, 1, 2...).  Each is stored as the
 * difference between its line and the previous member's, zigzag and varint
 * encoded (1 byte for a step of -64 to 63: the next line, or a few lines on
 * after rejects), with a mark (ordinal, file, line, offset: 24 bytes) every
 * PVD_LINEMAP_EVERY members and wherever the file changes or the difference
 * does not fit a long.  Finding a member decodes at most PVD_LINEMAP_EVERY - 1
 * differences from its mark. */
#ifndef PVD_LINEMAP_H
#define PVD_LINEMAP_H
#include <stddef.h>
#include <stdint.h>

#define PVD_LINEMAP_EVERY 128

struct pvd_linemap_mark {
	uint64_t off;         /* where the next members' differences start */
	uint32_t ord, file;
	long line;
};

struct pvd_linemap {
	uint8_t *b;           /* the differences */
	size_t nb, cb;
	struct pvd_linemap_mark *m;
	size_t nm, cm;
	uint32_t n;           /* members added */
	uint32_t file;        /* the last one's file and line */
	long line;
};

/* Adds member number map->n, read at file:line. */
void pvd_linemap_add(struct pvd_linemap *map, uint32_t file, long line);
/* The place of member ord (< map->n). */
void pvd_linemap_get(const struct pvd_linemap *map, uint32_t ord, uint32_t *file, long *line);
/* Bytes the map holds now. */
size_t pvd_linemap_bytes(const struct pvd_linemap *map);
void pvd_linemap_free(struct pvd_linemap *map);
#endif
