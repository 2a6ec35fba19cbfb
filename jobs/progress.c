/* Phase-weighted progress with a time-left estimate. The weights are the typical shares
 * of the national plan's time per phase; an unknown phase keeps the current overall
 * fraction. Writes only to the FILE it was given. */
#include "jobs/progress.h"

#include <string.h>
#include <time.h>
#include <unistd.h>

#include "util/clock.h"

static const struct {
	const char *name;
	double start, share;
} phases[] = {
	{"demand", 0.00, 0.25}, {"candidates", 0.25, 0.05}, {"local", 0.30, 0.35},
	{"regional", 0.65, 0.20}, {"results", 0.85, 0.15}, {"done", 1.00, 0.00},
};

void progress_init(struct progress *p, FILE *out)
{
	memset(p, 0, sizeof *p);
	p->out = out;
	p->tty = isatty(fileno(out));
	p->start_s = clock_now_s();
	p->last_s = -1;
}

static void set_phase(struct progress *p, const char *phase)
{
	if (strcmp(p->phase, phase) == 0)
		return;
	snprintf(p->phase, sizeof p->phase, "%s", phase);
	for (size_t k = 0; k < sizeof phases / sizeof phases[0]; k++)
		if (strcmp(phases[k].name, phase) == 0) {
			p->phase_start = phases[k].start;
			p->phase_share = phases[k].share;
			return;
		}
}

void progress_update(void *user, const char *phase, double fraction)
{
	struct progress *p = user;
	double t = clock_now_s(), overall, elapsed = t - p->start_s, left;
	int known = 0;
	for (size_t k = 0; k < sizeof phases / sizeof phases[0]; k++)
		known |= strcmp(phases[k].name, phase) == 0;
	if (known)
		set_phase(p, phase);
	if (fraction < 0)
		fraction = 0;
	if (fraction > 1)
		fraction = 1;
	overall = p->phase_start + p->phase_share * fraction;
	if (t - p->last_s < (p->tty ? 0.1 : 1.0) && fraction < 1 && p->last_s >= 0)
		return;
	p->last_s = t;
	left = overall > 0.02 ? elapsed / overall * (1 - overall) : -1;
	if (p->tty)
		fprintf(p->out, "\r%-10s %-12s %5.1f%%  %5.1f s elapsed, %s%5.1f s left   ", p->phase,
			known ? "" : phase, 100 * overall, elapsed, left < 0 ? "~" : "",
			left < 0 ? 0 : left);
	else
		fprintf(p->out, "progress phase=%s step=%s pct=%.1f elapsed_s=%.2f left_s=%.2f\n",
			p->phase, phase, 100 * overall, elapsed, left < 0 ? -1 : left);
	fflush(p->out);
}

void progress_done(struct progress *p)
{
	if (p->tty)
		fputc('\n', p->out);
	fflush(p->out);
}
