#include "quality.h"
#include "runner.h"
#include "buf.h"
#include "chain.h"
#include "progress.h"
#include "output.h"
#include "rundir.h"
#include "runplan.h"
#include "runreport.h"
#include "sampler.h"
#include "strset.h"
#include "sha256.h"
#include "xmem.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- programs ---- */

static int executable(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode) && access(path, X_OK) == 0;
}

char *pvd_run_find_program(const char *self_dir, const char *prog)
{
	struct pvd_buf b = { 0 };
	if (self_dir) {
		pvd_buf_printf(&b, "%s/%s", self_dir, prog);
		if (executable(b.p))
			return b.p;
	}
	const char *path = getenv("PATH");
	if (!path || !*path)
		path = "/usr/local/bin:/usr/bin:/bin";
	for (const char *s = path;; s++) {
		const char *c = strchr(s, ':');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		pvd_buf_reset(&b);
		pvd_buf_printf(&b, "%.*s/%s", (int)(n ? n : 1), n ? s : ".", prog);
		if (executable(b.p))
			return b.p;
		if (!c)
			break;
		s = c;
	}
	pvd_buf_free(&b);
	return NULL;
}

/* ---- the stages' stderr ----
 *
 * Read from a pipe into memory, never into a file: on a full disk the
 * stage's own "No space left on device" must still reach the user.  Bounded:
 * the first CAP_HEAD bytes and the last CAP_TAIL are kept (a stage's last
 * words say why it stopped), what lies between is counted. */

enum { CAP_HEAD = 64 * 1024, CAP_TAIL = 16 * 1024 };

struct capture {
	int fd;                    /* read end, non-blocking; -1 at the end */
	struct pvd_buf head;
	char *tail;                /* ring of CAP_TAIL bytes once head is full */
	size_t tail_pos, tail_len;
	unsigned long long dropped;
	char *text;                /* the whole, once the stage is done (cap_text) */
};

static void cap_add(struct capture *c, const char *p, size_t n)
{
	size_t h = c->head.len < CAP_HEAD ? CAP_HEAD - c->head.len : 0;
	if (h > n)
		h = n;
	pvd_buf_add(&c->head, p, h);
	p += h;
	n -= h;
	if (!n)
		return;
	if (!c->tail)
		c->tail = xmalloc(CAP_TAIL);
	for (size_t i = 0; i < n; i++) {
		if (c->tail_len == CAP_TAIL)
			c->dropped++;
		else
			c->tail_len++;
		c->tail[c->tail_pos] = p[i];
		c->tail_pos = (c->tail_pos + 1) % CAP_TAIL;
	}
}

/* Reads what the pipe holds now; closes it at its end. */
static void cap_read(struct capture *c)
{
	char buf[8192];
	while (c->fd >= 0) {
		ssize_t n = read(c->fd, buf, sizeof buf);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			return;
		if (n <= 0) {
			close(c->fd);
			c->fd = -1;
			return;
		}
		cap_add(c, buf, (size_t)n);
	}
}

/* The captured text, with a line saying what was left out. */
static const char *cap_text(struct capture *c)
{
	if (c->text)
		return c->text;
	struct pvd_buf b = { 0 };
	pvd_buf_add(&b, c->head.p ? c->head.p : "", c->head.len);
	if (c->tail_len) {
		size_t start = (c->tail_pos + CAP_TAIL - c->tail_len) % CAP_TAIL, i = 0;
		if (c->dropped) {
			/* resume at a line start */
			while (i < c->tail_len && c->tail[(start + i) % CAP_TAIL] != '\n')
				i++, c->dropped++;
			if (i < c->tail_len)
				i++, c->dropped++;
			if (b.len && b.p[b.len - 1] != '\n')
				pvd_buf_addc(&b, '\n');
			pvd_buf_printf(&b, "[%s: %llu bytes of this stage's messages left out]\n", pvd_progname,
				       c->dropped);
		}
		for (; i < c->tail_len; i++)
			pvd_buf_addc(&b, c->tail[(start + i) % CAP_TAIL]);
	}
	c->text = b.p ? b.p : xstrdup("");
	return c->text;
}

static void cap_free(struct capture *c)
{
	if (c->fd >= 0)
		close(c->fd);
	pvd_buf_free(&c->head);
	free(c->tail);
	free(c->text);
}

/* ---- processes ---- */

enum { P_WAIT, P_RUN, P_DONE };

struct proc {
	pid_t pid;
	int state, status;
	int stopped;         /* killed by us: not a failure */
	int input_fd;        /* ingest: the fd of its input file, once found; -1 unknown */
	unsigned long long cpu_ms, rss_kib, wall_ms;  /* from wait4, when it ended */
};

/* Fused: what the source's process tells its parent through memory they
 * share (mapped before the fork): the running stage and the stages' time
 * samples (sampler.h), and the digest of the source file for the
 * provenance, computed there, in parallel across sources. */
struct fused_shm {
	struct pvd_samples s;
	int have_digest;
	char sha256[65];
	unsigned long long bytes;
};

struct jrun {
	const struct pvd_job *j;
	struct proc *pr;          /* fused: pr[0] is the one process of every stage */
	int fused;
	struct fused_shm *shm;    /* fused, or NULL */
	int status_fd;            /* fused: read end of the stages' statuses, or -1 */
	struct capture *cap;      /* each stage's stderr */
	size_t running;
	double t0;
	unsigned long long bytes; /* size of the source file (ingest) */
	char *input_real;         /* its real path, to find it in /proc */
};

