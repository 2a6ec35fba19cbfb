/* Planner input readers (callbacks over areas, sites, memberships) and plan writers.
 * Writers require the caller's transaction; readers work inside or outside one.
 * Geometry passes through as WKB bytes; nothing here parses it. */
#include "data/store_plan.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "data/store_internal.h"

static double column_maybe(sqlite3_stmt *s, int col)
{
	return sqlite3_column_type(s, col) == SQLITE_NULL ? NAN : sqlite3_column_double(s, col);
}

static const char *column_text(sqlite3_stmt *s, int col)
{
	return (const char *)sqlite3_column_text(s, col);
}

/* Prepares sql (binding id as ?1 when > 0), calls row(user, stmt) per row until it
 * returns non-zero. */
int store_each_row(struct store *st, const char *sql, int64_t id,
		    int (*row)(void *, sqlite3_stmt *), void *user, const char *what, char *err,
		    size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL), ret = 0;
	if (rc != SQLITE_OK)
		return store_fail(st, rc, what, err, errlen);
	if (id > 0)
		sqlite3_bind_int64(s, 1, id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && ret == 0)
		ret = row(user, s);
	sqlite3_finalize(s);
	if (ret != 0)
		return ret;
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_fail(st, rc, what, err, errlen);
}

struct area_cb {
	int (*fn)(void *, const struct store_area_row *);
	void *user;
};

static int area_row(void *user, sqlite3_stmt *s)
{
	struct area_cb *cb = user;
	struct store_area_row r = {
		.level = sqlite3_column_int(s, 0), .code = column_text(s, 1),
		.name = column_text(s, 2), .gemeente_code = column_text(s, 3),
		.wijk_code = column_text(s, 4), .residents = column_maybe(s, 5),
		.residents_65plus = column_maybe(s, 6), .pct_65plus = column_maybe(s, 7),
		.households = column_maybe(s, 8), .cars_per_household = column_maybe(s, 9),
		.urbanity = column_maybe(s, 10), .wkb = sqlite3_column_blob(s, 11),
		.wkb_len = (size_t)sqlite3_column_bytes(s, 11), .address_density = column_maybe(s, 12),
	};
	return cb->fn(cb->user, &r);
}

int store_each_area(struct store *st, int (*fn)(void *user, const struct store_area_row *r),
		    void *user, char *err, size_t errlen)
{
	struct area_cb cb = {fn, user};
	return store_each_row(st, "SELECT level, code, name, gemeente_code, wijk_code, residents,"
			" residents_65plus, pct_65plus, households, cars_per_household, urbanity,"
			" geom_land, address_density FROM areas ORDER BY level, code", 0, area_row, &cb, "read areas",
			err, errlen);
}

struct site_cb {
	int (*fn)(void *, const struct store_site_row *);
	void *user;
};

static int site_row(void *user, sqlite3_stmt *s)
{
	struct site_cb *cb = user;
	struct store_site_row r = {
		.id = sqlite3_column_int64(s, 0), .name = column_text(s, 1),
		.kind = column_text(s, 2), .x_rd = sqlite3_column_double(s, 3),
		.y_rd = sqlite3_column_double(s, 4), .capacity = column_maybe(s, 5),
		.fixed = sqlite3_column_int(s, 6), .beds = column_maybe(s, 7),
		.ic_beds = column_maybe(s, 8), .clients = column_maybe(s, 9),
		.subkind = column_text(s, 10),
	};
	return cb->fn(cb->user, &r);
}

int store_each_site(struct store *st, int (*fn)(void *user, const struct store_site_row *r),
		    void *user, char *err, size_t errlen)
{
	struct site_cb cb = {fn, user};
	return store_each_row(st, "SELECT id, name, kind, x_rd, y_rd, capacity, fixed, beds,"
			" ic_beds, clients, subkind FROM sites ORDER BY id", 0, site_row, &cb, "read sites", err, errlen);
}

struct member_cb {
	int (*fn)(void *, const char *, const char *, const char *);
	void *user;
};

static int member_row(void *user, sqlite3_stmt *s)
{
	struct member_cb *cb = user;
	return cb->fn(cb->user, column_text(s, 0), column_text(s, 1), column_text(s, 2));
}

