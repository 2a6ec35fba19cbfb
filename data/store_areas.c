/* Writing areas, water parts, safety regions, memberships and sites into the store.
 * Callers hold a transaction (store_begin); nothing here commits. WKB is stored as given:
 * this file never looks inside geometry. */
#include "data/store_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int exec_bound(struct store *st, const char *sql, const char *arg, int level,
		      const char *what, char *err, size_t errlen)
{
	sqlite3_stmt *s = NULL;
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, what, err, errlen);
	if (arg)
		sqlite3_bind_text(s, 1, arg, -1, SQLITE_STATIC);
	else if (level)
		sqlite3_bind_int(s, 1, level);
	rc = store_step_done(st, s, what, err, errlen);
	sqlite3_finalize(s);
	return rc;
}

int store_clear_level(struct store *st, enum area_level level, char *err, size_t errlen)
{
	int rc = exec_bound(st, "DELETE FROM areas WHERE level = ?1", NULL, (int)level,
			    "clear areas", err, errlen);
	if (rc == 0)
		rc = exec_bound(st, "DELETE FROM area_water WHERE level = ?1", NULL, (int)level,
				"clear water parts", err, errlen);
	return rc;
}

int store_put_area(struct store *st, const struct store_area *a, char *err, size_t errlen)
{
	static const char sql[] =
		"INSERT INTO areas(level, code, name, gemeente_code, wijk_code, residents,"
		" residents_65plus, pct_65plus, households, urbanity, address_density,"
		" cars_per_household, land_ha, water_ha, geom_land, minx, miny, maxx, maxy)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19)";
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SLOT_PUT_AREA, sql, err, errlen);
	if (!s)
		return -EIO;
	sqlite3_bind_int(s, 1, (int)a->level);
	store_bind_text(s, 2, a->code);
	store_bind_text(s, 3, a->name);
	store_bind_text(s, 4, a->gemeente_code);
	store_bind_text(s, 5, a->wijk_code);
	const double figures[] = {a->residents, a->residents_65plus, a->pct_65plus,
				  a->households, a->urbanity, a->address_density,
				  a->cars_per_household, a->land_ha, a->water_ha};
	for (int i = 0; i < 9; i++)
		store_bind_maybe(s, 6 + i, figures[i]);
	sqlite3_bind_blob(s, 15, a->geom_land, (int)a->geom_land_len, SQLITE_STATIC);
	const double box[] = {a->minx, a->miny, a->maxx, a->maxy};
	for (int i = 0; i < 4; i++)
		store_bind_maybe(s, 16 + i, box[i]);
	rc = store_step_done(st, s, "insert area", err, errlen);
	if (rc == -EEXIST)
		snprintf(err, errlen, "duplicate code %s", a->code);
	return rc;
}

int store_put_water(struct store *st, enum area_level level, const char *code,
		    const uint8_t *wkb, size_t len, char *err, size_t errlen)
{
	static const char sql[] =
		"INSERT INTO area_water(level, code, part, geom) VALUES (?1, ?2,"
		" (SELECT count(*) FROM area_water WHERE level = ?1 AND code = ?2), ?3)";
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SLOT_PUT_WATER, sql, err, errlen);
	if (!s)
		return -EIO;
	sqlite3_bind_int(s, 1, (int)level);
	store_bind_text(s, 2, code);
	sqlite3_bind_blob(s, 3, wkb, (int)len, SQLITE_STATIC);
	return store_step_done(st, s, "insert water part", err, errlen);
}

int store_clear_regions(struct store *st, char *err, size_t errlen)
{
	return exec_bound(st, "DELETE FROM safety_regions", NULL, 0, "clear regions", err, errlen);
}

int store_put_region(struct store *st, const char *code, const char *name,
		     const uint8_t *wkb, size_t len, char *err, size_t errlen)
{
	static const char sql[] =
		"INSERT INTO safety_regions(code, name, geom) VALUES (?1, ?2, ?3)";
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SLOT_PUT_REGION, sql, err, errlen);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, name);
	if (wkb)
		sqlite3_bind_blob(s, 3, wkb, (int)len, SQLITE_STATIC);
	rc = store_step_done(st, s, "insert safety region", err, errlen);
	if (rc == -EEXIST)
		snprintf(err, errlen, "duplicate code %s", code);
	return rc;
}

int store_clear_memberships(struct store *st, char *err, size_t errlen)
{
	return exec_bound(st, "DELETE FROM memberships", NULL, 0, "clear memberships", err, errlen);
}

