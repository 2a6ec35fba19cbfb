/* Turns a computed plan into stored rows (one transaction, pruning old plans) and into
 * the summary printed after `hubplannerd plan`. Parameters (plan/params.h, the one schema)
 * and timings are stored as JSON with the plan, so the plan's settings are versioned with
 * it. */
#include "jobs/plan_store.h"

#include <errno.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_generators.h"
#include "data/store_plan.h"
#include "model/changes.h"
#include "util/fmt.h"

/* The care institutions' generators: how many, their kVA and cost, and the funded ones. */
static json_t *care_json(const struct plan_result *r)
{
	double kva = 0, people = 0, funded_kva = 0, funded_eur = 0;
	size_t funded = 0;
	for (size_t k = 0; k < r->backup.ngenerators; k++) {
		const struct backup_generator *g = &r->backup.generators[k];
		kva += g->kva;
		people += g->people;
		funded += g->funded != 0;
		funded_kva += g->funded ? g->kva : 0;
		funded_eur += g->funded ? g->cost_eur : 0;
	}
	return json_pack("{s:I, s:f, s:f, s:f, s:I, s:f, s:f}", "institutions",
			 (json_int_t)r->backup.ngenerators, "people", people, "kva", kva,
			 "cost_eur", r->backup.care_cost_eur, "funded", (json_int_t)funded,
			 "funded_kva", funded_kva, "funded_cost_eur", funded_eur);
}

/* National backup totals for the plan summary. */
static json_t *backup_json(const struct plan_result *r)
{
	double wk = 0, hk = 0, prot = 0, prot_funded = 0;
	long wb = 0, hb = 0;
	for (size_t b = 0; b < r->nbackup; b++) {
		const struct backup_result *x = &r->backup.areas[b];
		wb += x->wijk_batteries;
		hb += x->home_batteries;
		wk += x->wijk_kwh;
		hk += x->home_kwh;
		prot += x->protected_households;
		prot_funded += x->funded ? x->protected_households : 0;
	}
	return json_pack("{s:I, s:f, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:I, s:o, s:o}",
			 "wijk_batteries", (json_int_t)wb, "wijk_kwh", wk, "home_batteries",
			 (json_int_t)hb, "home_kwh", hk, "protected_households", prot,
			 "funded_households", prot_funded, "points_cost_eur",
			 r->backup.points_cost_eur, "funded_cost_eur", r->backup.funded_cost_eur,
			 "unfunded_cost_eur", r->backup.unfunded_cost_eur, "care_generators",
			 (json_int_t)r->care_sites, "care", care_json(r), "hospitals",
			 json_pack("{s:I, s:f, s:f}", "count", (json_int_t)r->hospitals, "beds",
				   r->hospital_beds, "ic_beds", r->hospital_ic_beds));
}

static json_t *level_json(const struct plan_level *lv)
{
	return json_pack("{s:i, s:i, s:f, s:f, s:f, s:f, s:f, s:f, s:i, s:f}", "sites",
			 (int)lv->sol.nopen, "candidates", (int)lv->cand.n, "weight",
			 lv->total_weight, "covered_weight", lv->covered_weight, "bound", lv->bound,
			 "gap_pct", lv->gap_pct, "seconds", lv->seconds, "bound_seconds",
			 lv->bound_seconds, "generated_sites", (int)lv->open_generated,
			 "covered_by_sites", lv->covered_by_sites);
}

static json_t *match_json(const struct plan_incumbent_match *m)
{
	return json_pack("{s:I, s:I, s:I, s:I}", "incumbents", (json_int_t)m->given, "found",
			 (json_int_t)m->found, "restored", (json_int_t)m->restored, "gone",
			 (json_int_t)m->gone);
}