struct runner {
	const struct pvd_run_opts *o;
	const struct pvd_pipeline *p;
	struct pvd_plan plan;
	struct pvd_rundir dir;
	struct pvd_runreport rep;
	char *progs[8];           /* found path of each plan program */
	const char *const *names;
	sigset_t waitset, oldmask;
	struct sigaction oldchld;
	int sfd;                  /* signalfd of waitset */
	pid_t self;
	struct jrun **active;
	size_t nactive, cap;
	size_t done_sources;
	int stop;                 /* no new jobs: failure without keep_going, or a signal */
	int sig;                  /* interrupted by this signal */
	int status;               /* first failure's status */
	int reported;             /* failures were shown on o->msg */
	struct pvd_err first;
	int pipes;                /* o->pipes, or a pipeline pvd-join would refuse (no PVD list) */
	struct pvd_join_shared *shared;  /* fused: the join's reference, loaded once */
	struct pvd_agg_shared *catalog;  /* fused: the catalogue, loaded once */
	struct pvd_ingest_shared *profiles;  /* fused: the profiles, one per name */
	size_t nprofiles;
	struct pvd_ingest_shared **profile;  /* fused: each source's, in profiles */
	char **refargs;           /* fused: "NAME=VALUE" of each reference */
	size_t live_len;          /* length of the live progress line on screen */
	double last_draw;
};

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *prog_path(struct runner *R, const char *prog)
{
	for (size_t i = 0; R->names[i]; i++)
		if (strcmp(R->names[i], prog) == 0)
			return R->progs[i];
	return NULL;
}

static void live_clear(struct runner *R)
{
	if (!R->live_len)
		return;
	fprintf(R->o->msg, "\r%*s\r", (int)R->live_len, "");
	R->live_len = 0;
	fflush(R->o->msg);
}

static const char *sig_name(int sig, char *buf, size_t n)
{
	const char *abbrev = sigabbrev_np(sig);
	if (abbrev)
		snprintf(buf, n, "SIG%s", abbrev);
	else
		snprintf(buf, n, "%d", sig);
	return buf;
}

static const char *where(const struct pvd_job *j, char *buf, size_t n)
{
	if (j->source >= 0)
		snprintf(buf, n, "source %s", j->label);
	else
		snprintf(buf, n, "%s", j->label);
	return buf;
}

/* Shows a stage's captured stderr as it was written. */
static void replay(struct runner *R, struct capture *c)
{
	const char *t = cap_text(c);
	if (!*t)
		return;
	live_clear(R);
	fputs(t, R->o->msg);
	fflush(R->o->msg);
}

static void replay_all(struct runner *R, struct jrun *jr)
{
	for (size_t i = 0; i < jr->j->ncmds; i++)
		replay(R, &jr->cap[i]);
}

/* A job failed: its line goes out now, after the stage's own messages, so
 * that with --keep-going each failure reads with its messages. */
static void fail(struct runner *R, const struct pvd_err *e)
{
	if (!R->status) {
		R->status = e->status;
		R->first = *e;
	}
	live_clear(R);
	fprintf(R->o->msg, "%s: %s\n", pvd_progname, e->msg);
	fflush(R->o->msg);
	R->reported = 1;
}

static void stop_all(struct runner *R)
{
	R->stop = 1;
	for (size_t a = 0; a < R->nactive; a++) {
		struct jrun *jr = R->active[a];
		for (size_t i = 0; i < jr->j->ncmds; i++)
			if (jr->pr[i].state == P_RUN) {
				jr->pr[i].stopped = 1;
				kill(jr->pr[i].pid, SIGTERM);
			}
	}
}

static _Noreturn void child(struct runner *R, const struct pvd_cmd *c, const struct pvd_job *j, int in, int out,
			    int err)
{
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(PVD_EX_SOFTWARE);
	/* pvd-run killed (even by SIGKILL): its stages stop too, and leave
	 * nothing running that writes into the run's directories. */
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != R->self)
		_exit(PVD_EX_SOFTWARE);
	sigprocmask(SIG_SETMASK, &R->oldmask, NULL);
	signal(SIGPIPE, SIG_DFL);
	size_t argc = 0;
	while (c->argv[argc])
		argc++;
	char **argv = xcalloc(argc + 1, sizeof *argv);
	for (size_t i = 0; i < argc; i++)
		argv[i] = pvd_plan_path(c->argv[i], R->dir.work, R->dir.new);
	const char *path = prog_path(R, c->prog);
	execv(path, argv);
	dprintf(2, "%s: cannot run %s: %s\n", pvd_progname, path, strerror(errno));
	_exit(PVD_EX_SOFTWARE);
}

static int open_at(struct runner *R, const char *planpath, int flags, struct pvd_err *e)
{
	char *path = planpath ? pvd_plan_path(planpath, R->dir.work, R->dir.new) : xstrdup("/dev/null");
	int fd = open(path, flags | O_CLOEXEC, 0666);
	if (fd < 0)
		pvd_err_set(e, PVD_EX_CANTCREAT, path, 0, 0, "cannot open: %s", strerror(errno));
	free(path);
	return fd;
}

/* ---- fused: a source's stages in one process (chain.h) ---- */

