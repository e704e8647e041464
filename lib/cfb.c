#include "cfb.h"
#include "xmem.h"
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define FREESECT 0xFFFFFFFFu
#define ENDOFCHAIN 0xFFFFFFFEu

struct cfb {
	const unsigned char *p;
	size_t n;
	size_t ssz;                  /* sector size */
	uint32_t nsect;              /* sectors in the file (after the header) */
	uint32_t *fat;
	size_t nfat;
	const char *file;
	struct pvd_err *e;
};

static uint32_t le32(const unsigned char *p) { return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24; }
static unsigned le16(const unsigned char *p) { return p[0] | p[1] << 8; }

static int bad(struct cfb *c, const char *what)
{
	return pvd_err_set(c->e, PVD_EX_DATA, c->file, 0, 0, "truncated or corrupt workbook: %s", what);
}

static const unsigned char *sector(const struct cfb *c, uint32_t s) { return c->p + ((size_t)s + 1) * c->ssz; }

/* Appends the FAT sector s (as freexl does: in the order they are listed). */
static int add_fat_sector(struct cfb *c, uint32_t s, size_t *cap)
{
	if (s >= c->nsect)
		return bad(c, "a FAT sector outside the file");
	size_t k = c->ssz / 4;
	if (c->nfat >= (size_t)c->nsect * k)
		return bad(c, "more FAT sectors than the file holds");
	c->fat = xgrow(c->fat, cap, c->nfat + k, sizeof *c->fat);
	for (size_t i = 0; i < k; i++)
		c->fat[c->nfat + i] = le32(sector(c, s) + 4 * i);
	c->nfat += k;
	return 0;
}

static int read_fat(struct cfb *c)
{
	const unsigned char *h = c->p;
	size_t cap = 0;
	int rc;
	/* freexl reads every header entry that is not FREESECT. */
	for (int i = 0; i < 109; i++) {
		uint32_t s = le32(h + 0x4C + 4 * i);
		if (s != FREESECT && (rc = add_fat_sector(c, s, &cap)))
			return rc;
	}
	uint32_t ndifat = le32(h + 0x48), s = le32(h + 0x44);
	size_t per = c->ssz / 4 - 1;
	for (uint32_t b = 0; b < ndifat; b++) {
		if (s >= c->nsect || b >= c->nsect)
			return bad(c, "a DIFAT sector outside the file");
		const unsigned char *d = sector(c, s);
		for (size_t i = 0; i < per; i++) {
			uint32_t f = le32(d + 4 * i);
			if (f == ENDOFCHAIN)
				return c->nfat ? 0 : bad(c, "an empty FAT");
			if (f != FREESECT && (rc = add_fat_sector(c, f, &cap)))
				return rc;
		}
		s = le32(d + 4 * per);
	}
	return c->nfat ? 0 : bad(c, "an empty FAT");
}

/* The bytes of the chain from start, exactly len of them, into *out: every
 * sector inside the file, no loop, as many sectors as len needs. */
static int chain(struct cfb *c, uint32_t start, size_t len, unsigned char **out)
{
	size_t need = (len + c->ssz - 1) / c->ssz, got = 0;
	unsigned char *buf = xmalloc(len ? len : 1);
	uint32_t s = start;
	while (s != ENDOFCHAIN) {
		if (s >= c->nsect || s >= c->nfat || got >= need) {
			free(buf);
			return bad(c, got >= need ? "a stream's sector chain longer than the stream"
						  : "a stream's sector chain leaves the file");
		}
		size_t k = len - got * c->ssz < c->ssz ? len - got * c->ssz : c->ssz;
		memcpy(buf + got * c->ssz, sector(c, s), k);
		got++;
		s = c->fat[s];
	}
	if (got != need) {
		free(buf);
		return bad(c, "a stream shorter than its size (truncated file?)");
	}
	*out = buf;
	return 0;
}

/* Whether the UTF-16 name of a directory entry, as freexl converts it (up to
 * its first NUL), is the ASCII word w. */
static int name_is(const unsigned char *en, unsigned len, const char *w)
{
	size_t i = 0;
	for (; i < len / 2; i++) {
		unsigned u = le16(en + 2 * i);
		if (!u)
			break;
		if (!w[i] || u != (unsigned char)w[i])
			return 0;
	}
	return w[i] == '\0';
}

