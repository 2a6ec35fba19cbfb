/* The target solver's state, shared by cover_target.c (greedy, repair, cleanup, settling)
 * and cover_target_stable.c (a stable recompute's incumbents and augmenting paths). Not
 * API: only those two files include it. */
#ifndef HUB_COVER_TARGET_PRIV_H
#define HUB_COVER_TARGET_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "plan/cover.h"

#define FRAC_EPS 1e-12         /* an unserved fraction this small counts as served */
#define TARGET_SLACK 1e-9      /* a group is at target within this share of its weight */
#define SETTLE_PASSES 32       /* bound on the passes of nearest-site moves */
#define CLEANUP_ROUNDS 8       /* bound on the cleanup rounds on the canonical assignment */
#define NONE UINT32_MAX

/* The pairs of the open sites per demand point, nearest first (built after the greedy). */
struct ot {
	uint32_t *off, *site;      /* off[ndemand+1], site[npairs] */
	float *dist;
	double *amt;               /* fraction of the point's residents this site serves */
};

struct take {                  /* a greedy assignment, replayed into ot.amt */
	uint32_t site, dem;
	double phi;
};

struct undo {                  /* values before one change in a cleanup trial */
	uint32_t e, i;
	double amt, f, load;
};

struct target {
	const struct cover_model *m;
	const struct cover_progress *progress;
	double cap, room_eps, eps, deadline;
	double *f;                 /* [ndemand] served fraction of each point */
	double *res;               /* [ndemand] residents, negative ones as 0 */
	double *gneed, *gserved, *gweight, *gacc, *gsave;   /* [ngroups] */
	uint32_t *gmark, *gtouch, *gsites, gstamp;          /* gsites: open sites per group */
	size_t ngtouch, gleft;     /* gleft: groups below target */
	uint8_t *is_open;
	uint8_t *listed;           /* [ncand] 1 = in open[] (open, or opened and closed) */
	double *load;              /* [ncand] residents served */
	uint32_t *open, *rank;
	uint32_t *cg_off, *cg;     /* [ncand+1], [..]: the groups of each candidate's points */
	uint32_t *walk_from;       /* [ncand] during a greedy (NULL else): each candidate's
				    * pairs before this one are of points wholly served */
	size_t nopen;
	struct take *log;
	size_t nlog, caplog;
	struct undo *undo;
	size_t nundo, capundo;
	struct ot ot;
	int closed, rc;            /* rc: sticky -ENOMEM from the assignment log */
	int timed_out;             /* the deadline stopped a cleanup */
	int only_incumbents;       /* the greedy picks among a stable recompute's incumbents */
};

static inline int is_incumbent(const struct cover_model *m, uint32_t s)
{
	return m->incumbent && m->incumbent[s];
}

/* The capacity of candidate s: the per-site capacity times its number of sites. */
static inline double cap_of(const struct target *t, uint32_t s)
{
	return t->m->cand_capacity ? t->cap * t->m->cand_capacity[s] : t->cap;
}

static inline int group_done(const struct target *t, uint32_t g)
{
	return t->gserved[g] >= t->gneed[g];
}

/* The entry of open site s in point i's list (s must be in it). */
static inline uint32_t ot_find(const struct target *t, uint32_t i, uint32_t s)
{
	uint32_t e = t->ot.off[i];
	while (t->ot.site[e] != s)
		e++;
	return e;
}

/* In cover_target.c. */
void target_log_take(struct target *t, uint32_t k, uint32_t i, double phi);
void target_open_site(struct target *t, uint32_t k, int all);
int target_greedy(struct target *t);
int target_ot_build(struct target *t);
void target_repair(struct target *t);

/* In cover_target_stable.c: opens a stable recompute's incumbents (see cover.h). */
int target_open_incumbents(struct target *t);

/* Replaces the assignment (needs ot) by the one the open set alone decides: residents to
 * open sites nearest first over all pairs, then the repair and augmenting paths for groups
 * below target. The same open set always gets the same assignment, whatever the history,
 * so a plan's last cleanup and a stable recompute of it judge sites alike. 0 or -ENOMEM. */
int target_assign_canonical(struct target *t);

/* The served amounts of ot back into the assignment log (f and load already hold them)
 * and ot freed, so the greedy can add sites and target_ot_build replay everything. */
void target_ot_to_log(struct target *t);

#endif