/* How the plan relates to the plan of record: null for a fresh plan. */
static json_t *stable_json(const struct plan_result *r, const struct plan_params *p)
{
	if (!p->incumbents)
		return json_null();
	return json_pack("{s:I, s:b, s:f, s:o, s:o}", "base_plan",
			 (json_int_t)p->incumbents->plan_id, "round", p->round_scope != NULL,
			 "change_cost", p->change_cost, "local", match_json(&r->local.match),
			 "regional", match_json(&r->regional.match));
}

/* {"local": {"school": 3900, ...}, "regional": {...}}: open sites per kind. */
static json_t *kinds_json(const struct plan_result *r)
{
	json_t *l = json_object(), *g = json_object();
	for (size_t k = 0; l && g && k < r->nkinds; k++) {
		if (r->kinds[k].local)
			json_object_set_new(l, r->kinds[k].kind, json_integer((json_int_t)r->kinds[k].local));
		if (r->kinds[k].regional)
			json_object_set_new(g, r->kinds[k].kind,
					    json_integer((json_int_t)r->kinds[k].regional));
	}
	return json_pack("{s:o?, s:o?}", "local", l, "regional", g);
}

/* Coverage in a blackout: the points whose power is funded, and whom they reach. */
static json_t *blackout_json(const struct plan_result *r)
{
	return json_pack("{s:I, s:I, s:f, s:f}", "local_funded", (json_int_t)r->local.nfunded,
			 "regional_funded", (json_int_t)r->regional.nfunded, "covered_residents",
			 r->blackout_covered_residents, "regional_covered_residents",
			 r->blackout_regional_covered_residents);
}

/* Backup coverage: the backup sites added, the residents two or more local sites reach and
 * their share, and the placement's weight covered twice against its bound. */
static json_t *twice_json(const struct plan_result *r, double residents)
{
	const struct cover_backup_result *t = &r->local.twice;
	return json_pack("{s:I, s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:i, s:b, s:f}", "backup_sites",
			 (json_int_t)t->added, "incumbents_kept", (json_int_t)t->kept,
			 "covered_residents", r->twice_covered_residents,
			 "share_pct", residents > 0 ? 100 * r->twice_covered_residents / residents : 0.0,
			 "base_weight", t->base_weight, "weight", t->weight, "bound",
			 t->added ? t->bound : t->weight, "gap_pct", t->gap_pct, "swaps", t->swaps,
			 "timed_out", t->timed_out, "seconds", t->seconds);
}

/* Adds flagged layer h to o: its own member, or "use": "exclude,flag" on an excluded one. */
static int flag_json(json_t *o, const struct plan_hazard_count *h)
{
	json_t *v = json_object_get(o, h->name);
	int both = v != NULL;
	if (!v && (!(v = json_object()) || json_object_set_new(o, h->name, v) < 0))
		return -1;
	return json_object_set_new(v, "use", json_string(both ? "exclude,flag" : "flag")) |
	       json_object_set_new(v, "local_flagged", json_integer(h->local_flagged)) |
	       json_object_set_new(v, "regional_flagged", json_integer(h->regional_flagged));
}

/* Per excluded hazard layer, the candidates it removed and the fixed ones it kept; per
 * flagged one, the chosen sites inside. NULL when the plan names none (the summary then
 * has no "hazards"). */
static json_t *hazards_json(const struct plan_result *r)
{
	json_t *o = json_object();
	for (size_t k = 0; o && k < r->nhazards; k++) {
		const struct plan_hazard_count *h = &r->hazards[k];
		json_t *v = json_pack("{s:s, s:I, s:I, s:I, s:I}", "use", "exclude",
				      "local_excluded", (json_int_t)h->local_excluded,
				      "regional_excluded", (json_int_t)h->regional_excluded,
				      "fixed_kept", (json_int_t)h->fixed_kept, "incumbents_excluded",
				      (json_int_t)h->incumbents_excluded);
		if (!v || json_object_set_new(o, h->name, v) < 0) {
			json_decref(o);
			return NULL;
		}
	}
	for (size_t k = 0; o && k < r->nflags; k++)
		if (flag_json(o, &r->flags[k]) < 0) {
			json_decref(o);
			return NULL;
		}
	return o;
}

