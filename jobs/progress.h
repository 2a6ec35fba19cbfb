/* Progress reporting for long commands: on a terminal a single redrawn line with phase,
 * percentage and estimated time left; otherwise one machine-readable line per update
 * ("progress phase=local pct=42.0 elapsed_s=1.20 left_s=1.65"), rate-limited. */
#ifndef HUB_PROGRESS_H
#define HUB_PROGRESS_H

#include <stdio.h>

struct progress {
	FILE *out;
	int tty;
	double start_s, last_s;
	char phase[32];
	double phase_start, phase_share;  /* overall fraction where the phase starts, its share */
};

/* Starts reporting to out (a terminal gets the redrawn line). */
void progress_init(struct progress *p, FILE *out);

/* The callback for plan_progress / cover_progress: user is a struct progress. */
void progress_update(void *user, const char *phase, double fraction);

/* Ends the redrawn line (terminal) or prints the final line. */
void progress_done(struct progress *p);

#endif
