#include "zipsafe.h"
#include "xmem.h"
#include <stdlib.h>
#include <string.h>
#include <zip.h>

struct pvd_zip {
	zip_t *za;
	const char *name;
};

struct pvd_zip_entry {
	zip_file_t *f;
	const struct pvd_zip *z;
	char *entry;
	unsigned long long got, size, comp;
};

int pvd_container_kind(const unsigned char *p, size_t n)
{
	static const unsigned char ole2[8] = { 0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1 };
	if (n >= 4 && p[0] == 'P' && p[1] == 'K' && ((p[2] == 3 && p[3] == 4) || (p[2] == 5 && p[3] == 6)))
		return PVD_CONT_ZIP;
	if (n >= 8 && !memcmp(p, ole2, 8))
		return PVD_CONT_OLE2;
	return PVD_CONT_NONE;
}

/* Names a reader could be tricked into following out of the archive. */
static int odd_name(const char *s)
{
	if (!*s || *s == '/' || strchr(s, '\\') || strchr(s, ':'))
		return 1;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++)
		if (*c < 0x20 || *c == 0x7f)
			return 1;
	for (const char *c = s; c; c = strchr(c, '/')) {
		if (*c == '/')
			c++;
		if (c[0] == '.' && c[1] == '.' && (c[2] == '/' || !c[2]))
			return 1;
	}
	return 0;
}

int pvd_zip_open(struct pvd_zip **zp, const char *path, const char *name, struct pvd_err *e)
{
	int err = 0;
	zip_t *za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &err);
	if (!za) {
		if (err == ZIP_ER_OPEN || err == ZIP_ER_READ)
			return pvd_err_set(e, PVD_EX_IO, name, 0, 0, "cannot read the zip archive");
		zip_error_t ze;
		zip_error_init_with_code(&ze, err);
		pvd_err_set(e, PVD_EX_DATA, name, 0, 0, "truncated or corrupt workbook: %s",
			    zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return PVD_EX_DATA;
	}
	zip_int64_t n = zip_get_num_entries(za, 0);
	for (zip_int64_t i = 0; i < n; i++) {
		zip_stat_t st;
		if (zip_stat_index(za, (zip_uint64_t)i, 0, &st) || !(st.valid & ZIP_STAT_NAME)) {
			zip_discard(za);
			return pvd_err_set(e, PVD_EX_DATA, name, 0, 0, "broken zip archive: entry %lld unreadable",
					   (long long)i);
		}
		if (odd_name(st.name)) {
			zip_discard(za);
			return pvd_err_set(e, PVD_EX_DATA, name, 0, 0, "refused: zip entry with an unsafe name");
		}
		if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
			zip_discard(za);
			return pvd_err_set(e, PVD_EX_DATA, name, 0, 0,
					   "password-protected: the workbook is encrypted (save it without a password)");
		}
	}
	struct pvd_zip *z = xcalloc(1, sizeof *z);
	z->za = za;
	z->name = name;
	*zp = z;
	return 0;
}

int pvd_zip_has(struct pvd_zip *z, const char *entry)
{
	return zip_name_locate(z->za, entry, 0) >= 0;
}

int pvd_zip_entry_open(struct pvd_zip *z, const char *entry, struct pvd_zip_entry **enp, struct pvd_err *e)
{
	zip_stat_t st;
	zip_int64_t i = zip_name_locate(z->za, entry, 0);
	if (i < 0 || zip_stat_index(z->za, (zip_uint64_t)i, 0, &st))
		return pvd_err_set(e, PVD_EX_DATA, z->name, 0, 0, "broken workbook: %s is missing", entry);
	unsigned long long size = st.valid & ZIP_STAT_SIZE ? st.size : 0,
			   comp = st.valid & ZIP_STAT_COMP_SIZE ? st.comp_size : 0;
	if (size > PVD_ZIP_MAX_ENTRY || (size > (1u << 20) && size / (comp ? comp : 1) > PVD_ZIP_MAX_RATIO))
		return pvd_err_set(e, PVD_EX_DATA, z->name, 0, 0,
				   "refused: %s would expand to %llu bytes from %llu (zip bomb?)", entry, size, comp);
	zip_file_t *f = zip_fopen_index(z->za, (zip_uint64_t)i, 0);
	if (!f)
		return pvd_err_set(e, PVD_EX_DATA, z->name, 0, 0, "cannot read %s: %s", entry,
				   zip_error_strerror(zip_get_error(z->za)));
	struct pvd_zip_entry *en = xcalloc(1, sizeof *en);
	en->f = f;
	en->z = z;
	en->entry = xstrdup(entry);
	en->size = size;
	en->comp = comp;
	*enp = en;
	return 0;
}

ssize_t pvd_zip_read(struct pvd_zip_entry *en, char *buf, size_t cap, struct pvd_err *e)
{
	zip_int64_t n = zip_fread(en->f, buf, cap);
	if (n < 0) {
		pvd_err_set(e, PVD_EX_DATA, en->z->name, 0, 0, "truncated or corrupt workbook: %s: %s", en->entry,
			    zip_error_strerror(zip_file_get_error(en->f)));
		return -1;
	}
	en->got += (unsigned long long)n;
	/* What the header declared is not trusted: count. */
	if (en->got > en->size || en->got > PVD_ZIP_MAX_ENTRY) {
		pvd_err_set(e, PVD_EX_DATA, en->z->name, 0, 0, "refused: %s expands past its declared size", en->entry);
		return -1;
	}
	return (ssize_t)n;
}

void pvd_zip_entry_close(struct pvd_zip_entry *en)
{
	if (!en)
		return;
	zip_fclose(en->f);
	free(en->entry);
	free(en);
}

int pvd_zip_slurp(struct pvd_zip *z, const char *entry, size_t cap, struct pvd_buf *out, struct pvd_err *e)
{
	struct pvd_zip_entry *en;
	int rc = pvd_zip_entry_open(z, entry, &en, e);
	if (rc)
		return rc;
	pvd_buf_reset(out);
	char chunk[16384];
	ssize_t n;
	while ((n = pvd_zip_read(en, chunk, sizeof chunk, e)) > 0) {
		if (out->len + (size_t)n > cap) {
			pvd_zip_entry_close(en);
			return pvd_err_set(e, PVD_EX_DATA, z->name, 0, 0, "refused: %s is larger than %zu bytes", entry, cap);
		}
		pvd_buf_add(out, chunk, (size_t)n);
	}
	pvd_zip_entry_close(en);
	if (!out->p)
		pvd_buf_add(out, "", 0);
	return n < 0 ? PVD_EX_DATA : 0;
}

void pvd_zip_close(struct pvd_zip *z)
{
	if (!z)
		return;
	zip_discard(z->za);
	free(z);
}