int store_each_membership(struct store *st,
			  int (*fn)(void *user, const char *gm, const char *vr, const char *name),
			  void *user, char *err, size_t errlen)
{
	struct member_cb cb = {fn, user};
	return store_each_row(st, "SELECT m.gemeente_code, m.region_code, coalesce(r.name, m.region_code)"
			" FROM memberships m LEFT JOIN safety_regions r ON r.code = m.region_code"
			" ORDER BY m.gemeente_code", 0, member_row, &cb, "read memberships", err, errlen);
}

/* ---- writing a plan ---- */

int store_plan_create(struct store *st, const char *data_version, const char *params_json,
		      int64_t *plan_id, char *err, size_t errlen)
{
	char now[32];
	sqlite3_stmt *s = NULL;
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	store_utc_now(now);
	rc = sqlite3_prepare_v2(st->db, "INSERT INTO plans(created_at, data_version, params)"
				" VALUES (?1, ?2, ?3)", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "create plan", err, errlen);
	store_bind_text(s, 1, now);
	store_bind_text(s, 2, data_version);
	store_bind_text(s, 3, params_json);
	rc = store_step_done(st, s, "create plan", err, errlen);
	sqlite3_finalize(s);
	*plan_id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

int store_plan_put_site(struct store *st, int64_t plan_id, const struct store_plan_site *p,
			char *err, size_t errlen)
{
	int rc = store_need_tx(st, err, errlen);
	sqlite3_stmt *s = rc ? NULL : store_stmt(st, SLOT_PLAN_SITE,
		"INSERT INTO plan_sites(plan_id, level, seq, x_rd, y_rd, site_id, origin,"
		" gemeente_code, fixed, power_funded, purpose, hazard)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)",
		err, errlen);
	if (!s)
		return rc ? rc : -EIO;
	sqlite3_bind_int64(s, 1, plan_id);
	sqlite3_bind_int(s, 2, p->level);
	sqlite3_bind_int(s, 3, p->seq);
	sqlite3_bind_double(s, 4, p->x_rd);
	sqlite3_bind_double(s, 5, p->y_rd);
	if (p->site_id >= 0)
		sqlite3_bind_int64(s, 6, p->site_id);
	sqlite3_bind_int(s, 7, p->origin);
	store_bind_text(s, 8, p->gemeente_code);
	sqlite3_bind_int(s, 9, p->fixed);
	sqlite3_bind_int(s, 10, p->power_funded);
	store_bind_text(s, 11, p->backup ? "backup" : "primary");
	store_bind_text(s, 12, p->hazard);
	return store_step_done(st, s, "store plan site", err, errlen);
}

int store_plan_put_area(struct store *st, int64_t plan_id, const struct store_plan_area *a,
			char *err, size_t errlen)
{
	int rc = store_need_tx(st, err, errlen);
	sqlite3_stmt *s = rc ? NULL : store_stmt(st, SLOT_PLAN_AREA,
		"INSERT INTO plan_areas(plan_id, level, code, residents, weight, covered, uncovered,"
		" vulnerable, vulnerable_uncovered, regional_covered, mean_dist_m, spread,"
		" blackout_covered, blackout_regional_covered, twice_covered)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)", err, errlen);
	if (!s)
		return rc ? rc : -EIO;
	const double v[] = {a->residents, a->weight, a->covered, a->uncovered, a->vulnerable,
			    a->vulnerable_uncovered, a->regional_covered, a->mean_dist_m};
	sqlite3_bind_int64(s, 1, plan_id);
	sqlite3_bind_int(s, 2, a->level);
	store_bind_text(s, 3, a->code);
	for (int k = 0; k < 8; k++)
		store_bind_maybe(s, 4 + k, v[k]);
	store_bind_text(s, 12, a->spread);
	store_bind_maybe(s, 13, a->blackout_covered);
	store_bind_maybe(s, 14, a->blackout_regional_covered);
	store_bind_maybe(s, 15, a->twice_covered);
	return store_step_done(st, s, "store plan area", err, errlen);
}

int store_plan_put_region(struct store *st, int64_t plan_id, const struct store_plan_region *r,
			  char *err, size_t errlen)
{
	int rc = store_need_tx(st, err, errlen);
	sqlite3_stmt *s = rc ? NULL : store_stmt(st, SLOT_PLAN_REGION,
		"INSERT INTO plan_regions(plan_id, code, residents, covered_residents, weight,"
		" covered_weight, bound, gap_pct, local_sites, regional_sites, bound_method,"
		" best_weight, exact_s, blackout_covered, twice_covered)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15)", err, errlen);
	if (!s)
		return rc ? rc : -EIO;
	const double v[] = {r->residents, r->covered_residents, r->weight, r->covered_weight,
			    r->bound, r->gap_pct};
	sqlite3_bind_int64(s, 1, plan_id);
	store_bind_text(s, 2, r->code);
	for (int k = 0; k < 6; k++)
		store_bind_maybe(s, 3 + k, v[k]);
	sqlite3_bind_int64(s, 9, r->local_sites);
	sqlite3_bind_int64(s, 10, r->regional_sites);
	store_bind_text(s, 11, r->bound_method ? r->bound_method : "lagrangian");
	store_bind_maybe(s, 12, r->best_weight);
	store_bind_maybe(s, 13, r->exact_s);
	store_bind_maybe(s, 14, r->blackout_covered);
	store_bind_maybe(s, 15, r->twice_covered);
	return store_step_done(st, s, "store plan region", err, errlen);
}

int store_plan_finish(struct store *st, int64_t plan_id, const char *timings_json,
		      const char *summary_json, int keep, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	rc = sqlite3_prepare_v2(st->db, "UPDATE plans SET timings = ?2, summary = ?3 WHERE id = ?1",
				-1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "finish plan", err, errlen);
	sqlite3_bind_int64(s, 1, plan_id);
	store_bind_text(s, 2, timings_json);
	store_bind_text(s, 3, summary_json);
	rc = store_step_done(st, s, "finish plan", err, errlen);
	sqlite3_finalize(s);
	if (rc < 0)
		return rc;
	char sql[160];
	snprintf(sql, sizeof sql, "DELETE FROM plans WHERE id NOT IN"
		 " (SELECT id FROM plans ORDER BY id DESC LIMIT %d)", keep > 0 ? keep : 1);
	return store_exec(st, sql, "prune plans", err, errlen);
}

int store_plan_latest(struct store *st, int64_t *plan_id, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "SELECT coalesce(max(id), 0) FROM plans", -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "latest plan", err, errlen);
	rc = sqlite3_step(s);
	*plan_id = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_finalize(s);
	return rc == SQLITE_ROW ? 0 : store_fail(st, rc, "latest plan", err, errlen);
}

