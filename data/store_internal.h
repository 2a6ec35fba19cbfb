/* Internals shared by the store's source files (store.c, store_areas.c, store_summary.c):
 * the struct itself and the cached prepared statements. Not for use outside data/. */
#ifndef HUB_STORE_INTERNAL_H
#define HUB_STORE_INTERNAL_H

#include <sqlite3.h>

#include "data/store.h"

enum store_slot {
	SLOT_PUT_AREA,
	SLOT_PUT_WATER,
	SLOT_PUT_REGION,
	SLOT_PUT_MEMBERSHIP,
	SLOT_PUT_SITE,
	SLOT_PLAN_SITE,
	SLOT_PLAN_AREA,
	SLOT_PLAN_REGION,
	SLOT_PLAN_BACKUP,
	SLOT_PLAN_BATTERY,
	SLOT_PUT_REF,
	SLOT_COUNT
};

struct store {
	sqlite3 *db;
	char *path;
	int in_tx;
	sqlite3_stmt *stmt[SLOT_COUNT];
};

/* Returns the cached statement for slot, preparing sql on first use, reset and unbound.
 * NULL on failure with err filled. Owned by st. */
sqlite3_stmt *store_stmt(struct store *st, enum store_slot slot, const char *sql,
			 char *err, size_t errlen);

/* Runs SQL without results. Returns 0 or a negative errno with "what: sqlite message". */
int store_exec(struct store *st, const char *sql, const char *what, char *err, size_t errlen);

/* Maps a sqlite result code to a negative errno and writes "what: message" into err. */
int store_fail(struct store *st, int rc, const char *what, char *err, size_t errlen);

/* Steps a write statement to completion and resets it. 0 or negative errno with err. */
int store_step_done(struct store *st, sqlite3_stmt *s, const char *what, char *err,
		    size_t errlen);

/* 0 inside a transaction, else -EPERM "write outside a transaction". */
int store_need_tx(struct store *st, char *err, size_t errlen);

/* Runs a query (binding id to ?1 when id > 0) and calls row(user, s) for each row until
 * it returns non-zero, which is returned. 0 or negative errno with "what: message". */
int store_each_row(struct store *st, const char *sql, int64_t id,
		   int (*row)(void *, sqlite3_stmt *), void *user, const char *what, char *err,
		   size_t errlen);

/* Binds a double, or NULL when it is NaN. */
int store_bind_maybe(sqlite3_stmt *s, int idx, double v);

/* Binds text, or NULL when it is NULL. */
int store_bind_text(sqlite3_stmt *s, int idx, const char *v);

#endif
