#include "progress.h"
#include "diag.h"
#include "stats.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define INTERVAL 0.2 /* seconds between two draws */

static struct {
	int mode;                       /* -1 off (-q), 0 auto, 1 forced */
	int out_file;                   /* the records go to a file, not stdout */
	const struct pvd_stats *st;
	int fd;                         /* the input shown, -1 none */
	int shown;                      /* this input gets a line */
	int color;
	char name[256];
	unsigned long long bytes, size;
	double t0, last;
	size_t drawn;                   /* width of the line on screen, 0 none */
} P = { .fd = -1 };

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void pvd_progress_force(void)
{
	if (P.mode == 0)
		P.mode = 1;
}

void pvd_progress_quiet(void)
{
	P.mode = -1;
}

void pvd_progress_output_file(void)
{
	P.out_file = 1;
}

void pvd_progress_stats(const struct pvd_stats *st)
{
	P.st = st;
}

void pvd_progress_forget(const struct pvd_stats *st)
{
	if (P.st == st) {
		P.st = NULL;
		P.shown = 0; /* no line without its counts */
		P.fd = -1;
	}
}

static void human(char *dst, size_t cap, double v)
{
	static const char *const unit[] = { "B", "kB", "MB", "GB", "TB" };
	size_t u = 0;
	while (v >= 1000 && u < 4) {
		v /= 1000;
		u++;
	}
	snprintf(dst, cap, u ? "%.1f %s" : "%.0f %s", v, unit[u]);
}

static void clock_hms(char *dst, size_t cap, double s)
{
	unsigned long t = s > 0 && s < 1e9 ? (unsigned long)(s + 0.5) : 0;
	snprintf(dst, cap, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
}

void pvd_progress_format(char *dst, size_t cap, const char *name, unsigned long long bytes,
			 unsigned long long size, unsigned long long records, const char *unit,
			 unsigned long long rejected, double elapsed, int done)
{
	char b[32], s[32], r[32], t[32];
	human(b, sizeof b, (double)bytes);
	double rate = elapsed > 0.001 ? (double)bytes / elapsed : 0;
	human(r, sizeof r, rate);
	int n = snprintf(dst, cap, "%s: %s: %s", pvd_progname, name, b);
	if (size && n >= 0 && (size_t)n < cap) {
		human(s, sizeof s, (double)size);
		unsigned long long pct = bytes >= size ? 100 : bytes * 100 / size;
		n += snprintf(dst + n, cap - (size_t)n, " of %s %llu%%", s, pct);
	}
	if (n >= 0 && (size_t)n < cap)
		n += snprintf(dst + n, cap - (size_t)n, ", %llu %s, %llu rejected, %s/s", records,
			      unit ? unit : "records", rejected, r);
	if (n >= 0 && (size_t)n < cap) {
		if (done) {
			clock_hms(t, sizeof t, elapsed);
			snprintf(dst + n, cap - (size_t)n, ", %s", t);
		} else if (size && rate > 0 && bytes < size) {
			clock_hms(t, sizeof t, (double)(size - bytes) / rate);
			snprintf(dst + n, cap - (size_t)n, ", ETA %s", t);
		}
	}
}

static void draw(int done)
{
	char line[512];
	double t = now();
	pvd_progress_format(line, sizeof line, P.name, P.bytes, P.size, P.st ? P.st->in : 0,
			    P.st ? P.st->unit : NULL, P.st ? P.st->rejected : 0, t - P.t0, done);
	size_t len = strlen(line);
	struct winsize ws;
	if (ioctl(2, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 10 && len > (size_t)ws.ws_col - 1) {
		len = (size_t)ws.ws_col - 1;
		while (len > 0 && ((unsigned char)line[len] & 0xC0) == 0x80)
			len--; /* whole UTF-8 characters of the name */
	}
	/* Spaces, not an erase sequence, cover a longer previous line: the
	 * forced line may go to a file. */
	size_t pad = P.drawn > len ? P.drawn - len : 0;
	fprintf(stderr, "\r%s%.*s%s%*s%s", P.color ? "\033[2m" : "", (int)len, line, P.color ? "\033[0m" : "",
		(int)pad, "", done ? "\n" : "");
	if (pad && !done)
		fprintf(stderr, "\r%s%.*s%s", P.color ? "\033[2m" : "", (int)len, line, P.color ? "\033[0m" : "");
	fflush(stderr);
	P.drawn = done ? 0 : len;
	P.last = t;
}

void pvd_progress_open(const char *name, int fd)
{
	/* Not with -q; not without the counts; one input at a time.  (What a
	 * stage loads besides its records, reference tables and documents,
	 * is opened by pvd_input_open_aux and never comes here.) */
	if (P.mode < 0 || !P.st || P.fd >= 0)
		return;
	struct stat sb;
	int regular = fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode);
	int tty = isatty(2);
	/* On its own only for a file read to somewhere else than the terminal:
	 * records printed on the screen would be cut by the line. */
	if (!(P.mode > 0 || (tty && regular && (P.out_file || !isatty(1)))))
		return;
	P.fd = fd;
	P.shown = 1;
	const char *nc = getenv("NO_COLOR");
	P.color = tty && !(nc && *nc);
	snprintf(P.name, sizeof P.name, "%s", name);
	for (char *c = P.name; *c; c++)
		if ((unsigned char)*c < 0x20)
			*c = '?'; /* a newline in a file name must not break the line */
	P.bytes = 0;
	P.size = regular ? (unsigned long long)sb.st_size : 0;
	P.t0 = P.last = now();
	P.drawn = 0;
}

void pvd_progress_tick(void)
{
	if (P.shown && now() - P.last >= INTERVAL)
		draw(0);
}

void pvd_progress_read(size_t n)
{
	if (!P.shown)
		return;
	P.bytes += n;
	pvd_progress_tick();
}

void pvd_progress_close(int fd)
{
	if (!P.shown || fd != P.fd)
		return;
	draw(1); /* the final state stays, as pv leaves it: total, time, mean rate */
	P.shown = 0;
	P.fd = -1;
}

void pvd_progress_clear(void)
{
	if (!P.drawn)
		return;
	fprintf(stderr, "\r%*s\r", (int)P.drawn, "");
	P.drawn = 0;
}