/* A copy of a text column in *out (NULL for SQL NULL). -ENOMEM when sqlite or strdup ran
 * out of memory, so a failed copy is never mistaken for a NULL column. */
static int dup_column(sqlite3_stmt *s, int col, char **out)
{
	const char *t = column_text(s, col);
	*out = t ? strdup(t) : NULL;
	return *out || sqlite3_column_type(s, col) == SQLITE_NULL ? 0 : -ENOMEM;
}

int store_plan_header(struct store *st, int64_t id, struct store_plan_header *h, char *err,
		      size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, "SELECT created_at, data_version, params, timings,"
				    " summary FROM plans WHERE id = ?1", -1, &s, NULL);
	memset(h, 0, sizeof *h);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "read plan", err, errlen);
	sqlite3_bind_int64(s, 1, id);
	rc = sqlite3_step(s);
	int copied = 0;
	if (rc == SQLITE_ROW) {
		h->id = id;
		snprintf(h->created_at, sizeof h->created_at, "%s", column_text(s, 0));
		snprintf(h->data_version, sizeof h->data_version, "%s", column_text(s, 1));
		copied = dup_column(s, 2, &h->params_json) | dup_column(s, 3, &h->timings_json) |
			 dup_column(s, 4, &h->summary_json);
	}
	sqlite3_finalize(s);
	if (rc == SQLITE_DONE) {
		snprintf(err, errlen, "no plan %lld", (long long)id);
		return -ENOENT;
	}
	if (copied < 0) {
		store_plan_header_free(h);
		snprintf(err, errlen, "read plan: out of memory");
		return -ENOMEM;
	}
	return rc == SQLITE_ROW ? 0 : store_fail(st, rc, "read plan", err, errlen);
}

void store_plan_header_free(struct store_plan_header *h)
{
	free(h->params_json);
	free(h->timings_json);
	free(h->summary_json);
	memset(h, 0, sizeof *h);
}

struct plan_site_cb {
	int (*fn)(void *, const struct store_plan_site *);
	void *user;
};

