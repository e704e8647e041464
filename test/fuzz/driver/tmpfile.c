/* tmpfile.c — the temporary files of fuzz.h (linked into every harness). */
#include "fuzz.h"
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char dir[64];
static char files[8][PATH_MAX];
static int nfiles;

static void cleanup(void)
{
	for (int i = 0; i < nfiles; i++)
		unlink(files[i]);
	if (dir[0])
		rmdir(dir);
}

const char *fuzz_file(const char *name, const void *data, size_t size)
{
	if (!dir[0]) {
		/* In memory when the system has it: a disk file per run costs. */
		const char *t = getenv("TMPDIR");
		if (access("/dev/shm", W_OK) == 0)
			t = "/dev/shm";
		snprintf(dir, sizeof dir, "%s/pvd-fuzz.XXXXXX", t && strlen(t) < 40 ? t : "/tmp");
		if (!mkdtemp(dir))
			abort();
		atexit(cleanup);
	}
	char path[PATH_MAX];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	int i;
	for (i = 0; i < nfiles && strcmp(files[i], path); i++)
		;
	if (i == nfiles) {
		if (nfiles == 8)
			abort();
		memcpy(files[nfiles++], path, sizeof path);
	}
	int fd = open(files[i], O_WRONLY | O_CREAT | O_TRUNC, 0600);
	if (fd < 0)
		abort();
	const char *p = data;
	while (size) {
		ssize_t w = write(fd, p, size);
		if (w <= 0)
			abort();
		p += w;
		size -= (size_t)w;
	}
	close(fd);
	return files[i];
}
