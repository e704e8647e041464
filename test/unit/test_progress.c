/* The progress line's text (lib/progress.c): sizes in decimal units, the
 * percentage never above 100, the ETA from the mean rate, no size/ETA for
 * a pipe, the elapsed time when done; and the config directory of an
 * installed program, from its own path (lib/confpath.c). */
#include "check.h"
#include "confpath.h"
#include "diag.h"
#include "progress.h"
#include <stdlib.h>
#include <unistd.h>

int main(void)
{
	static const struct {
		unsigned long long bytes, size, records, rejected;
		double elapsed;
		int done;
		const char *want;
	} v[] = {
		{ 50000000, 100000000, 1234, 5, 5.0, 0,
		  "t: f.csv: 50.0 MB of 100.0 MB 50%, 1234 rows, 5 rejected, 10.0 MB/s, ETA 0:00:05" },
		{ 999, 0, 3, 0, 1.0, 0, "t: f.csv: 999 B, 3 rows, 0 rejected, 999 B/s" },
		{ 1000, 0, 3, 0, 1.0, 1, "t: f.csv: 1.0 kB, 3 rows, 0 rejected, 1.0 kB/s, 0:00:01" },
		{ 2000000000000ULL, 4000000000000ULL, 0, 0, 3600.0, 0,
		  "t: f.csv: 2.0 TB of 4.0 TB 50%, 0 rows, 0 rejected, 555.6 MB/s, ETA 1:00:00" },
		/* a file that grew while read: 100%, no ETA */
		{ 1500, 1000, 7, 1, 2.0, 0, "t: f.csv: 1.5 kB of 1.0 kB 100%, 7 rows, 1 rejected, 750 B/s" },
		/* no time elapsed yet: no rate, no ETA */
		{ 0, 1000, 0, 0, 0.0, 0, "t: f.csv: 0 B of 1.0 kB 0%, 0 rows, 0 rejected, 0 B/s" },
		{ 1000, 1000, 9, 0, 61.0, 1, "t: f.csv: 1.0 kB of 1.0 kB 100%, 9 rows, 0 rejected, 16 B/s, 0:01:01" },
	};
	char line[512];
	pvd_set_progname("t");
	for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
		pvd_progress_format(line, sizeof line, "f.csv", v[i].bytes, v[i].size, v[i].records, "rows",
				    v[i].rejected, v[i].elapsed, v[i].done);
		CHECK_STR(line, v[i].want, "progress line #%zu", i);
	}
	/* a line longer than the buffer is cut, never overflows */
	char small[16];
	pvd_progress_format(small, sizeof small, "a-very-long-file-name.csv", 1, 2, 3, NULL, 4, 1.0, 0);
	CHECK_INT(strlen(small), sizeof small - 1, "cut to the buffer");

	/* The test program lives in BUILD/unit/: its installed config would be
	 * BUILD/share/pvd/config. */
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	CHECK(n > 0, "own path");
	exe[n > 0 ? n : 0] = '\0';
	char *slash = strrchr(exe, '/');
	*slash = '\0';
	slash = strrchr(exe, '/');
	*slash = '\0';
	strcat(exe, "/share/pvd/config");
	CHECK_STR(pvd_config_installed(), exe, "installed config beside the program");
	unsetenv("PVD_CONFIG");
	pvd_config_set("some/dir");
	CHECK_STR(pvd_config_dir(), "some/dir", "--config first");
	pvd_config_set(NULL);
	setenv("PVD_CONFIG", "env/dir", 1);
	CHECK_STR(pvd_config_dir(), "env/dir", "then $PVD_CONFIG");
	CHECK_STR(pvd_config_explicit(), "env/dir", "which is explicit");
	unsetenv("PVD_CONFIG");
	CHECK(pvd_config_explicit() == NULL, "none given");
	return check_done();
}