/* The child: the stages built from what the plan gives their command
 * lines, run as one chain; each stage's status goes back on sfd.
 *
 * What the filters' command lines check and the chain does not, no output
 * being one of the inputs (pvd_out_protect), cannot fail here, nor in pipe
 * mode: every output of a source's stages (--rejects, --report, its state
 * and lineage) is a path in the run's work or new directory, both made
 * empty by this run (mkdtemp, mkdir) and locked (rundir.h), so none exists
 * when the stages start, and an input cannot be it by any name.  The other
 * bound of the pipes, the length of a record, the chain keeps (chain.c). */
static _Noreturn void child_fused(struct runner *R, const struct pvd_job *j, int in, int out, const int *err,
				  int sfd, struct fused_shm *shm)
{
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err[0], 2) < 0)
		_exit(PVD_EX_SOFTWARE);
	prctl(PR_SET_PDEATHSIG, SIGTERM);
	if (getppid() != R->self)
		_exit(PVD_EX_SOFTWARE);
	close(R->sfd);
	sigaction(SIGCHLD, &R->oldchld, NULL);
	sigprocmask(SIG_SETMASK, &R->oldmask, NULL);
	signal(SIGPIPE, SIG_DFL);
	pvd_progress_quiet(); /* -q, as in the command lines */
	const struct pvd_pipeline *p = R->p;
	const struct pvd_psource *src = &p->sources[j->source];
	char *path[PVD_FUSED_STAGES][2], *lineage = pvd_plan_path(j->lineage, R->dir.work, R->dir.new);
	const char *prog[PVD_FUSED_STAGES];
	for (size_t i = 0; i < PVD_FUSED_STAGES; i++) {
		path[i][0] = j->cmds[i].rejects ? pvd_plan_path(j->cmds[i].rejects, R->dir.work, R->dir.new) : NULL;
		path[i][1] = j->cmds[i].report ? pvd_plan_path(j->cmds[i].report, R->dir.work, R->dir.new) : NULL;
		prog[i] = j->cmds[i].prog;
	}
	struct pvd_fused f = { 0 };
	struct pvd_stage *st[PVD_FUSED_STAGES] = { &f.ingest.base, &f.clean.base, &f.join.base, &f.agg.base };
	for (size_t i = 0; i < PVD_FUSED_STAGES; i++) {
		st[i]->rejects = path[i][0];
		st[i]->report = path[i][1];
		st[i]->quiet = 1;
	}
	f.ingest.profile = src->profile;
	f.ingest.shared = R->profile[j->source];
	f.ingest.o = (struct pvd_ingest_opts){ .encoding = PVD_ENC_AUTO, .skip = -1 };
	f.clean.o.profile = src->profile;
	for (size_t i = 0; i < p->nrefs; i++)
		pvd_join_refs_add(&f.join.refs, R->refargs[i], NULL);
	f.join.mode = PVD_JOIN_INNER;
	f.join.shared = R->shared;
	f.agg.catalog = p->indicators;
	f.agg.partial = 1;
	f.agg.lineage = lineage;
	f.agg.shared = R->catalog;
	pvd_period_parse(p->period, &f.agg.period);
	pvd_ingest_stage_init(&f.ingest);
	pvd_clean_stage_init(&f.clean);
	pvd_join_stage_init(&f.join);
	pvd_agg_stage_init(&f.agg);
	int status[PVD_FUSED_STAGES] = { 0 };
	f.at = &shm->s.at;
	pvd_sampler_start(&shm->s);
	int rc = pvd_fused_run(&f, src->file, err, prog, status);
	/* The provenance's digest of the source, read again just after ingest
	 * read it (from the page cache).  Not the bytes ingest read: a file
	 * changed between the two reads is named by its new digest, as when
	 * the parent hashed it after the run.  Its time counts as ingest's. */
	shm->s.at = 0;
	struct pvd_err de = { 0 };
	if (!rc && pvd_sha256_file(src->file, shm->sha256, &shm->bytes, &de) == 0)
		shm->have_digest = 1;
	pvd_sampler_stop();
	ssize_t w = write(sfd, status, sizeof status);
	(void)w;
	for (size_t i = 0; i < PVD_FUSED_STAGES; i++) {
		free(path[i][0]);
		free(path[i][1]);
	}
	free(lineage);
	/* exit, not _exit: the leak checker of a sanitized build runs at exit
	 * (pvd-run has nothing buffered on stdout, no temporary file open) */
	exit(rc);
}

/* One process for the job's stages: its stderr split by stage (one pipe
 * each, as in pipe mode), its statuses on one more pipe. */