static int plan_site_row(void *user, sqlite3_stmt *s)
{
	struct plan_site_cb *cb = user;
	struct store_plan_site r = {
		.level = sqlite3_column_int(s, 0), .seq = sqlite3_column_int(s, 1),
		.x_rd = sqlite3_column_double(s, 2), .y_rd = sqlite3_column_double(s, 3),
		.site_id = sqlite3_column_type(s, 4) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 4),
		.origin = sqlite3_column_int(s, 5), .gemeente_code = column_text(s, 6),
		.fixed = sqlite3_column_int(s, 7),
		.power_funded = sqlite3_column_type(s, 8) == SQLITE_NULL ? 1 : sqlite3_column_int(s, 8),
		.backup = column_text(s, 9) && strcmp(column_text(s, 9), "backup") == 0,
		.hazard = column_text(s, 10),
	};
	return cb->fn(cb->user, &r);
}

int store_each_plan_site(struct store *st, int64_t id,
			 int (*fn)(void *user, const struct store_plan_site *s), void *user,
			 char *err, size_t errlen)
{
	struct plan_site_cb cb = {fn, user};
	return store_each_row(st, "SELECT level, seq, x_rd, y_rd, site_id, origin, gemeente_code,"
			     " fixed, power_funded, purpose, hazard FROM plan_sites WHERE plan_id = ?1"
			     " ORDER BY level, seq", id,
			     plan_site_row, &cb, "read plan sites", err, errlen);
}

struct plan_area_cb {
	int (*fn)(void *, const struct store_plan_area *);
	void *user;
};

static int plan_area_row(void *user, sqlite3_stmt *s)
{
	struct plan_area_cb *cb = user;
	struct store_plan_area r = {
		.level = sqlite3_column_int(s, 0), .code = column_text(s, 1),
		.residents = column_maybe(s, 2), .weight = column_maybe(s, 3),
		.covered = column_maybe(s, 4), .uncovered = column_maybe(s, 5),
		.vulnerable = column_maybe(s, 6), .vulnerable_uncovered = column_maybe(s, 7),
		.regional_covered = column_maybe(s, 8), .mean_dist_m = column_maybe(s, 9),
		.spread = column_text(s, 10), .blackout_covered = column_maybe(s, 11),
		.blackout_regional_covered = column_maybe(s, 12),
		.twice_covered = column_maybe(s, 13),
	};
	return cb->fn(cb->user, &r);
}

int store_each_plan_area(struct store *st, int64_t id,
			 int (*fn)(void *user, const struct store_plan_area *a), void *user,
			 char *err, size_t errlen)
{
	struct plan_area_cb cb = {fn, user};
	return store_each_row(st, "SELECT level, code, residents, weight, covered, uncovered,"
			     " vulnerable, vulnerable_uncovered, regional_covered, mean_dist_m, spread,"
			     " blackout_covered, blackout_regional_covered, twice_covered FROM plan_areas WHERE plan_id = ?1 ORDER BY level, code", id,
			     plan_area_row, &cb, "read plan areas", err, errlen);
}

struct plan_region_cb {
	int (*fn)(void *, const struct store_plan_region *);
	void *user;
};

static int plan_region_row(void *user, sqlite3_stmt *s)
{
	struct plan_region_cb *cb = user;
	struct store_plan_region r = {
		.code = column_text(s, 0), .residents = column_maybe(s, 1),
		.covered_residents = column_maybe(s, 2), .weight = column_maybe(s, 3),
		.covered_weight = column_maybe(s, 4), .bound = column_maybe(s, 5),
		.gap_pct = column_maybe(s, 6), .local_sites = sqlite3_column_int64(s, 7),
		.regional_sites = sqlite3_column_int64(s, 8),
		.bound_method = column_text(s, 9) ? column_text(s, 9) : "lagrangian",
		.best_weight = column_maybe(s, 10), .exact_s = column_maybe(s, 11),
		.blackout_covered = column_maybe(s, 12), .twice_covered = column_maybe(s, 13),
	};
	return cb->fn(cb->user, &r);
}

int store_each_plan_region(struct store *st, int64_t id,
			   int (*fn)(void *user, const struct store_plan_region *r), void *user,
			   char *err, size_t errlen)
{
	struct plan_region_cb cb = {fn, user};
	return store_each_row(st, "SELECT code, residents, covered_residents, weight,"
			     " covered_weight, bound, gap_pct, local_sites, regional_sites,"
			     " bound_method, best_weight, exact_s, blackout_covered,"
			     " twice_covered FROM plan_regions WHERE plan_id = ?1 ORDER BY code", id,
			     plan_region_row, &cb, "read plan regions", err, errlen);
}

