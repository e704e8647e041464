/* rundir — the directories of a run, beside its output directory, and the
 * atomic replacement of the output.
 *
 * For output OUT = PARENT/NAME a run makes PARENT/.NAME.work.XXXXXX
 * (scratch: stage reports, states) and PARENT/.NAME.new.XXXXXX, same
 * suffix (what will become OUT: outputs, rejects, reports).  The run holds
 * an flock on its work directory until it ends, so that a later run knows
 * the directories of a run that was killed (SIGKILL, a crash) from those of
 * a run still going, and removes the former when it starts.  Both are on the file
 * system of OUT, so the swap is a rename: with renameat2(RENAME_EXCHANGE)
 * when the kernel and file system have it, else by renaming the old OUT
 * aside, the new one in, and removing the old.  Until the swap OUT is never
 * touched: a failed run leaves the previous output as it was. */
#ifndef PVD_RUNDIR_H
#define PVD_RUNDIR_H
#include "diag.h"

struct pvd_rundir {
	char *output;   /* OUT */
	char *parent;
	char *name;     /* NAME */
	char *suffix;   /* the XXXXXX of this run's directories */
	int lock;       /* the flock on work, -1 when none */
	char *work;     /* NULL once removed */
	char *new;      /* NULL once swapped in or removed */
};

/* Creates PARENT (and its parents) if needed, removes what killed runs
 * left there for OUT, creates the work and new directories, and
 * new/rejects.  Returns 0 or PVD_EX_CANTCREAT (then close d all the same). */
int pvd_rundir_open(struct pvd_rundir *d, const char *output, struct pvd_err *e);
/* Puts the new directory in place of OUT.  Returns 0 or PVD_EX_CANTCREAT
 * (OUT unchanged). */
int pvd_rundir_commit(struct pvd_rundir *d, struct pvd_err *e);
/* Removes what is left (the new directory unless committed, the work
 * directory unless keep_work: then marked kept, so that later runs leave
 * it), releases the lock and frees d. */
void pvd_rundir_close(struct pvd_rundir *d, int keep_work);

/* rm -rf path (symbolic links are removed, not followed).  Returns 0 or -1
 * with errno set. */
int pvd_remove_tree(const char *path);
/* mkdir -p.  Returns 0 or -1 with errno set. */
int pvd_mkdirs(const char *path);
#endif