static int start_fused(struct runner *R, struct jrun *jr, struct pvd_err *e)
{
	const struct pvd_job *j = jr->j;
	int err[PVD_FUSED_STAGES], sp[2] = { -1, -1 }, in = -1, out = -1, rc = 0;
	size_t n = 0;
	jr->fused = 1;
	if (j->ncmds != PVD_FUSED_STAGES)
		abort(); /* the plan's stages are the chain's */
	void *shm = mmap(NULL, sizeof *jr->shm, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (shm == MAP_FAILED)
		return pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "mmap: %s", strerror(errno));
	jr->shm = shm;
	for (size_t i = 0; i < j->ncmds; i++) {
		jr->pr[i].input_fd = -1;
		jr->pr[i].state = P_DONE;
	}
	for (; n < PVD_FUSED_STAGES; n++) {
		int efd[2];
		if (pipe2(efd, O_CLOEXEC) != 0)
			break;
		fcntl(efd[0], F_SETFL, O_NONBLOCK);
		jr->cap[n].fd = efd[0];
		err[n] = efd[1];
	}
	if (n < PVD_FUSED_STAGES || pipe2(sp, O_CLOEXEC) != 0) {
		rc = pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "pipe: %s", strerror(errno));
		goto out;
	}
	if ((in = open_at(R, NULL, O_RDONLY, e)) < 0 ||
	    (out = open_at(R, j->out, O_WRONLY | O_CREAT | O_TRUNC, e)) < 0) {
		rc = e->status;
		goto out;
	}
	pid_t pid = fork();
	if (pid == 0)
		child_fused(R, j, in, out, err, sp[1], jr->shm);
	if (pid < 0) {
		rc = pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "fork: %s", strerror(errno));
		goto out;
	}
	fcntl(sp[0], F_SETFL, O_NONBLOCK);
	jr->status_fd = sp[0];
	sp[0] = -1;
	jr->pr[0].pid = pid;
	jr->pr[0].state = P_RUN;
	jr->running = 1;
out:
	for (size_t i = 0; i < n; i++)
		close(err[i]);
	if (sp[0] >= 0)
		close(sp[0]);
	if (sp[1] >= 0)
		close(sp[1]);
	if (in >= 0)
		close(in);
	if (out >= 0)
		close(out);
	return rc;
}

/* The fused process ended: each stage's status, as if it had been its own
 * process (when the statuses did not come back, the process having been
 * killed, the stage that was running takes the process's fate). */
static void fused_statuses(struct jrun *jr, int status)
{
	int st[PVD_FUSED_STAGES];
	ssize_t n = jr->status_fd >= 0 ? read(jr->status_fd, st, sizeof st) : -1;
	int first = 0;
	for (size_t i = 0; n == (ssize_t)sizeof st && i < PVD_FUSED_STAGES && !first; i++)
		first = st[i];
	/* the process ended as its stages said (not, say, a leak checker's 23) */
	if (n == (ssize_t)sizeof st && WIFEXITED(status) && WEXITSTATUS(status) == (first & 0xff)) {
		for (size_t i = 0; i < PVD_FUSED_STAGES; i++)
			jr->pr[i].status = (st[i] & 0xff) << 8;
	} else {
		sig_atomic_t at = jr->shm->s.at;
		jr->pr[0].status = 0;
		jr->pr[at >= 0 && at < PVD_FUSED_STAGES ? at : 0].status = status;
	}
}

static int start_fused(struct runner *R, struct jrun *jr, struct pvd_err *e);

static int start(struct runner *R, const struct pvd_job *j, struct pvd_err *e)
{
	struct jrun *jr = xcalloc(1, sizeof *jr);
	jr->status_fd = -1;
	jr->j = j;
	jr->pr = xcalloc(j->ncmds, sizeof *jr->pr);
	jr->cap = xcalloc(j->ncmds, sizeof *jr->cap);
	for (size_t i = 0; i < j->ncmds; i++)
		jr->cap[i].fd = -1;
	jr->t0 = now();
	if (j->source >= 0) {
		struct stat sb;
		const char *file = R->p->sources[j->source].file;
		if (stat(file, &sb) == 0)
			jr->bytes = (unsigned long long)sb.st_size;
		jr->input_real = realpath(file, NULL);
	}
	R->active = xgrow(R->active, &R->cap, R->nactive + 1, sizeof *R->active);
	R->active[R->nactive++] = jr;
	if (j->source >= 0 && !R->pipes)
		return start_fused(R, jr, e);

	int in = open_at(R, NULL, O_RDONLY, e);
	if (in < 0)
		return e->status;
	for (size_t i = 0; i < j->ncmds; i++) {
		const struct pvd_cmd *c = &j->cmds[i];
		int pfd[2] = { -1, -1 }, out, err;
		jr->pr[i].input_fd = -1;
		if (i + 1 < j->ncmds) {
			if (pipe2(pfd, O_CLOEXEC) != 0) {
				close(in);
				return pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "pipe: %s", strerror(errno));
			}
			out = pfd[1];
		} else if ((out = open_at(R, j->out, j->out ? O_WRONLY | O_CREAT | O_TRUNC : O_WRONLY, e)) < 0) {
			close(in);
			return e->status;
		}
		int efd[2];
		if (pipe2(efd, O_CLOEXEC) != 0) {
			pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "pipe: %s", strerror(errno));
			close(in);
			close(out);
			if (pfd[0] >= 0)
				close(pfd[0]);
			return e->status;
		}
		fcntl(efd[0], F_SETFL, O_NONBLOCK);
		jr->cap[i].fd = efd[0];
		err = efd[1];
		pid_t pid = fork();
		if (pid == 0)
			child(R, c, j, in, out, err);
		close(in);
		close(out);
		close(err);
		in = pfd[0];
		if (pid < 0) {
			if (in >= 0)
				close(in);
			return pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "fork: %s", strerror(errno));
		}
		jr->pr[i].pid = pid;
		jr->pr[i].state = P_RUN;
		jr->running++;
	}
	return 0;
}

/* The stage that made the job fail, or -1: the first failure in pipeline
 * order, not counting a stage killed by SIGPIPE (its reader stopped first)
 * unless nothing else failed. */