static json_t *summary_json(const struct plan_result *r, const struct plan_params *p)
{
	double residents = 0;
	for (size_t i = 0; i < r->demand.n; i++)
		residents += r->demand.residents[i];
	json_t *s = json_pack("{s:o, s:o, s:o, s:i, s:f, s:f, s:o, s:o, s:o, s:o}", "twice",
			 twice_json(r, residents), "local",
			 level_json(&r->local), "regional", level_json(&r->regional),
			 "demand_points", (int)r->demand.n, "residents", residents,
			 "served_residents", r->local.sol.served_residents, "backup", backup_json(r),
			 "blackout", blackout_json(r), "stable", stable_json(r, p), "kinds",
			 kinds_json(r));
	if (s && (r->nhazards || r->nflags) &&
	    json_object_set_new(s, "hazards", hazards_json(r)) < 0) {
		json_decref(s);
		return NULL;
	}
	return s;
}

static int put_sites(struct store *st, int64_t id, const struct plan_result *r,
		     const struct plan_level *lv, int level, const struct plan_area *areas,
		     char *err, size_t errlen)
{
	for (size_t k = 0; k < lv->sol.nopen; k++) {
		uint32_t j = lv->sol.open[k];
		int32_t gm = lv->cand.gemeente[j];
		struct store_plan_site s = {
			.level = level, .seq = (int)k + 1, .x_rd = lv->cand.xy[2 * j],
			.y_rd = lv->cand.xy[2 * j + 1], .site_id = lv->cand.site_id[j],
			.origin = lv->cand.origin[j], .fixed = lv->cand.fixed[j],
			.gemeente_code = gm >= 0 ? areas[gm].code : NULL,
			.power_funded = lv->funded ? lv->funded[k] : 1, .backup = k >= lv->nprimary,
			.hazard = lv->hazard && lv->hazard[k] >= 0 ? r->flags[lv->hazard[k]].name
								    : NULL,
		};
		int rc = store_plan_put_site(st, id, &s, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int put_areas(struct store *st, int64_t id, const struct plan_result *r,
		     const struct plan_area *areas, size_t nareas, char *err, size_t errlen)
{
	for (size_t a = 0; a < nareas; a++) {
		const struct plan_area_result *x = &r->areas[a];
		if (x->residents <= 0)
			continue;
		struct store_plan_area row = {
			.level = areas[a].level, .code = areas[a].code, .residents = x->residents,
			.weight = x->weight, .covered = x->covered_residents,
			.uncovered = x->uncovered_residents, .vulnerable = x->vulnerable,
			.vulnerable_uncovered = x->vulnerable_uncovered,
			.regional_covered = x->regional_covered_residents, .mean_dist_m = x->mean_dist_m,
			.spread = areas[a].spread, .blackout_covered = x->blackout_covered_residents,
			.blackout_regional_covered = x->blackout_regional_covered_residents,
			.twice_covered = x->twice_covered_residents,
		};
		int rc = store_plan_put_area(st, id, &row, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int put_regions(struct store *st, int64_t id, const struct plan_result *r,
		       const char (*regions)[PLAN_CODE_LEN], char *err, size_t errlen)
{
	for (size_t k = 0; k < r->nregions; k++) {
		const struct plan_region_result *x = &r->regions[k];
		struct store_plan_region row = {
			.code = regions[k], .residents = x->residents,
			.covered_residents = x->covered_residents, .weight = x->weight,
			.covered_weight = x->covered_weight, .bound = x->bound, .gap_pct = x->gap_pct,
			.local_sites = (long)x->local_sites, .regional_sites = (long)x->regional_sites,
			.bound_method = plan_bound_method_name(x->bound_method),
			.best_weight = x->best_weight, .exact_s = x->exact_s,
			.blackout_covered = x->blackout_covered_residents,
			.twice_covered = x->twice_covered_residents,
		};
		int rc = store_plan_put_region(st, id, &row, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int put_backup(struct store *st, int64_t id, const struct plan_result *r,
		      const struct plan_area *areas, char *err, size_t errlen)
{
	for (size_t b = 0; b < r->nbackup; b++) {
		const struct backup_result *x = &r->backup.areas[b];
		const struct plan_area *a = &areas[r->backup_area[b]];
		struct store_plan_backup row = {
			a->level, a->code, x->households, x->wijk_kwh, x->wijk_kw, x->home_kwh,
			x->protected_households, x->cost_eur, x->score, x->wijk_batteries,
			x->home_batteries, x->funded,
		};
		int rc = store_plan_put_backup(st, id, &row, err, errlen);
		for (size_t k = 0; rc == 0 && k < x->nbatteries; k++) {
			const struct backup_battery *bt = &r->backup.batteries[x->first_battery + k];
			struct store_plan_battery br = {(int)(x->first_battery + k) + 1, a->level, a->code,
							bt->x, bt->y, bt->kwh, bt->kw, bt->households,
							x->funded};
			rc = store_plan_put_battery(st, id, &br, err, errlen);
		}
		if (rc < 0)
			return rc;
	}
	for (size_t k = 0; k < r->backup.ngenerators; k++) {
		const struct backup_generator *g = &r->backup.generators[k];
		struct store_plan_generator row = {
			.seq = (int)k + 1, .site_id = r->generator_site[k],
			.people = g->people > 0 ? g->people : NAN, .kva = g->kva,
			.cost_eur = g->cost_eur, .score = g->score, .funded = g->funded,
		};
		int rc = store_plan_put_generator(st, id, &row, err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static char *dump(json_t *j)
{
	char *s = j ? json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS | JSON_REAL_PRECISION(12)) : NULL;
	json_decref(j);
	return s;
}

/* Inside the plan's transaction: compares it with the plan stored before it (still there
 * before the pruning), puts the counts in its summary and the line in info->changes. */
static int put_changes(struct store *st, int64_t id, json_t *summary, struct plan_run_info *info,
		       char *err, size_t errlen)
{
	struct plan_changes *c = NULL;
	int rc = changes_load(st, -1, id, &c, err, errlen);
	if (rc < 0)
		return rc;
	changes_summary_line(c, info->changes, sizeof info->changes);
	rc = json_object_set_new(summary, "changes", changes_counts_json(c)) == 0 ? 0 : -ENOMEM;
	changes_free(c);
	if (rc < 0)
		snprintf(err, errlen, "out of memory");
	return rc;
}

int plan_store(struct store *st, const struct config *cfg, const struct plan_params *p,
	       const char *scope, const struct plan_result *r, const struct plan_area *areas, size_t nareas,
	       const char (*regions)[PLAN_CODE_LEN], struct plan_run_info *info, char *err,
	       size_t errlen)
{
	char version[17], timings[256];
	json_t *pj = NULL, *sj = summary_json(r, p);
	char *params = plan_params_to_json(p, scope, &pj) == 0 ? dump(pj) : NULL;
	char *summary = NULL;
	int64_t *plan_id = &info->plan_id;
	int rc = -ENOMEM;
	snprintf(timings, sizeof timings, "{\"demand_s\":%.3f,\"candidates_s\":%.3f,"
		 "\"local_s\":%.3f,\"local_bound_s\":%.3f,\"regional_s\":%.3f,"
		 "\"results_s\":%.3f,\"backup_s\":%.3f}",
		 r->seconds_demand, r->seconds_candidates, r->local.seconds,
		 r->local.bound_seconds, r->regional.seconds, r->seconds_results,
		 r->seconds_backup);
	if (!params || !sj) {
		snprintf(err, errlen, "out of memory");
		goto done;
	}
	if ((rc = store_begin(st, err, errlen)) < 0)
		goto done;
	rc = store_data_version(st, version, err, errlen);
	if (rc == 0)
		rc = store_plan_create(st, version, params, plan_id, err, errlen);
	if (rc == 0)
		rc = put_sites(st, *plan_id, r, &r->local, 1, areas, err, errlen);
	if (rc == 0)
		rc = put_sites(st, *plan_id, r, &r->regional, 2, areas, err, errlen);
	if (rc == 0)
		rc = put_areas(st, *plan_id, r, areas, nareas, err, errlen);
	if (rc == 0)
		rc = put_regions(st, *plan_id, r, regions, err, errlen);
	if (rc == 0)
		rc = put_backup(st, *plan_id, r, areas, err, errlen);
	if (rc == 0)
		rc = put_changes(st, *plan_id, sj, info, err, errlen);
	if (rc == 0 && !(summary = dump(json_incref(sj)))) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	if (rc == 0)
		rc = store_plan_finish(st, *plan_id, timings, summary, cfg->keep_plans, err, errlen);
	if (rc == 0)
		rc = store_commit(st, err, errlen);
	else
		store_rollback(st);
done:
	json_decref(sj);
	free(params);
	free(summary);
	return rc;
}

static void print_care(FILE *out, const struct plan_result *r, const json_t *b)
{
	const json_t *c = json_object_get(b, "care");
	char a[32], p[32], k[32], ic[32];
	fprintf(out, "care generators: %lld institutions (%s beds or clients), %s kVA, EUR %.1f M; "
		"%lld funded (EUR %.1f M); hospitals: %zu (%s beds, %s ventilated IC beds) have "
		"emergency power of their own\n",
		(long long)json_integer_value(json_object_get(c, "institutions")),
		fmt_thousands(p, sizeof p, json_real_value(json_object_get(c, "people")), 0),
		fmt_thousands(k, sizeof k, json_real_value(json_object_get(c, "kva")), 0),
		json_real_value(json_object_get(c, "cost_eur")) / 1e6,
		(long long)json_integer_value(json_object_get(c, "funded")),
		json_real_value(json_object_get(c, "funded_cost_eur")) / 1e6, r->hospitals,
		fmt_thousands(a, sizeof a, r->hospital_beds, 0),
		fmt_thousands(ic, sizeof ic, r->hospital_ic_beds, 0));
}

static void print_backup(FILE *out, const struct plan_result *r)
{
	json_t *b = backup_json(r);
	fprintf(out, "backup power: %lld wijkbatterijen (%.0f MWh), %lld home batteries (%.0f MWh),"
		" %d care generators; %.0f households protected, %.0f of them funded; cost EUR %.1f M"
		" funded + %.1f M unfunded (areas and care), support points EUR %.1f M (%.2f s)\n",
		(long long)json_integer_value(json_object_get(b, "wijk_batteries")),
		json_real_value(json_object_get(b, "wijk_kwh")) / 1000,
		(long long)json_integer_value(json_object_get(b, "home_batteries")),
		json_real_value(json_object_get(b, "home_kwh")) / 1000, (int)r->care_sites,
		json_real_value(json_object_get(b, "protected_households")),
		json_real_value(json_object_get(b, "funded_households")),
		r->backup.funded_cost_eur / 1e6, r->backup.unfunded_cost_eur / 1e6,
		r->backup.points_cost_eur / 1e6, r->seconds_backup);
	print_care(out, r, b);
	json_decref(b);
}

static void print_blackout(FILE *out, const struct plan_result *r, double residents)
{
	double share = residents > 0 ? 100.0 / residents : 0;
	fprintf(out, "blackout: power funded for %zu of %zu local and %zu of %zu regional points;"
		" residents covered in a blackout %.2f%% local (%.2f%% on a normal day), %.2f%%"
		" regional\n", r->local.nfunded, r->local.sol.nopen, r->regional.nfunded,
		r->regional.sol.nopen, share * r->blackout_covered_residents,
		share * r->covered_residents,
		share * r->blackout_regional_covered_residents);
}

static void print_twice(FILE *out, const struct plan_result *r, double residents)
{
	const struct cover_backup_result *t = &r->local.twice;
	fprintf(out, "backup coverage: residents within reach of two or more local points %.2f%%",
		residents > 0 ? 100.0 * r->twice_covered_residents / residents : 0);
	if (t->added || r->local.sol.nopen > r->local.nprimary)
		fprintf(out, "; %zu backup sites raise the weight covered twice from %.0f to %.0f,"
			" bound %.0f (gap %.3f%%, %.2f s)%s", t->added, t->base_weight, t->weight,
			t->bound, t->gap_pct, t->seconds,
			t->timed_out ? ", search cut by search_time_s" : "");
	fprintf(out, "\n");
}

static void print_level(FILE *out, const char *name, const struct plan_level *lv, int regional)
{
	double pct = lv->total_weight > 0 ? 100.0 * lv->covered_weight / lv->total_weight : 0;
	double bpct = lv->total_weight > 0 ? 100.0 * lv->bound / lv->total_weight : 0;
	fprintf(out, "%-9s %6zu sites of %6zu candidates  covered %6.2f%% of weighted demand,"
		" bound %6.2f%%, gap %.3f%%  (%.2f s, bound %.2f s)\n", name, lv->sol.nopen,
		lv->cand.n, pct, bpct, lv->gap_pct, lv->seconds, lv->bound_seconds);
	if (lv->cand.n == 0)
		fprintf(out, "          no candidates: no site of the level's kinds%s\n", regional
			? " (regional_kinds) and no generated positions" : "");
	if (lv->open_generated)
		fprintf(out, "          %zu of them at generated positions (%s), the imported sites "
			"alone cover %.2f%%\n", lv->open_generated, regional
			? "no site of regional_kinds reaches there" : "not at an imported site",
			lv->total_weight > 0 ? 100.0 * lv->covered_by_sites / lv->total_weight : 0);
}

static void print_match(FILE *out, const char *name, const struct plan_incumbent_match *m)
{
	fprintf(out, "%s %zu incumbents, %zu found", name, m->given, m->found);
	if (m->restored)
		fprintf(out, ", %zu generated positions added back", m->restored);
	if (m->gone)
		fprintf(out, ", %zu imported sites gone or rejected", m->gone);
}

/* "local by kind: school 3,900 (90.9%), town_hall 12 (0.3%), generated 380 (8.8%)". */
static void print_kinds(FILE *out, const struct plan_result *r, int regional)
{
	size_t total = regional ? r->regional.sol.nopen : r->local.sol.nopen;
	const char *sep = "";
	fprintf(out, "%-9s by kind:", regional ? "regional" : "local");
	for (size_t k = 0; k < r->nkinds; k++) {
		size_t n = regional ? r->kinds[k].regional : r->kinds[k].local;
		char a[32];
		if (!n)
			continue;
		fprintf(out, "%s %s %s (%.1f%%)", sep, r->kinds[k].kind,
			fmt_thousands(a, sizeof a, (double)n, 0), 100.0 * (double)n / (double)total);
		sep = ",";
	}
	fprintf(out, "\n");
}

/* Which plan this one started from, and what the bound says about a fresh plan. */
static void print_stable(FILE *out, const struct plan_result *r, const struct plan_run_info *info,
			 const struct config *cfg)
{
	char c[32];
	if (!info->base_plan_id) {
		fprintf(out, "from scratch (no plan of record, or plan --fresh)\n");
		return;
	}
	fprintf(out, "%s of plan #%lld (change_cost %s):",
		info->round ? "scope round within national plan" : "stable recompute",
		(long long)info->base_plan_id, fmt_thousands(c, sizeof c, cfg->change_cost, 0));
	print_match(out, " local", &r->local.match);
	print_match(out, "; regional", &r->regional.match);
	fprintf(out, "\n  (a bound holds for every plan with as many sites, a fresh one too;"
		" plan --fresh plans from scratch)\n");
}

/* One line per excluded hazard layer (what it removed, what it kept) and per flagged one. */
static void print_hazards(FILE *out, const struct plan_result *r)
{
	for (size_t k = 0; k < r->nhazards; k++) {
		const struct plan_hazard_count *h = &r->hazards[k];
		fprintf(out, "hazard %s excluded: %ld local and %ld regional candidates", h->name,
			h->local_excluded, h->regional_excluded);
		if (h->fixed_kept)
			fprintf(out, "; kept %ld fixed or designated site(s) inside", h->fixed_kept);
		if (h->incumbents_excluded)
			fprintf(out, "; dropped %ld site(s) of the plan started from",
				h->incumbents_excluded);
		fputc('\n', out);
	}
	for (size_t k = 0; k < r->nflags; k++)
		fprintf(out, "hazard %s flagged: %ld local and %ld regional sites inside (kept)\n",
			r->flags[k].name, r->flags[k].local_flagged, r->flags[k].regional_flagged);
}

void plan_print(FILE *out, const struct plan_result *r, const struct plan_run_info *info,
		const char (*regions)[PLAN_CODE_LEN], const struct config *cfg)
{
	fprintf(out, "plan #%lld (%s mode): %zu demand points, %.0f residents\n",
		(long long)info->plan_id, cfg->local_mode, r->demand.n, info->residents_total);
	print_level(out, "local", &r->local, 0);
	print_level(out, "regional", &r->regional, 1);
	print_kinds(out, r, 0);
	print_kinds(out, r, 1);
	print_hazards(out, r);
	print_stable(out, r, info, cfg);
	fprintf(out, "served within capacity (%d per site): %.0f residents\n",
		cfg->max_residents_per_site, r->local.sol.served_residents);
	print_backup(out, r);
	print_blackout(out, r, info->residents_total);
	print_twice(out, r, info->residents_total);
	fprintf(out, "region  residents   covered%%  blackout%%  twice%%  local  regional  gap%%"
		"   bound\n");
	for (size_t k = 0; k < r->nregions; k++) {
		const struct plan_region_result *x = &r->regions[k];
		double share = x->residents > 0 ? 100.0 / x->residents : 0;
		fprintf(out, "%-6s %10.0f   %7.2f    %7.2f  %6.2f   %5zu  %8zu  %.3f  %s",
			regions[k], x->residents, share * x->covered_residents,
			share * x->blackout_covered_residents, share * x->twice_covered_residents,
			x->local_sites, x->regional_sites, x->gap_pct,
			plan_bound_method_name(x->bound_method));
		if (x->bound_method == PLAN_BOUND_COVER)
			fprintf(out, " (set cover): as many sites can cover %.3f%%, all that"
				" any site reaches", 100.0 * x->best_weight / x->weight);
		else if (x->bound_method == PLAN_BOUND_OPTIMUM)
			fprintf(out, " (CBC %.1f s): as many sites cover at most %.3f%%", x->exact_s,
				100.0 * x->best_weight / x->weight);
		else if (x->bound_method == PLAN_BOUND_MIP)
			fprintf(out, " (CBC stopped at %.1f s): as many sites cover %.3f%% to %.3f%%",
				x->exact_s, 100.0 * x->best_weight / x->weight,
				100.0 * x->bound / x->weight);
		fprintf(out, "\n");
	}
	if (info->changes[0])
		fprintf(out, "%s\n", info->changes);
	fprintf(out, "time: load %.2f s, demand %.2f s, candidates %.2f s, local %.2f s, regional"
		" %.2f s, results %.2f s, backup %.2f s, store %.2f s, total %.2f s (the local"
		" bound, %.2f s, ran alongside)\n",
		info->seconds_load, r->seconds_demand, r->seconds_candidates, r->local.seconds,
		r->regional.seconds, r->seconds_results, r->seconds_backup, info->seconds_store,
		info->seconds_total, r->local.bound_seconds);
}
