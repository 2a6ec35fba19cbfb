/* Backup-power sizing and ranking. Classes 1-3 (and class 4 above a density) get one
 * wijkbatterij per transformer area of households, placed at the weighted centre of a
 * strip of the area's demand points (always a populated point, so never in water);
 * classes 4-5 otherwise get home batteries for a share of households, vulnerable first.
 * Care institutions get a generator sized by beds (or clients). Areas and generators are
 * funded in one order of vulnerability-weighted households protected per euro. */
#include "plan/backup.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PERSONS_PER_HOUSEHOLD 2.1

void backup_params_default(struct backup_params *p)
{
	*p = (struct backup_params){
		.household_kwh = 6.0, .household_kw = 0.5, .households_per_battery = 175,
		.battery_eur_per_kwh = 400, .home_battery_kwh = 6.0, .home_eur_per_kwh = 800,
		.home_share = 1.0, .class4_min_density = 750, .local_point_kwh = 360,
		.regional_point_kva = 30, .care_kva = 20, .care_kva_per_person = 1.0,
		.care_weight = 4.0, .generator_eur_per_kva = 500,
		.budget_eur = 1.0e9, .weight_65plus = 0.5,
	};
}

static int uses_wijkbattery(const struct backup_params *p, const struct backup_area *a)
{
	if (a->urbanity >= 1 && a->urbanity <= 3)
		return 1;
	return a->urbanity == 4 && a->address_density == a->address_density &&
	       a->address_density >= p->class4_min_density;
}

static double households_of(const struct backup_area *a)
{
	if (a->households == a->households && a->households >= 0)
		return a->households;
	return a->residents > 0 ? a->residents / PERSONS_PER_HOUSEHOLD : 0;
}

struct order {
	double key;
	uint32_t i;
};

static int by_key(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->key != y->key)
		return x->key < y->key ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* The demand point nearest the weighted centre of points o[from, to). */
static uint32_t centre_point(const struct backup_area *a, const struct order *o, size_t from,
			     size_t to)
{
	double sx = 0, sy = 0, sw = 0, best = INFINITY;
	uint32_t pick = o[from].i;
	for (size_t k = from; k < to; k++) {
		double w = a->weight[o[k].i] > 0 ? a->weight[o[k].i] : 1e-9;
		sx += w * a->xy[2 * o[k].i];
		sy += w * a->xy[2 * o[k].i + 1];
		sw += w;
	}
	for (size_t k = from; k < to; k++) {
		double dx = a->xy[2 * o[k].i] - sx / sw, dy = a->xy[2 * o[k].i + 1] - sy / sw;
		if (dx * dx + dy * dy < best) {
			best = dx * dx + dy * dy;
			pick = o[k].i;
		}
	}
	return pick;
}

/* Splits the area's points, ordered along its longer axis, into n strips of equal weight
 * and puts one battery at the centre of each. */
static int place(const struct backup_params *p, const struct backup_area *a, size_t index,
		 int n, double households, struct backup_plan *out, size_t *cap)
{
	struct order *o = malloc((a->npoints + 1) * sizeof *o);
	double minx = INFINITY, maxx = -INFINITY, miny = INFINITY, maxy = -INFINITY, total = 0;
	if (!o)
		return -ENOMEM;
	for (size_t k = 0; k < a->npoints; k++) {
		minx = fmin(minx, a->xy[2 * k]), maxx = fmax(maxx, a->xy[2 * k]);
		miny = fmin(miny, a->xy[2 * k + 1]), maxy = fmax(maxy, a->xy[2 * k + 1]);
		total += a->weight[k] > 0 ? a->weight[k] : 1e-9;
	}
	int along_x = maxx - minx >= maxy - miny;
	for (size_t k = 0; k < a->npoints; k++)
		o[k] = (struct order){a->xy[2 * k + (along_x ? 0 : 1)], (uint32_t)k};
	qsort(o, a->npoints, sizeof *o, by_key);
	if (out->nbatteries + (size_t)n > *cap) {
		size_t c = *cap ? *cap : 1024;
		while (c < out->nbatteries + (size_t)n)
			c *= 2;
		struct backup_battery *b = realloc(out->batteries, c * sizeof *b);
		if (!b) {
			free(o);
			return -ENOMEM;
		}
		out->batteries = b;
		*cap = c;
	}
	size_t from = 0;
	double acc = 0, per_battery = households / n;
	for (int b = 0; b < n; b++) {
		size_t to = from;
		double goal = total * (b + 1) / n;
		while (to < a->npoints && (b == n - 1 || acc < goal)) {
			acc += a->weight[o[to].i] > 0 ? a->weight[o[to].i] : 1e-9;
			to++;
		}
		/* More batteries than points: an empty strip shares its neighbour's point. */
		size_t lo = to > from ? from : (from > 0 ? from - 1 : 0);
		uint32_t c = centre_point(a, o, lo, to > from ? to : lo + 1);
		out->batteries[out->nbatteries++] = (struct backup_battery){
			index, a->xy[2 * c], a->xy[2 * c + 1], per_battery * p->household_kwh,
			per_battery * p->household_kw, per_battery};
		from = to;
	}
	free(o);
	return 0;
}