static long culprit(const struct jrun *jr)
{
	long pipe_victim = -1;
	for (size_t i = 0; i < jr->j->ncmds; i++) {
		const struct proc *p = &jr->pr[i];
		if (p->stopped)
			continue;
		if (WIFSIGNALED(p->status) && WTERMSIG(p->status) == SIGPIPE) {
			if (pipe_victim < 0)
				pipe_victim = (long)i;
			continue;
		}
		if (!WIFEXITED(p->status) || WEXITSTATUS(p->status) != 0)
			return (long)i;
	}
	return pipe_victim;
}

struct jrun;
typedef int (*done_fn)(struct runner *R, struct jrun *jr, struct pvd_buf *line, struct pvd_err *e);

static void progress_done(struct runner *R, const struct jrun *jr, const char *what, const char *detail)
{
	if (!R->o->progress)
		return;
	char w[300];
	double dt = now() - jr->t0;
	live_clear(R);
	const char *on = R->o->color ? (strcmp(what, "done") == 0 ? "\033[32m" : "\033[31m") : "";
	fprintf(R->o->msg, "%s: %s %s%s%s in %.2f s", pvd_progname, where(jr->j, w, sizeof w), on, what,
		R->o->color ? "\033[0m" : "", dt);
	if (jr->bytes && dt > 0)
		fprintf(R->o->msg, " (%.1f MB/s)", (double)jr->bytes / 1e6 / dt);
	fprintf(R->o->msg, "%s%s\n", detail && *detail ? ": " : "", detail ? detail : "");
	fflush(R->o->msg);
}

/* The job's times for the run report (runreport.h). */
static void job_times(struct runner *R, const struct jrun *jr)
{
	size_t n = jr->j->ncmds;
	unsigned long long wall[n], cpu[n], rss[n];
	struct pvd_runtime t = { .wall_ms = (unsigned long long)((now() - jr->t0) * 1000) };
	for (size_t i = 0; i < n; i++) {
		t.cpu_ms += cpu[i] = jr->pr[i].cpu_ms;
		rss[i] = jr->pr[i].rss_kib;
		wall[i] = jr->pr[i].wall_ms;
		if (rss[i] > t.max_rss_kib)
			t.max_rss_kib = rss[i];
	}
	if (jr->fused) {
		/* one process: its times shared by the stages' samples */
		pvd_samples_share(jr->shm->s.cpu, n, t.cpu_ms, cpu);
		pvd_samples_share(jr->shm->s.wall, n, t.wall_ms, wall);
		for (size_t i = 0; i < n; i++)
			rss[i] = t.max_rss_kib;
		t.sampled = 1;
	}
	t.stage_wall_ms = wall;
	t.stage_cpu_ms = cpu;
	t.stage_rss_kib = rss;
	pvd_runreport_time(&R->rep, jr->j, &t);
}

static void job_finished(struct runner *R, struct jrun *jr, done_fn done)
{
	const struct pvd_job *j = jr->j;
	char w[300], sn[32];
	int stopped = 0;
	for (size_t i = 0; i < j->ncmds; i++)
		stopped |= jr->pr[i].stopped;
	long c = culprit(jr);
	if (stopped && (c < 0 || R->sig || jr->pr[c].stopped))
		return; /* we stopped it: neither a failure nor a result */
	if (c >= 0) {
		const struct pvd_cmd *cmd = &j->cmds[c];
		const struct proc *p = &jr->pr[c];
		struct pvd_err e = { 0 };
		replay_all(R, jr);
		const char *prog = cmd->prog;
		if (WIFSIGNALED(p->status))
			pvd_err_set(&e, PVD_EX_SOFTWARE, NULL, 0, 0, "%s: stage %s (%s) killed by signal %s",
				    where(j, w, sizeof w), cmd->stage, prog, sig_name(WTERMSIG(p->status), sn, sizeof sn));
		else
			pvd_err_set(&e, WEXITSTATUS(p->status), NULL, 0, 0, "%s: stage %s (%s) failed with exit status %d",
				    where(j, w, sizeof w), cmd->stage, prog, WEXITSTATUS(p->status));
		progress_done(R, jr, "failed", NULL);
		fail(R, &e);
		if (!R->o->keep_going)
			stop_all(R);
		return;
	}
	if (R->o->verbose)
		replay_all(R, jr);
	struct pvd_buf line = { 0 };
	struct pvd_err e = { 0 };
	if (done && done(R, jr, &line, &e)) {
		/* the stages' own words first: they say which records went, and why */
		if (!R->o->verbose)
			replay_all(R, jr);
		progress_done(R, jr, "failed", NULL);
		fail(R, &e);
		if (!R->o->keep_going)
			stop_all(R);
	} else {
		if (j->source >= 0)
			R->done_sources++;
		job_times(R, jr);
		progress_done(R, jr, "done", pvd_buf_str(&line));
	}
	pvd_buf_free(&line);
}

static void jrun_free(struct jrun *jr)
{
	for (size_t i = 0; jr->cap && i < jr->j->ncmds; i++)
		cap_free(&jr->cap[i]);
	free(jr->cap);
	if (jr->status_fd >= 0)
		close(jr->status_fd);
	if (jr->shm)
		munmap(jr->shm, sizeof *jr->shm);
	free(jr->pr);
	free(jr->input_real);
	free(jr);
}