int store_put_membership(struct store *st, const char *gemeente_code, const char *gemeente_name,
			 const char *region_code, char *err, size_t errlen)
{
	static const char sql[] =
		"INSERT INTO memberships(gemeente_code, gemeente_name, region_code)"
		" VALUES (?1, ?2, ?3)";
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SLOT_PUT_MEMBERSHIP, sql, err, errlen);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, gemeente_code);
	store_bind_text(s, 2, gemeente_name);
	store_bind_text(s, 3, region_code);
	rc = store_step_done(st, s, "insert membership", err, errlen);
	if (rc == -EEXIST)
		snprintf(err, errlen, "%s is listed twice", gemeente_code);
	return rc;
}

int store_clear_sites(struct store *st, const char *source, char *err, size_t errlen)
{
	return exec_bound(st, "DELETE FROM sites WHERE source = ?1", source, 0, "clear sites",
			  err, errlen);
}

int store_put_site(struct store *st, const struct store_site *site, char *err, size_t errlen)
{
	static const char sql[] =
		"INSERT INTO sites(source, source_id, name, kind, subkind, x_rd, y_rd,"
		" capacity, fixed, beds, ic_beds, clients)"
		" VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12)";
	int rc = store_need_tx(st, err, errlen);
	if (rc < 0)
		return rc;
	sqlite3_stmt *s = store_stmt(st, SLOT_PUT_SITE, sql, err, errlen);
	if (!s)
		return -EIO;
	store_bind_text(s, 1, site->source);
	store_bind_text(s, 2, site->source_id);
	store_bind_text(s, 3, site->name);
	store_bind_text(s, 4, site->kind);
	store_bind_text(s, 5, site->subkind);
	sqlite3_bind_double(s, 6, site->x_rd);
	sqlite3_bind_double(s, 7, site->y_rd);
	store_bind_maybe(s, 8, site->capacity);
	sqlite3_bind_int(s, 9, site->fixed ? 1 : 0);
	store_bind_maybe(s, 10, site->beds);
	store_bind_maybe(s, 11, site->ic_beds);
	store_bind_maybe(s, 12, site->clients);
	rc = store_step_done(st, s, "insert site", err, errlen);
	if (rc == -EEXIST)
		snprintf(err, errlen, "duplicate site id %s in %s", site->source_id, site->source);
	return rc;
}

static int list_codes(struct store *st, const char *sql, const char *fmt, char *err,
		      size_t errlen, long *count)
{
	sqlite3_stmt *s = NULL;
	int rc = sqlite3_prepare_v2(st->db, sql, -1, &s, NULL);
	if (rc != SQLITE_OK)
		return store_fail(st, rc, "check memberships", err, errlen);
	size_t used = strlen(err);
	*count = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (++*count <= 5 && used < errlen) {
			const char *code = (const char *)sqlite3_column_text(s, 0);
			const char *name = (const char *)sqlite3_column_text(s, 1);
			int n = snprintf(err + used, errlen - used, fmt, used ? "; " : "",
					 code ? code : "?", name ? name : "?");
			used += n > 0 ? (size_t)n : 0;
		}
	}
	sqlite3_finalize(s);
	if (*count > 5 && used < errlen)
		snprintf(err + used, errlen - used, "; and %ld more", *count - 5);
	return rc == SQLITE_DONE ? 0 : store_fail(st, rc, "check memberships", err, errlen);
}

int store_check_memberships(struct store *st, char *err, size_t errlen)
{
	static const char no_region[] =
		"SELECT a.code, a.name FROM areas a WHERE a.level = 1 AND EXISTS"
		" (SELECT 1 FROM memberships) AND NOT EXISTS (SELECT 1 FROM memberships m"
		"  WHERE m.gemeente_code = a.code) ORDER BY a.code";
	static const char bad_region[] =
		"SELECT m.gemeente_code, m.region_code FROM memberships m WHERE EXISTS"
		" (SELECT 1 FROM safety_regions) AND NOT EXISTS (SELECT 1 FROM safety_regions r"
		"  WHERE r.code = m.region_code) ORDER BY m.gemeente_code";
	long missing = 0, unknown = 0;
	err[0] = '\0';
	int rc = list_codes(st, no_region, "%s%s (%s) has no safety region", err, errlen, &missing);
	if (rc == 0)
		rc = list_codes(st, bad_region, "%s%s belongs to unknown safety region %s", err,
				errlen, &unknown);
	if (rc < 0)
		return rc;
	return missing || unknown ? -EINVAL : 0;
}