static int workbook(struct cfb *c, unsigned char **data, size_t *n)
{
	const unsigned char *h = c->p;
	uint32_t dir = le32(h + 0x30);
	if (dir >= c->nsect)
		return bad(c, "the directory is outside the file");
	/* freexl reads the first directory sector only, entry after entry,
	 * until it finds the workbook; each name is converted with its own
	 * length, which the format bounds to 64 bytes (32 UTF-16 units). */
	const unsigned char *d = sector(c, dir);
	uint32_t root_start = 0, root_size = 0, wb_start = 0, wb_size = 0;
	int have_root = 0, have_wb = 0;
	for (size_t i = 0; i < c->ssz / 128 && !have_wb; i++) {
		const unsigned char *en = d + 128 * i;
		unsigned len = le16(en + 64);
		if (len > 64 || len % 2)
			return bad(c, "a directory entry's name longer than 32 characters");
		if (name_is(en, len, "Root Entry"))
			have_root = 1, root_start = le32(en + 116), root_size = le32(en + 120);
		if (name_is(en, len, "Workbook") || name_is(en, len, "Book"))
			have_wb = 1, wb_start = le32(en + 116), wb_size = le32(en + 120);
	}
	if (!have_wb) {
		pvd_err_set(c->e, PVD_EX_DATA, c->file, 0, 0, "no workbook");
		return 1;
	}
	if (!wb_size)
		return bad(c, "an empty Workbook stream");
	if (wb_size > c->n)
		return bad(c, "a Workbook stream larger than the file");
	/* freexl takes a stream no larger than the cutoff from the mini stream
	 * (when there is a mini FAT), and reads it from the mini stream's start. */
	uint32_t cutoff = le32(h + 0x40) ? le32(h + 0x38) : 0;
	if (wb_size <= cutoff) {
		unsigned char *mini;
		int rc;
		if (!have_root || root_size < wb_size || root_size > c->n)
			return bad(c, "a small Workbook stream outside the mini stream");
		if ((rc = chain(c, root_start, root_size, &mini)))
			return rc;
		*data = mini;
		*n = wb_size;
		return 0;
	}
	*n = wb_size;
	return chain(c, wb_start, wb_size, data);
}

int pvd_cfb_workbook(const char *path, const char *file, unsigned char **data, size_t *n, struct pvd_err *e)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return pvd_err_set(e, PVD_EX_IO, file, 0, 0, "cannot read the workbook: %s", strerror(errno));
	size_t cap = 1 << 16, len = 0;
	unsigned char *buf = xmalloc(cap);
	for (;;) {
		if (len == cap) {
			if (cap > PVD_CFB_MAX_FILE) {
				free(buf);
				close(fd);
				return pvd_err_set(e, PVD_EX_DATA, file, 0, 0, "refused: an .xls file larger than %u bytes",
						   PVD_CFB_MAX_FILE);
			}
			buf = xgrow(buf, &cap, len + 1, 1);
		}
		ssize_t r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int err = errno;
			free(buf);
			close(fd);
			return pvd_err_set(e, PVD_EX_IO, file, 0, 0, "cannot read the workbook: %s", strerror(err));
		}
		if (r == 0)
			break;
		len += (size_t)r;
	}
	close(fd);
	struct cfb c = { .p = buf, .n = len, .file = file, .e = e };
	static const unsigned char sig[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	int rc;
	if (len < 512 || memcmp(buf, sig, 8))
		rc = bad(&c, "an OLE2 header shorter than 512 bytes (truncated file?)");
	else if (le16(buf + 0x1C) != 0xFFFE)
		rc = bad(&c, "not little-endian OLE2");
	else if (le16(buf + 0x1E) != 9 && le16(buf + 0x1E) != 12)
		rc = bad(&c, "an OLE2 sector size other than 512 or 4096");
	else {
		c.ssz = (size_t)1 << le16(buf + 0x1E);
		c.nsect = len < c.ssz ? 0 : (uint32_t)((len - c.ssz) / c.ssz);
		rc = read_fat(&c);
		if (!rc)
			rc = workbook(&c, data, n);
	}
	free(c.fat);
	free(buf);
	return rc;
}
