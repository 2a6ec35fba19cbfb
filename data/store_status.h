/* Site statuses that last: designated (a municipality confirmed the site: always kept) and
 * rejected (never proposed again), keyed on the site's import key (source, source_id), which
 * survives re-imports where sites.id does not. Resolving a reference to a site, setting a
 * batch all or nothing, releasing, listing. "proposed" is not stored: it is "in the newest
 * plan without a status". Knows nothing of files, RPC or planning. */
#ifndef HUB_STORE_STATUS_H
#define HUB_STORE_STATUS_H

#include <stddef.h>
#include <stdint.h>

#include "data/store.h"

/* A position reference resolves to the nearest site within this distance. */
#define STORE_STATUS_TOLERANCE_M 25.0

enum store_status {
	STORE_STATUS_NONE = 0,        /* no status: proposed when in the plan */
	STORE_STATUS_DESIGNATED = 1,
	STORE_STATUS_REJECTED = 2,
	STORE_STATUS_RELEASED = 3,    /* only as a change: removes the status */
};

/* "designated", "rejected", "released", "none". */
const char *store_status_name(enum store_status s);
/* The status named by name (case-sensitive, as above, "none" excluded), or -1. */
int store_status_parse(const char *name);

/* How a caller names a site. */
enum store_site_ref_kind {
	STORE_REF_ID = 1,             /* id: sites.id of the current import */
	STORE_REF_KEY,                /* source and source_id */
	STORE_REF_POSITION,           /* x_rd, y_rd: the nearest site within the tolerance */
};

struct store_site_ref {
	enum store_site_ref_kind kind;
	int64_t id;
	const char *source, *source_id;   /* not owned */
	double x_rd, y_rd;
};

/* A site as it is now in the store. Strings are owned by the struct's buffer. */
struct store_status_site {
	int64_t id;
	char source[256], source_id[128], name[256];
	double x_rd, y_rd;
	double distance_m;            /* from the reference position; 0 for id and key */
};

/* Parses "123" (a site id) or "source:source_id" (the source may itself hold ':'; the last
 * ':' splits) into ref, borrowing text's storage for the key: text must outlive ref. For a
 * key, *buf (caller-provided, at least strlen(text)+1 bytes) holds the copy. 0 or -EINVAL. */
int store_site_ref_parse(const char *text, char *buf, size_t buflen,
			 struct store_site_ref *ref);

/* Finds the site ref names: -ENOENT with err "no site with id 12" / "no site
 * osm:node/7" / "no site within 25 m of x=155000.0 y=463000.0 (nearest: 41 m)". Two sites
 * equally near: the lower id. */
int store_status_resolve(struct store *st, const struct store_site_ref *ref,
			 struct store_status_site *out, char *err, size_t errlen);

/* One change of a batch: a resolved site and what happens to its status. */
struct store_status_change {
	const struct store_status_site *site;   /* not owned */
	enum store_status status;     /* DESIGNATED, REJECTED or RELEASED */
	const char *note;             /* may be NULL; not owned */
};

/* Applies every change in one transaction (the store must not be inside one): all or
 * nothing. set_by ("uid 1000", "file:statuses.csv") and the time now are recorded with the
 * site's name and position. A later change of the same site in the batch wins.
 * 0 or negative errno with err (-EBUSY: another writer held the lock past the timeout). */
int store_status_apply(struct store *st, const struct store_status_change *c, size_t n,
		       const char *set_by, char *err, size_t errlen);

/* A stored status, with the site it names as it is now (site_id -1 when the current import
 * holds no such site: the status waits for it). Strings valid during the callback. */
struct store_status_row {
	const char *source, *source_id, *status_name, *set_by, *set_at, *note;  /* note NULL */
	enum store_status status;
	double x_rd, y_rd;            /* the site's position now, else as it was when set */
	const char *name;             /* the site's name now, else as it was; may be NULL */
	int64_t site_id;
};

/* Calls fn for every stored status, by source and source_id; a non-zero return from fn
 * stops and is returned. 0 or negative errno with err. */
int store_each_status(struct store *st, int (*fn)(void *user, const struct store_status_row *r),
		      void *user, char *err, size_t errlen);

/* Reads the status of (source, source_id) into fn (called once), or -ENOENT. */
int store_status_get(struct store *st, const char *source, const char *source_id,
		     int (*fn)(void *user, const struct store_status_row *r), void *user,
		     char *err, size_t errlen);

/* Sets the busy timeout (ms) of this store handle: short for writes from the serving loop. */
void store_status_busy_timeout(struct store *st, int ms);

#endif
