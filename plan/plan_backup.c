/* Backup power inside the plan: groups the demand points by battery area (their buurt,
 * else their wijk), fills the backup model's inputs from the areas' figures, finds the
 * care institutions (generators) and hospitals (counted: they have emergency power of
 * their own) among the sites, and runs backup_compute with the plan's site counts. */
#include "plan/plan_internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The battery area of demand point i: its buurt, else its wijk, else its own area. */
static int32_t battery_area(const struct plan_area *areas, const struct demand *d, size_t i)
{
	const struct plan_area *a = &areas[d->area[i]];
	if (a->buurt >= 0)
		return a->buurt;
	return a->wijk >= 0 ? a->wijk : d->area[i];
}

static double count_65plus(const struct plan_area *a)
{
	if (a->residents_65plus == a->residents_65plus)
		return a->residents_65plus;
	if (a->pct_65plus == a->pct_65plus && a->residents == a->residents)
		return a->residents * a->pct_65plus / 100.0;
	return 0;
}

struct groups {
	int32_t *index;               /* [nareas] battery index of an area, -1 */
	size_t *off;                  /* [n+1] point offsets per battery area */
	double *xy, *weight;          /* gathered per battery area */
};

static int group_points(struct plan_result *out, const struct plan_area *areas, size_t nareas,
			struct groups *g)
{
	const struct demand *d = &out->demand;
	size_t n = 0, *fill = NULL;
	g->index = malloc((nareas + 1) * sizeof *g->index);
	out->backup_area = malloc((nareas + 1) * sizeof *out->backup_area);
	if (!g->index || !out->backup_area)
		return -ENOMEM;
	for (size_t a = 0; a < nareas; a++)
		g->index[a] = -1;
	for (size_t i = 0; i < d->n; i++) {
		int32_t b = battery_area(areas, d, i);
		if (g->index[b] < 0) {
			g->index[b] = (int32_t)n;
			out->backup_area[n++] = b;
		}
	}
	out->nbackup = n;
	g->off = calloc(n + 2, sizeof *g->off);
	fill = calloc(n + 1, sizeof *fill);
	g->xy = malloc((d->n + 1) * 2 * sizeof *g->xy);
	g->weight = malloc((d->n + 1) * sizeof *g->weight);
	if (!g->off || !fill || !g->xy || !g->weight) {
		free(fill);
		return -ENOMEM;
	}
	for (size_t i = 0; i < d->n; i++)
		g->off[g->index[battery_area(areas, d, i)] + 1]++;
	for (size_t b = 0; b < n; b++)
		g->off[b + 1] += g->off[b];
	for (size_t i = 0; i < d->n; i++) {
		size_t b = (size_t)g->index[battery_area(areas, d, i)], k = g->off[b] + fill[b]++;
		g->xy[2 * k] = d->xy[2 * i];
		g->xy[2 * k + 1] = d->xy[2 * i + 1];
		g->weight[k] = d->weight[i];
	}
	free(fill);
	return 0;
}

static void fill_inputs(const struct plan_result *out, const struct plan_area *areas,
			const struct groups *g, struct backup_area *in)
{
	for (size_t b = 0; b < out->nbackup; b++) {
		const struct plan_area *a = &areas[out->backup_area[b]];
		int u = a->urbanity;
		if (u < 1 && a->gemeente >= 0)
			u = areas[a->gemeente].urbanity;
		in[b] = (struct backup_area){
			.households = a->households, .residents = a->residents == a->residents ? a->residents : 0,
			.residents_65plus = count_65plus(a), .urbanity = u >= 1 ? u : 5,
			.address_density = a->address_density, .xy = g->xy + 2 * g->off[b],
			.weight = g->weight + g->off[b], .npoints = g->off[b + 1] - g->off[b],
		};
	}
}

/* The care institutions among the sites (kind "care"): their people for the generators
 * and their site ids in out->generator_site; the hospitals counted with their beds. */
static int institutions(struct plan_result *out, const struct plan_site_in *sites, size_t n,
			struct backup_institution **inst)
{
	*inst = calloc(n + 1, sizeof **inst);
	out->generator_site = calloc(n + 1, sizeof *out->generator_site);
	if (!*inst || !out->generator_site)
		return -ENOMEM;
	for (size_t j = 0; j < n; j++) {
		const struct plan_site_in *s = &sites[j];
		if (s->kind && strcmp(s->kind, "hospital") == 0) {
			out->hospitals++;
			out->hospital_beds += s->beds == s->beds ? s->beds : 0;
			out->hospital_ic_beds += s->ic_beds == s->ic_beds ? s->ic_beds : 0;
		}
		if (!s->kind || strcmp(s->kind, "care") != 0)
			continue;
		double people = s->beds == s->beds && s->beds > 0 ? s->beds : s->clients;
		(*inst)[out->care_sites] = (struct backup_institution){people};
		out->generator_site[out->care_sites++] = s->id;
	}
	return 0;
}

int plan_backup(struct plan_result *out, const struct plan_area *areas, size_t nareas,
		const struct plan_site_in *sites, size_t nsites, const struct plan_params *p)
{
	struct groups g = {0};
	struct backup_area *in = NULL;
	struct backup_institution *inst = NULL;
	int rc = group_points(out, areas, nareas, &g);
	if (rc == 0 && !(in = calloc(out->nbackup + 1, sizeof *in)))
		rc = -ENOMEM;
	if (rc == 0)
		rc = institutions(out, sites, nsites, &inst);
	if (rc == 0) {
		fill_inputs(out, areas, &g, in);
		rc = backup_compute(&p->backup, in, out->nbackup, out->local.nfunded,
				    out->regional.nfunded, inst, out->care_sites, &out->backup);
	}
	free(in);
	free(inst);
	free(g.index);
	free(g.off);
	free(g.xy);
	free(g.weight);
	return rc;
}