int store_plan_put_backup(struct store *st, int64_t plan_id, const struct store_plan_backup *b,
			  char *err, size_t errlen)
{
	int rc = store_need_tx(st, err, errlen);
	sqlite3_stmt *s = rc ? NULL : store_stmt(st, SLOT_PLAN_BACKUP,
		"INSERT INTO plan_backup(plan_id, level, code, households, wijk_batteries, wijk_kwh,"
		" wijk_kw, home_batteries, home_kwh, protected_households, cost_eur, score, funded)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)", err, errlen);
	if (!s)
		return rc ? rc : -EIO;
	sqlite3_bind_int64(s, 1, plan_id);
	sqlite3_bind_int(s, 2, b->level);
	store_bind_text(s, 3, b->code);
	store_bind_maybe(s, 4, b->households);
	sqlite3_bind_int64(s, 5, b->wijk_batteries);
	store_bind_maybe(s, 6, b->wijk_kwh);
	store_bind_maybe(s, 7, b->wijk_kw);
	sqlite3_bind_int64(s, 8, b->home_batteries);
	store_bind_maybe(s, 9, b->home_kwh);
	store_bind_maybe(s, 10, b->protected_households);
	store_bind_maybe(s, 11, b->cost_eur);
	store_bind_maybe(s, 12, b->score);
	sqlite3_bind_int(s, 13, b->funded);
	return store_step_done(st, s, "store plan backup", err, errlen);
}

int store_plan_put_battery(struct store *st, int64_t plan_id,
			   const struct store_plan_battery *b, char *err, size_t errlen)
{
	int rc = store_need_tx(st, err, errlen);
	sqlite3_stmt *s = rc ? NULL : store_stmt(st, SLOT_PLAN_BATTERY,
		"INSERT INTO plan_batteries(plan_id, seq, level, code, x_rd, y_rd, kwh, kw,"
		" households, funded) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10)", err, errlen);
	if (!s)
		return rc ? rc : -EIO;
	sqlite3_bind_int64(s, 1, plan_id);
	sqlite3_bind_int(s, 2, b->seq);
	sqlite3_bind_int(s, 3, b->level);
	store_bind_text(s, 4, b->code);
	sqlite3_bind_double(s, 5, b->x_rd);
	sqlite3_bind_double(s, 6, b->y_rd);
	store_bind_maybe(s, 7, b->kwh);
	store_bind_maybe(s, 8, b->kw);
	store_bind_maybe(s, 9, b->households);
	sqlite3_bind_int(s, 10, b->funded);
	return store_step_done(st, s, "store plan battery", err, errlen);
}

struct plan_backup_cb {
	int (*fn)(void *, const struct store_plan_backup *);
	void *user;
};

static int plan_backup_row(void *user, sqlite3_stmt *s)
{
	struct plan_backup_cb *cb = user;
	struct store_plan_backup r = {
		.level = sqlite3_column_int(s, 0), .code = column_text(s, 1),
		.households = column_maybe(s, 2), .wijk_batteries = sqlite3_column_int64(s, 3),
		.wijk_kwh = column_maybe(s, 4), .wijk_kw = column_maybe(s, 5),
		.home_batteries = sqlite3_column_int64(s, 6), .home_kwh = column_maybe(s, 7),
		.protected_households = column_maybe(s, 8), .cost_eur = column_maybe(s, 9),
		.score = column_maybe(s, 10), .funded = sqlite3_column_int(s, 11),
	};
	return cb->fn(cb->user, &r);
}

int store_each_plan_backup(struct store *st, int64_t id,
			   int (*fn)(void *user, const struct store_plan_backup *b), void *user,
			   char *err, size_t errlen)
{
	struct plan_backup_cb cb = {fn, user};
	return store_each_row(st, "SELECT level, code, households, wijk_batteries, wijk_kwh, wijk_kw,"
			" home_batteries, home_kwh, protected_households, cost_eur, score, funded"
			" FROM plan_backup WHERE plan_id = ?1 ORDER BY level, code", id,
			plan_backup_row, &cb, "read plan backup", err, errlen);
}
