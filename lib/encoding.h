/* encoding — what raw exports are written in, and turning it into UTF-8.
 *
 * Exports arrive as UTF-8, UTF-8 with a BOM, or Windows-1252 (spreadsheets
 * saved by hand).  Windows-1252 is never read as ISO-8859-1: 0x80 is €, 0x92
 * is ’.  Detection looks at a sample (the first block of the file): a BOM
 * means UTF-8; a sample that is valid UTF-8 means UTF-8; anything else means
 * Windows-1252.  A byte that the chosen encoding cannot decode (an invalid
 * UTF-8 sequence later in the file, or one of 0x81 0x8D 0x8F 0x90 0x9D in
 * Windows-1252) is reported with its line, so the row is rejected rather
 * than turned into mojibake.  UTF-16 (a BOM FF FE or FE FF, as some
 * spreadsheets save "Unicode text", or no BOM and the NUL of every other
 * byte that mostly-ASCII text has in UTF-16, on the odd side for little-
 * endian, the even side for big-endian) is decoded to UTF-8 by the reader
 * (csvread.c); an unpaired surrogate is an undecodable byte like any other. */
#ifndef PVD_ENCODING_H
#define PVD_ENCODING_H
#include "buf.h"
#include <stddef.h>

enum pvd_enc { PVD_ENC_AUTO, PVD_ENC_UTF8, PVD_ENC_CP1252, PVD_ENC_UTF16LE, PVD_ENC_UTF16BE };

/* "auto", "utf-8"/"utf8", "windows-1252"/"cp1252", "utf-16le", "utf-16be";
 * -1 when unknown. */
int pvd_enc_parse(const char *name);
const char *pvd_enc_name(enum pvd_enc e);

/* Guesses from a sample; *bom is set to the BOM length (0, 2 for UTF-16, 3).
 * at_eof: the sample is the whole input (a truncated sequence at its end is
 * then invalid, not just cut by the sample boundary). */
enum pvd_enc pvd_enc_detect(const char *s, size_t n, int at_eof, size_t *bom);

/* Converts one line to UTF-8, appending to out.  For UTF-8 input the bytes
 * are copied as they are.  Returns the offset of the first byte that cannot
 * be decoded, or -1 when the whole line is fine. */
long pvd_enc_to_utf8(enum pvd_enc e, const char *s, size_t n, struct pvd_buf *out);
/* Checks without converting (UTF-8 fast path). Same return value. */
long pvd_enc_check(enum pvd_enc e, const char *s, size_t n);
#endif