static void reap(struct runner *R, done_fn done)
{
	int status;
	pid_t pid;
	struct rusage ru;
	while ((pid = wait4(-1, &status, WNOHANG, &ru)) > 0) {
		for (size_t a = 0; a < R->nactive; a++) {
			struct jrun *jr = R->active[a];
			size_t i = 0;
			while (i < jr->j->ncmds && jr->pr[i].pid != pid)
				i++;
			if (i == jr->j->ncmds)
				continue;
			jr->pr[i].state = P_DONE;
			jr->pr[i].status = status;
			jr->pr[i].cpu_ms = (unsigned long long)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000 +
					   (unsigned long long)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
			jr->pr[i].rss_kib = ru.ru_maxrss > 0 ? (unsigned long long)ru.ru_maxrss : 0;
			jr->pr[i].wall_ms = (unsigned long long)((now() - jr->t0) * 1000);
			if (jr->fused)
				fused_statuses(jr, status);
			if (--jr->running == 0) {
				/* its processes are gone: what they wrote is in the pipes */
				for (size_t k = 0; k < jr->j->ncmds; k++)
					cap_read(&jr->cap[k]);
				job_finished(R, jr, done);
				jrun_free(jr);
				R->active[a] = R->active[--R->nactive];
			}
			break;
		}
	}
}

/* ---- live progress ---- */

/* Where ingest is in its input file: /proc/PID/fdinfo of the fd open on it. */
static long long input_pos(struct jrun *jr, struct proc *p)
{
	char path[64], link[4096];
	if (!jr->input_real)
		return -1;
	if (p->input_fd < 0) {
		snprintf(path, sizeof path, "/proc/%d/fd", (int)p->pid);
		DIR *d = opendir(path);
		struct dirent *de;
		while (d && (de = readdir(d))) {
			char fp[384];
			snprintf(fp, sizeof fp, "%s/%s", path, de->d_name);
			ssize_t n = readlink(fp, link, sizeof link - 1);
			if (n > 0) {
				link[n] = '\0';
				if (strcmp(link, jr->input_real) == 0) {
					p->input_fd = atoi(de->d_name);
					break;
				}
			}
		}
		if (d)
			closedir(d);
		if (p->input_fd < 0)
			return -1;
	}
	snprintf(path, sizeof path, "/proc/%d/fdinfo/%d", (int)p->pid, p->input_fd);
	FILE *f = fopen(path, "r");
	long long pos = -1;
	if (f) {
		if (fscanf(f, "pos: %lld", &pos) != 1)
			pos = -1;
		fclose(f);
	}
	return pos;
}

static void live_draw(struct runner *R, size_t total_sources)
{
	if (R->o->progress < 2)
		return;
	double t = now();
	struct pvd_buf b = { 0 };
	pvd_buf_printf(&b, "%s: %zu/%zu sources", pvd_progname, R->done_sources, total_sources);
	for (size_t a = 0; a < R->nactive; a++) {
		struct jrun *jr = R->active[a];
		pvd_buf_printf(&b, " | %s", jr->j->label);
		if (jr->j->source >= 0 && jr->pr[0].state == P_RUN && jr->bytes) {
			long long pos = input_pos(jr, &jr->pr[0]);
			if (pos >= 0 && (unsigned long long)pos < jr->bytes)
				pvd_buf_printf(&b, " %lld%% %.1f MB/s", pos * 100 / (long long)jr->bytes,
					       (double)pos / 1e6 / (t - jr->t0 > 0.001 ? t - jr->t0 : 0.001));
			else if (pos >= 0)
				pvd_buf_adds(&b, " read");
		} else if (jr->j->source >= 0) {
			pvd_buf_adds(&b, " finishing");
		}
		pvd_buf_printf(&b, " %.0fs", t - jr->t0);
	}
	struct winsize ws;
	size_t width = ioctl(fileno(R->o->msg), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10 ? ws.ws_col - 1 : 79;
	size_t len = b.len;
	/* cut at a character boundary, to fit one terminal line */
	if (len > width) {
		len = width;
		while (len > 0 && ((unsigned char)b.p[len] & 0xC0) == 0x80)
			len--;
	}
	fprintf(R->o->msg, "\r%.*s", (int)len, b.p);
	if (len < R->live_len)
		fprintf(R->o->msg, "%*s\r%.*s", (int)(R->live_len - len), "", (int)len, b.p);
	R->live_len = len;
	fflush(R->o->msg);
	pvd_buf_free(&b);
	R->last_draw = t;
}

/* ---- the event loop ---- */

static void on_chld(int sig)
{
	(void)sig;
}

/* Waits for a signal (a child ended, an interrupt) or a stage's message,
 * reading the messages that came. */
static void wait_event(struct runner *R)
{
	struct pollfd *pf = NULL;
	struct capture **caps = NULL;
	size_t n = 0, cap = 0, ccap = 0;
	pf = xgrow(pf, &cap, 1, sizeof *pf);
	pf[n++] = (struct pollfd){ .fd = R->sfd, .events = POLLIN };
	for (size_t a = 0; a < R->nactive; a++)
		for (size_t i = 0; i < R->active[a]->j->ncmds; i++)
			if (R->active[a]->cap[i].fd >= 0) {
				pf = xgrow(pf, &cap, n + 1, sizeof *pf);
				caps = xgrow(caps, &ccap, n + 1, sizeof *caps);
				caps[n] = &R->active[a]->cap[i];
				pf[n++] = (struct pollfd){ .fd = R->active[a]->cap[i].fd, .events = POLLIN };
			}
	int k = poll(pf, n, R->o->progress >= 2 ? 200 : -1);
	for (size_t i = 1; k > 0 && i < n; i++)
		if (pf[i].revents)
			cap_read(caps[i]);
	free(pf);
	free(caps);
	struct signalfd_siginfo si;
	while (read(R->sfd, &si, sizeof si) == (ssize_t)sizeof si) {
		int sig = (int)si.ssi_signo;
		if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
			if (!R->sig)
				R->sig = sig;
			stop_all(R);
		}
	}
}

