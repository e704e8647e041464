#include "sampler.h"
#include <string.h>
#include <sys/time.h>

static struct pvd_samples *volatile on;

static void tick(int sig)
{
	struct pvd_samples *s = on;
	if (!s)
		return;
	unsigned at = (unsigned)s->at;
	if (at >= PVD_SAMPLE_SLOTS)
		return;
	if (sig == SIGPROF)
		s->cpu[at]++;
	else
		s->wall[at]++;
}

int pvd_sampler_start(struct pvd_samples *s)
{
	struct sigaction sa = { .sa_handler = tick, .sa_flags = SA_RESTART };
	struct itimerval it = { .it_interval = { 0, PVD_SAMPLE_US }, .it_value = { 0, PVD_SAMPLE_US } };
	sigemptyset(&sa.sa_mask);
	on = s;
	if (sigaction(SIGPROF, &sa, NULL) != 0 || sigaction(SIGALRM, &sa, NULL) != 0 ||
	    setitimer(ITIMER_PROF, &it, NULL) != 0 || setitimer(ITIMER_REAL, &it, NULL) != 0) {
		pvd_sampler_stop();
		return -1;
	}
	return 0;
}

void pvd_sampler_stop(void)
{
	struct itimerval off = { 0 };
	setitimer(ITIMER_PROF, &off, NULL);
	setitimer(ITIMER_REAL, &off, NULL);
	/* The handlers stay, inert: a tick still on its way (valgrind delivers
	 * them late) must not find SIGALRM's default, which kills. */
	on = NULL;
}

int pvd_samples_share(const volatile unsigned long *samples, size_t n, unsigned long long total,
		      unsigned long long *out)
{
	unsigned long long sum = 0, given = 0, rem[PVD_SAMPLE_SLOTS] = { 0 };
	memset(out, 0, n * sizeof *out);
	for (size_t i = 0; i < n; i++)
		sum += samples[i];
	if (!sum || n > PVD_SAMPLE_SLOTS)
		return -1;
	for (size_t i = 0; i < n; i++) {
		/* total * samples / sum without overflow for any run length */
		unsigned __int128 x = (unsigned __int128)total * samples[i];
		out[i] = (unsigned long long)(x / sum);
		rem[i] = (unsigned long long)(x % sum);
		given += out[i];
	}
	while (given < total) {
		size_t best = 0;
		for (size_t i = 1; i < n; i++)
			if (rem[i] > rem[best])
				best = i;
		out[best]++;
		rem[best] = 0;
		given++;
	}
	return 0;
}
