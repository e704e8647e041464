/* progress — one live line on standard error while a filter reads a big
 * input, like pv: bytes read (of the size, when the input is a regular
 * file), records, rejects, rate and ETA.
 *
 * Shown when standard error is a terminal and the input is a regular file
 * (and the records do not go to that terminal), or always with --progress;
 * never with -q.  Colour only on a terminal and
 * without $NO_COLOR.  The hooks are in the shared layers, so that every
 * filter has it without code of its own: input.c reports the opens, reads
 * and closes of the records' inputs (not of pvd_input_open_aux's), stats.c the record and reject counts, reject.c and diag.c clear
 * the line before a message.  The line is the one exception to "lib/ never
 * prints": showing it is the module's whole job, on fd 2 only. */
#ifndef PVD_PROGRESS_H
#define PVD_PROGRESS_H
#include <stddef.h>

struct pvd_stats;

/* From main's options: --progress forces the line, -q takes it away
 * (whatever their order: -q wins). */
void pvd_progress_force(void);
void pvd_progress_quiet(void);
/* The records go to a file (pvd-render -o), not to standard output: a
 * terminal there does not stop the line. */
void pvd_progress_output_file(void);
/* The counts shown (pvd_stats_init registers its own, pvd_stats_free
 * takes it back). */
void pvd_progress_stats(const struct pvd_stats *st);
void pvd_progress_forget(const struct pvd_stats *st);
/* An input is opened, read, closed (input.c). */
void pvd_progress_open(const char *name, int fd);
void pvd_progress_read(size_t n);
void pvd_progress_close(int fd);
/* Records were counted: redraw when it is time. */
void pvd_progress_tick(void);
/* A message is about to be written on stderr: take the live line away (it
 * is drawn again at the next tick). */
void pvd_progress_clear(void);

/* The text of the line (no colour): tests and the drawing share it.
 * size 0: unknown (a pipe); elapsed in seconds. */
void pvd_progress_format(char *dst, size_t cap, const char *name, unsigned long long bytes,
			 unsigned long long size, unsigned long long records, const char *unit,
			 unsigned long long rejected, double elapsed, int done);
#endif
