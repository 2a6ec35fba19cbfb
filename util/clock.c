/* The monotonic clock in seconds, for phase timings and durations; never the wall clock. */
#include "util/clock.h"

#include <time.h>

double clock_now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}
