/* cfb — the OLE2 compound file that holds an .xls workbook, checked and
 * read by pvd before any library is given it.
 *
 * libfreexl (xls.c) trusts the container: it converts a directory entry's
 * name with the entry's own 16-bit length (a length above 64 makes iconv
 * read up to 64 KiB past its stack buffer), and follows sector numbers
 * without checking them.  pvd_cfb_workbook() checks what freexl reads the
 * way freexl reads it: the header (signature, byte order, sector sizes), the
 * FAT and DIFAT sectors inside the file, the entries of the first directory
 * sector (name lengths, which freexl scans for "Workbook" or "Book"), and
 * the Workbook stream's chain (in the FAT, or the mini stream as freexl
 * reads it), then gives the stream's bytes for pvd's own BIFF scan. */
#ifndef PVD_CFB_H
#define PVD_CFB_H
#include "diag.h"
#include <stddef.h>

#define PVD_CFB_MAX_FILE (256u << 20) /* an .xls holds at most 65536 x 256 cells */

/* The Workbook stream of the OLE2 file at path (file: its name in messages)
 * in *data (malloc'd, *n bytes).  Returns 0; PVD_EX_DATA with e filled for
 * a broken container, and 1 (e filled, "no workbook") for a sound OLE2 file
 * with no Workbook stream (a Word document, an encrypted xlsx); PVD_EX_IO
 * when the file cannot be read. */
int pvd_cfb_workbook(const char *path, const char *file, unsigned char **data, size_t *n, struct pvd_err *e);
#endif