static int size_area(const struct backup_params *p, const struct backup_area *a, size_t index,
		     struct backup_plan *out, size_t *cap)
{
	struct backup_result *r = &out->areas[index];
	double vulnerable_share = a->residents > 0 ? fmin(1, a->residents_65plus / a->residents) : 0;
	r->households = households_of(a);
	r->first_battery = out->nbatteries;
	if (r->households <= 0 || a->npoints == 0)
		return 0;
	if (uses_wijkbattery(p, a)) {
		int n = (int)ceil(r->households / p->households_per_battery);
		int rc = place(p, a, index, n, r->households, out, cap);
		if (rc < 0)
			return rc;
		r->wijk_batteries = n;
		r->wijk_kwh = r->households * p->household_kwh;
		r->wijk_kw = r->households * p->household_kw;
		r->protected_households = r->households;
		r->cost_eur = r->wijk_kwh * p->battery_eur_per_kwh;
	} else {
		r->home_batteries = (int)ceil(r->households * p->home_share);
		r->home_kwh = r->home_batteries * p->home_battery_kwh;
		r->protected_households = r->home_batteries;
		r->cost_eur = r->home_kwh * p->home_eur_per_kwh;
	}
	r->nbatteries = out->nbatteries - r->first_battery;
	/* Vulnerable households first: a home-battery share goes to them before the others. */
	double vulnerable = r->households * vulnerable_share;
	double weighted = r->protected_households + p->weight_65plus * fmin(vulnerable, r->protected_households);
	r->score = r->cost_eur > 0 ? weighted / r->cost_eur : 0;
	return 0;
}

static void size_generators(const struct backup_params *p, const struct backup_institution *in,
			    size_t n, struct backup_plan *out)
{
	for (size_t k = 0; k < n; k++) {
		struct backup_generator *g = &out->generators[k];
		g->people = in[k].people == in[k].people && in[k].people > 0 ? in[k].people : 0;
		g->kva = fmax(p->care_kva, p->care_kva_per_person * g->people);
		g->cost_eur = g->kva * p->generator_eur_per_kva;
		/* unknown figures: ranked as the smallest institution the smallest generator fits */
		double ranked = g->people > 0 ? g->people : p->care_kva_per_person > 0
				? p->care_kva / p->care_kva_per_person : 0;
		g->score = g->cost_eur > 0 ? p->care_weight * ranked / g->cost_eur : 0;
		out->care_cost_eur += g->cost_eur;
	}
	out->ngenerators = n;
}

/* Areas (i < nareas) and generators (i >= nareas) in one order, best score first; each is
 * funded when it still fits the budget left after the support points. */
static int fund(const struct backup_params *p, struct backup_plan *out, size_t nareas)
{
	size_t all = nareas + out->ngenerators, n = 0;
	struct order *o = malloc((all + 1) * sizeof *o);
	double left = p->budget_eur - out->points_cost_eur;
	if (!o)
		return -ENOMEM;
	for (size_t i = 0; i < nareas; i++)
		if (out->areas[i].cost_eur > 0)
			o[n++] = (struct order){-out->areas[i].score, (uint32_t)i};
	for (size_t k = 0; k < out->ngenerators; k++)
		o[n++] = (struct order){-out->generators[k].score, (uint32_t)(nareas + k)};
	qsort(o, n, sizeof *o, by_key);
	for (size_t k = 0; k < n; k++) {
		int is_area = o[k].i < nareas;
		double cost = is_area ? out->areas[o[k].i].cost_eur
				      : out->generators[o[k].i - nareas].cost_eur;
		int funded = cost <= left;
		*(is_area ? &out->areas[o[k].i].funded : &out->generators[o[k].i - nareas].funded) =
			funded;
		left -= funded ? cost : 0;
		*(funded ? &out->funded_cost_eur : &out->unfunded_cost_eur) += cost;
	}
	free(o);
	return 0;
}

int backup_compute(const struct backup_params *p, const struct backup_area *areas,
		   size_t nareas, size_t local_points, size_t regional_points,
		   const struct backup_institution *inst, size_t ninst, struct backup_plan *out)
{
	size_t cap = 0;
	int rc = 0;
	memset(out, 0, sizeof *out);
	out->areas = calloc(nareas + 1, sizeof *out->areas);
	out->generators = calloc(ninst + 1, sizeof *out->generators);
	if (!out->areas || !out->generators)
		rc = -ENOMEM;
	out->points_cost_eur = local_points * p->local_point_kwh * p->battery_eur_per_kwh +
			       regional_points * p->regional_point_kva * p->generator_eur_per_kva;
	for (size_t i = 0; rc == 0 && i < nareas; i++)
		rc = size_area(p, &areas[i], i, out, &cap);
	if (rc == 0) {
		size_generators(p, inst, ninst, out);
		rc = fund(p, out, nareas);
	}
	if (rc < 0)
		backup_plan_free(out);
	return rc;
}

void backup_plan_free(struct backup_plan *b)
{
	free(b->areas);
	free(b->batteries);
	free(b->generators);
	memset(b, 0, sizeof *b);
}
