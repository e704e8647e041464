/* zipsafe — containers by their signature, and zip archives read without
 * trusting them (libzip does the reading).
 *
 * A zip is refused whole when one of its names is odd (absolute, "..",
 * backslash, control character), or when an entry is encrypted
 * ("password-protected").  An entry is read as a stream and refused when
 * its size passes PVD_ZIP_MAX_ENTRY or its ratio to its compressed size
 * PVD_ZIP_MAX_RATIO (zip bombs): sizes as declared are checked on opening,
 * and bytes are counted as they come, whatever the header declared. */
#ifndef PVD_ZIPSAFE_H
#define PVD_ZIPSAFE_H
#include "buf.h"
#include "diag.h"
#include <stddef.h>
#include <sys/types.h>

#define PVD_ZIP_MAX_ENTRY (2ULL << 30)   /* uncompressed bytes of one entry */
#define PVD_ZIP_MAX_RATIO 200            /* uncompressed / compressed, above 1 MiB */

enum pvd_container { PVD_CONT_NONE, PVD_CONT_ZIP, PVD_CONT_OLE2 };

/* What the first bytes of a file say it is. */
int pvd_container_kind(const unsigned char *p, size_t n);

struct pvd_zip;
struct pvd_zip_entry;

/* Opens the zip at path; name is for messages.  Returns 0, PVD_EX_DATA
 * (not a zip, odd name, encrypted) or PVD_EX_IO. */
int pvd_zip_open(struct pvd_zip **z, const char *path, const char *name, struct pvd_err *e);
int pvd_zip_has(struct pvd_zip *z, const char *entry);
/* Opens an entry for reading; PVD_EX_DATA if absent or over the caps. */
int pvd_zip_entry_open(struct pvd_zip *z, const char *entry, struct pvd_zip_entry **en,
		       struct pvd_err *e);
/* Up to cap bytes; 0 at the end; -1 with e filled (PVD_EX_DATA: truncated,
 * corrupt, over the caps). */
ssize_t pvd_zip_read(struct pvd_zip_entry *en, char *buf, size_t cap, struct pvd_err *e);
void pvd_zip_entry_close(struct pvd_zip_entry *en);
/* A small entry whole into out (at most cap bytes, else PVD_EX_DATA). */
int pvd_zip_slurp(struct pvd_zip *z, const char *entry, size_t cap, struct pvd_buf *out,
		  struct pvd_err *e);
void pvd_zip_close(struct pvd_zip *z);
#endif
