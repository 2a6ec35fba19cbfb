/* The typed parameters of each method and the pure functions that read them from a request's
 * "params" object: member names, JSON types, ranges and defaults, and nothing else. They never
 * see the model and do no I/O: points stay as the client gave them (RD or degrees) and region
 * codes stay strings; the methods convert and resolve them on the plan (methods_util.c). */
#ifndef HUB_RPC_PARAMS_H
#define HUB_RPC_PARAMS_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "daemon/rpc/rpc.h"

/* A point as given: {"x","y"} in RD New metres (range-checked here) or {"lat","lon"} in
 * ETRS89 degrees (converted, and so checked, by the method). */
struct params_point {
	int latlon;                   /* 0: x_m, y_m are set; 1: lat_deg, lon_deg are set */
	double x_m, y_m, lat_deg, lon_deg;
};

/* A selection as given: nothing (the nation), a code, or a box. */
enum params_where_kind {
	PARAMS_WHERE_NONE = 0,
	PARAMS_WHERE_REGION,          /* region: the code, resolved by the method */
	PARAMS_WHERE_BOX_RD,          /* box: minx, miny, maxx, maxy in RD metres, min < max */
	PARAMS_WHERE_BOX_DEG,         /* box: south, west, north, east in degrees */
};

struct params_where {
	enum params_where_kind kind;
	const char *region;           /* borrowed from the params object: valid while it lives */
	double box[4];
};

enum params_level { PARAMS_LEVEL_ANY = 0, PARAMS_LEVEL_LOCAL, PARAMS_LEVEL_REGIONAL };

struct coverage_params {
	struct params_point point;
	int k;                        /* 1..32, default 3 */
};

struct gaps_params {
	struct params_where where;    /* required */
	int worst;                    /* 0..1000, default 10 */
	int geojson;                  /* default 0 */
};

struct stats_params {
	struct params_where where;    /* NONE (the nation) or REGION; a bbox is refused */
};

struct sites_params {
	struct params_where where;    /* required */
	enum params_level level;
};

struct whatif_add {
	int is_candidate;             /* 1: candidate is set; 0: point is set */
	long long candidate;
	struct params_point point;
};

/* A GeoJSON (Multi)Polygon as given, in lon/lat: ring k has ring_len[k] positions (closed,
 * at least 4) in lonlat, and belongs to polygon ring_poly[k]. Owned arrays; free with
 * params_polygon_free. */
struct params_polygon {
	double *lonlat;
	size_t *ring_len;
	uint32_t *ring_poly;
	size_t nrings, npos;
};

/* whatif's failed area: every site inside it fails. */
enum whatif_fail_kind { WHATIF_FAIL_NONE = 0, WHATIF_FAIL_WHERE, WHATIF_FAIL_POLYGON,
			WHATIF_FAIL_HAZARD };

struct whatif_fail {
	enum whatif_fail_kind kind;
	struct params_where where;    /* WHERE: a region code or a bbox */
	struct params_polygon polygon; /* POLYGON */
	char hazard[64];              /* HAZARD: an imported hazard layer's name */
};

struct whatif_params {
	struct whatif_add *add;       /* owned; free with params_whatif_free */
	size_t nadd;
	long long *remove;            /* owned: local site seq numbers, no duplicates */
	size_t nremove;               /* nadd + nremove >= 1, or a failed area */
	struct whatif_fail fail;
	int replace;                  /* replacements to suggest outside a failed area: 0..20,
				       * default 3 */
};

struct suggest_params {
	struct params_where where;    /* required */
	int k;                        /* 1..100, default 5 */
};

/* designate, reject, release: the site as the client named it, exactly one of them. */
enum status_site_kind { STATUS_SITE_ID = 1, STATUS_SITE_KEY, STATUS_SITE_POINT };

struct status_params {
	enum status_site_kind kind;
	long long site_id;            /* STATUS_SITE_ID: "site": 12 or "site": "12" */
	const char *key;              /* STATUS_SITE_KEY: "source:source_id", borrowed */
	struct params_point point;    /* STATUS_SITE_POINT: "point" or "x_rd"/"y_rd" */
	const char *note;             /* borrowed; NULL = none; at most 1000 bytes */
	const char *by;               /* who at the terminal (hubctl sends $SUDO_USER); NULL */
};

