#include "diag.h"
#include "progress.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *pvd_progname = "pvd";

void pvd_set_progname(const char *argv0)
{
	const char *s = argv0 ? strrchr(argv0, '/') : NULL;
	pvd_progname = s ? s + 1 : (argv0 ? argv0 : "pvd");
}

int pvd_err_vset(struct pvd_err *e, int status, const char *file, long line, long col,
		 const char *fmt, va_list ap)
{
	if (!e)
		return status;
	e->status = status;
	snprintf(e->file, sizeof e->file, "%s", file ? file : "");
	e->line = line;
	e->col = col;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	/* One problem, one line: a newline inside a message would break that. */
	for (char *p = e->msg; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	return status;
}

int pvd_err_set(struct pvd_err *e, int status, const char *file, long line, long col,
		const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pvd_err_vset(e, status, file, line, col, fmt, ap);
	va_end(ap);
	return status;
}

void pvd_err_print(const struct pvd_err *e)
{
	pvd_progress_clear();
	if (e->file[0] && e->line > 0 && e->col > 0)
		fprintf(stderr, "%s: %s:%ld:%ld: %s\n", pvd_progname, e->file, e->line, e->col, e->msg);
	else if (e->file[0] && e->line > 0)
		fprintf(stderr, "%s: %s:%ld: %s\n", pvd_progname, e->file, e->line, e->msg);
	else if (e->file[0])
		fprintf(stderr, "%s: %s: %s\n", pvd_progname, e->file, e->msg);
	else
		fprintf(stderr, "%s: %s\n", pvd_progname, e->msg);
}

/* "prog: [file[:line]: ]message\n" on stderr, after clearing a progress line. */
static void say(const char *file, long line, const char *fmt, va_list ap)
{
	pvd_progress_clear();
	if (file && line > 0)
		fprintf(stderr, "%s: %s:%ld: ", pvd_progname, file, line);
	else if (file)
		fprintf(stderr, "%s: %s: ", pvd_progname, file);
	else
		fprintf(stderr, "%s: ", pvd_progname);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void pvd_warn(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(NULL, 0, fmt, ap);
	va_end(ap);
}

void pvd_warn_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(file, line, fmt, ap);
	va_end(ap);
}

void pvd_die(int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	say(NULL, 0, fmt, ap);
	va_end(ap);
	exit(status);
}

const char *pvd_display_name(const char *path)
{
	return (!path || strcmp(path, "-") == 0) ? "<stdin>" : path;
}
