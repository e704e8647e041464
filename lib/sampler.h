/* sampler — where a process's time goes, by sampling (pvd-run's fused
 * sources: their four stages share one process, so their times cannot be
 * measured apart without a clock read at every record passed on).
 *
 * The code marks which part of it runs by storing an index in s->at (an int
 * store: cheap enough for every record).  While the sampler is on, a
 * signal every PVD_SAMPLE_US microseconds of the process's CPU time
 * (ITIMER_PROF) adds one to cpu[at], and one every PVD_SAMPLE_US of wall
 * time (ITIMER_REAL) to wall[at].  A part's time is then the measured
 * total times its share of the samples (pvd_samples_share).
 *
 * The struct may live in memory shared with a parent (pvd-run maps it
 * before fork): the parent reads the samples, and learns from `at` which
 * part was running when the process died.  Both handlers restart the
 * interrupted system calls (SA_RESTART); interval timers are not inherited
 * by a child's child.  SIGPROF and SIGALRM are the sampler's from its
 * start: its handlers stay, inert, once it is off. */
#ifndef PVD_SAMPLER_H
#define PVD_SAMPLER_H
#include <signal.h>
#include <stddef.h>

enum { PVD_SAMPLE_SLOTS = 8, PVD_SAMPLE_US = 2000 };

struct pvd_samples {
	volatile sig_atomic_t at;                      /* the running part, 0 .. PVD_SAMPLE_SLOTS-1 */
	volatile unsigned long cpu[PVD_SAMPLE_SLOTS];  /* CPU-time samples per part */
	volatile unsigned long wall[PVD_SAMPLE_SLOTS]; /* wall-time samples per part */
};

/* Turns sampling into s on (one sampler per process).  Returns 0, or -1
 * with errno set (the samples then stay at zero). */
int pvd_sampler_start(struct pvd_samples *s);
/* Turns it off (its handlers then do nothing). */
void pvd_sampler_stop(void);

/* Shares total among n parts in proportion to their samples, as whole
 * numbers that add up to total (largest remainders).  Returns 0, or -1 when
 * there is no sample at all (out is then all zero). */
int pvd_samples_share(const volatile unsigned long *samples, size_t n, unsigned long long total,
		      unsigned long long *out);
#endif