struct statuses_params {
	const char *region;           /* GMnnnn or VRnn, borrowed; NULL = all */
};

struct changes_params {
	long long from, to;           /* plan ids, 1 or more; 0 = not given */
	enum params_level level;      /* ANY: both levels */
	const char *region;           /* VRnn or GMnnnn, NULL = the nation; borrowed from the
				       * params object: valid while it lives */
	int limit;                    /* sites per list, 0..100000, default 1000 */
};

struct resilience_params {
	const char *region;           /* required: VRnn, GMnnnn, WKnnnnnn or BUnnnnnnnn (checked
				       * here), borrowed from the params object */
	int limit;                    /* ranked sites: 0..1000, default 10 */
};

/* The parameters of any method, as the dispatcher holds them. */
union params_any {
	struct coverage_params coverage;
	struct gaps_params gaps;
	struct stats_params stats;
	struct sites_params sites;
	struct whatif_params whatif;
	struct suggest_params suggest;
	struct status_params status;
	struct statuses_params statuses;
	struct changes_params changes;
	struct resilience_params resilience;
};

/* Each parser reads params (an object, or NULL for none) into *out and returns 0, or fills
 * e (-32602 naming the member, or -32603 out of memory) and returns -1; *out then holds
 * nothing to free. A member the method does not take is refused, naming it and listing the
 * accepted ones. Pure: no model, no I/O. */
int params_parse_coverage(json_t *params, struct coverage_params *out, struct rpc_error *e);
int params_parse_gaps(json_t *params, struct gaps_params *out, struct rpc_error *e);
int params_parse_stats(json_t *params, struct stats_params *out, struct rpc_error *e);
int params_parse_sites(json_t *params, struct sites_params *out, struct rpc_error *e);
int params_parse_whatif(json_t *params, struct whatif_params *out, struct rpc_error *e);
int params_parse_suggest(json_t *params, struct suggest_params *out, struct rpc_error *e);
/* method is "designate", "reject" or "release" (for messages). */
int params_parse_status_change(const char *method, json_t *params, struct status_params *out,
			       struct rpc_error *e);
int params_parse_statuses(json_t *params, struct statuses_params *out, struct rpc_error *e);
int params_parse_changes(json_t *params, struct changes_params *out, struct rpc_error *e);
int params_parse_resilience(json_t *params, struct resilience_params *out,
			    struct rpc_error *e);
/* For a method that takes no parameters (status, recompute, reload). */
int params_parse_none(const char *method, json_t *params, struct rpc_error *e);

/* Reads the GeoJSON Polygon or MultiPolygon geom into out (what names it in messages):
 * 0, or -1 with e (-32602 naming what is wrong, -32603 out of memory); out then holds
 * nothing. Structure only: the method checks the shape (geo/user_polygon.h). */
int params_polygon(json_t *geom, const char *what, struct params_polygon *out,
		   struct rpc_error *e);
void params_polygon_free(struct params_polygon *p);

/* Frees what params_parse_whatif allocated and empties p. */
void params_whatif_free(struct whatif_params *p);

/* One method's parameters: its accepted members (NULL-terminated; empty for none), its
 * parser and the release of what the parser allocated (NULL when nothing). */
struct params_spec {
	const char *method;
	const char *const *accepted;
	int (*parse)(const struct params_spec *spec, json_t *params, union params_any *out,
		     struct rpc_error *e);
	void (*release)(union params_any *p);
};

extern const struct params_spec params_coverage, params_gaps, params_stats, params_sites,
	params_whatif, params_suggest, params_status, params_recompute, params_reload,
	params_designate, params_reject, params_release_status, params_statuses,
	params_changes, params_resilience;

/* Every spec above, NULL-terminated (for tests and docs). */
extern const struct params_spec *const params_specs[];

/* Runs spec's parser on params (NULL = none) into a zeroed *out: 0, or -1 with e. */
int params_read(const struct params_spec *spec, json_t *params, union params_any *out,
		struct rpc_error *e);
/* Releases what params_read left in *p (nothing for most methods). */
void params_release(const struct params_spec *spec, union params_any *p);

#endif