/* A job that could not start any process has nothing to wait for. */
static void forget_idle(struct runner *R)
{
	for (size_t a = 0; a < R->nactive;) {
		struct jrun *jr = R->active[a];
		if (jr->running) {
			a++;
			continue;
		}
		jrun_free(jr);
		R->active[a] = R->active[--R->nactive];
	}
}

static int run_batch(struct runner *R, const struct pvd_job *jobs, size_t n, size_t max, done_fn done,
		     struct pvd_err *e)
{
	size_t next = 0;
	for (;;) {
		while (!R->stop && R->nactive < max && next < n) {
			struct pvd_err se = { 0 };
			if (start(R, &jobs[next++], &se)) {
				fail(R, &se);
				stop_all(R);
				forget_idle(R);
			}
		}
		if (R->nactive == 0)
			break;
		wait_event(R);
		reap(R, done);
		live_draw(R, R->p->nsources);
	}
	live_clear(R);
	if (R->sig) {
		char sn[32];
		return pvd_err_set(e, 128 + R->sig, NULL, 0, 0, "interrupted by %s", sig_name(R->sig, sn, sizeof sn));
	}
	if (R->status) {
		*e = R->first;
		return R->status;
	}
	return 0;
}

/* The stages' messages of a finished job, one text per command. */
static const char **texts(struct jrun *jr)
{
	const char **t = xcalloc(jr->j->ncmds + 1, sizeof *t);
	for (size_t i = 0; i < jr->j->ncmds; i++)
		t[i] = cap_text(&jr->cap[i]);
	return t;
}

static int source_done(struct runner *R, struct jrun *jr, struct pvd_buf *line, struct pvd_err *e)
{
	const char **t = texts(jr);
	if (jr->shm && jr->shm->have_digest)
		pvd_runreport_digest(&R->rep, jr->j, jr->shm->sha256, jr->shm->bytes);
	int rc = pvd_runreport_source(&R->rep, jr->j, t, R->dir.work, R->dir.new, line, e);
	free(t);
	return rc;
}

static int merge_done(struct runner *R, struct jrun *jr, struct pvd_buf *line, struct pvd_err *e)
{
	const char **t = texts(jr);
	int rc = pvd_runreport_merge(&R->rep, jr->j, t, R->dir.work, R->dir.new, line, e);
	free(t);
	return rc;
}

static int render_done(struct runner *R, struct jrun *jr, struct pvd_buf *line, struct pvd_err *e)
{
	const char **t = texts(jr);
	int rc = pvd_runreport_render(&R->rep, jr->j, t, R->plan.indicators, R->dir.work, R->dir.new, line, e);
	free(t);
	return rc;
}

static void result(struct runner *R, struct pvd_run_result *res)
{
	res->rows = pvd_runreport_rows(&R->rep);
	res->rejected = pvd_runreport_rejected(&R->rep);
	size_t n = json_array_size(R->rep.warnings);
	res->warnings = xcalloc(n + 1, sizeof *res->warnings);
	for (size_t i = 0; i < n; i++)
		res->warnings[i] = xstrdup(json_string_value(json_array_get(R->rep.warnings, i)));
	res->nwarnings = n;
}

/* Fused mode: the join's reference tables, the catalogue and the sources'
 * profiles are read (and indexed) once, before the sources' processes are
 * forked, which share them (copy on write).  A failed load fails each
 * source's stage as it would have failed alone. */
static int no_pvd_list(const struct pvd_pipeline *p)
{
	for (size_t i = 0; i < p->nrefs; i++)
		if (strcmp(p->refs[i].name, "pvd") == 0)
			return 0;
	return 1;
}

static void share_config(struct runner *R)
{
	struct pvd_join_refs refs = { 0 };
	R->refargs = xcalloc(R->p->nrefs + 1, sizeof *R->refargs);
	for (size_t i = 0; i < R->p->nrefs; i++) {
		struct pvd_buf b = { 0 };
		pvd_buf_printf(&b, "%s=%s", R->p->refs[i].name, R->p->refs[i].value);
		R->refargs[i] = b.p;
		pvd_join_refs_add(&refs, b.p, NULL);
	}
	R->shared = xcalloc(1, sizeof *R->shared);
	pvd_join_shared_load(R->shared, &refs);
	struct pvd_period period;
	pvd_period_parse(R->p->period, &period);
	R->catalog = xcalloc(1, sizeof *R->catalog);
	pvd_agg_shared_load(R->catalog, R->p->indicators, &period);
	/* each profile once, however many sources name it */
	struct pvd_strset names;
	pvd_strset_init(&names);
	R->profiles = xcalloc(R->p->nsources + 1, sizeof *R->profiles);
	R->profile = xcalloc(R->p->nsources + 1, sizeof *R->profile);
	for (size_t i = 0; i < R->p->nsources; i++) {
		const char *name = R->p->sources[i].profile;
		int added;
		uint32_t id = pvd_strset_add(&names, name, strlen(name), &added);
		if (added)
			pvd_ingest_shared_load(&R->profiles[R->nprofiles++], name);
		R->profile[i] = &R->profiles[id];
	}
	pvd_strset_free(&names);
}

static void unshare_config(struct runner *R)
{
	for (size_t i = 0; R->refargs && R->refargs[i]; i++)
		free(R->refargs[i]);
	free(R->refargs);
	if (R->shared)
		pvd_join_shared_free(R->shared);
	free(R->shared);
	R->refargs = NULL;
	R->shared = NULL;
	if (R->catalog)
		pvd_agg_shared_free(R->catalog);
	free(R->catalog);
	R->catalog = NULL;
	for (size_t i = 0; i < R->nprofiles; i++)
		pvd_ingest_shared_free(&R->profiles[i]);
	free(R->profiles);
	free(R->profile);
	R->profiles = NULL;
	R->profile = NULL;
	R->nprofiles = 0;
	malloc_trim(0); /* give the pages back before forking the next stages */
}

int pvd_run(const struct pvd_pipeline *p, const struct pvd_run_opts *o, struct pvd_run_result *res,
	    struct pvd_err *e)
{
	struct runner R = { .o = o, .p = p, .sfd = -1, .self = getpid(), .dir = { .lock = -1 } };
	/* pvd-join's usage error, with its "Try --help" line, is its own process's */
	R.pipes = o->pipes || no_pvd_list(p);
	int rc = 0;
	memset(res, 0, sizeof *res);
	R.names = pvd_plan_programs();
	for (size_t i = 0; R.names[i]; i++)
		if (!(R.progs[i] = pvd_run_find_program(o->self_dir, R.names[i]))) {
			rc = pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "cannot find %s (neither beside pvd-run in %s nor on PATH)",
					 R.names[i], o->self_dir ? o->self_dir : "?");
			goto free_progs;
		}
	pvd_plan_build(&R.plan, p, 0);
	pvd_runreport_init(&R.rep, p, o->version);

	sigemptyset(&R.waitset);
	sigaddset(&R.waitset, SIGCHLD);
	sigaddset(&R.waitset, SIGINT);
	sigaddset(&R.waitset, SIGTERM);
	sigaddset(&R.waitset, SIGHUP);
	sigprocmask(SIG_BLOCK, &R.waitset, &R.oldmask);
	/* SIGCHLD ignored would reap the children for us: a handler makes sure it is not. */
	struct sigaction sa = { .sa_handler = on_chld };
	sigemptyset(&sa.sa_mask);
	sigaction(SIGCHLD, &sa, &R.oldchld);
	if ((R.sfd = signalfd(-1, &R.waitset, SFD_NONBLOCK | SFD_CLOEXEC)) < 0) {
		rc = pvd_err_set(e, PVD_EX_SOFTWARE, NULL, 0, 0, "signalfd: %s", strerror(errno));
		goto out;
	}

	if ((rc = pvd_rundir_open(&R.dir, p->output, e)))
		goto out;
	if (!R.pipes)
		share_config(&R);
	rc = run_batch(&R, R.plan.sources, R.plan.nsources, o->jobs ? o->jobs : 1, source_done, e);
	/* not needed further: the merge and render processes start smaller */
	unshare_config(&R);
	if (rc)
		goto out;
	if ((rc = run_batch(&R, &R.plan.merge, 1, 1, merge_done, e)))
		goto out;
	char *prov = pvd_plan_path(R.plan.provenance, R.dir.work, R.dir.new);
	rc = pvd_runreport_provenance(&R.rep, prov, e);
	free(prov);
	if (rc)
		goto out;
	if ((rc = run_batch(&R, R.plan.renders, R.plan.nrenders, o->jobs ? o->jobs : 1, render_done, e)))
		goto out;
	if ((rc = pvd_runreport_write(&R.rep, R.dir.new, e)))
		goto out;
	/* the data-quality page, from the report just written (quality.h) */
	if ((rc = pvd_quality_write(R.dir.new, e)))
		goto out;
	rc = pvd_rundir_commit(&R.dir, e);
out:
	result(&R, res);
	res->signal = R.sig;
	res->reported = R.reported && rc == R.status;
	if (o->keep_work && R.dir.work)
		res->work = xstrdup(R.dir.work);
	pvd_rundir_close(&R.dir, o->keep_work);
	if (R.sfd >= 0)
		close(R.sfd);
	sigaction(SIGCHLD, &R.oldchld, NULL);
	sigprocmask(SIG_SETMASK, &R.oldmask, NULL);
	pvd_runreport_free(&R.rep);
	pvd_plan_free(&R.plan);
	free(R.active);
	unshare_config(&R);
free_progs:
	for (size_t i = 0; R.names[i]; i++)
		free(R.progs[i]);
	return rc;
}

void pvd_run_result_free(struct pvd_run_result *res)
{
	for (size_t i = 0; i < res->nwarnings; i++)
		free(res->warnings[i]);
	free(res->warnings);
	free(res->work);
	memset(res, 0, sizeof *res);
}
