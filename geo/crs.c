/* Coordinate transformations with PROJ: RD New <-> ETRS89 with the best instantiable
 * operation (NSGI's RDNAPTRANS2018 grid when the grid folder holds it, else Helmert), and
 * in-place rewriting of WKB coordinates from any EPSG CRS into RD New.
 * Must not use the network, print (PROJ's log goes into the struct) or share PROJ objects
 * between struct crs instances. */
#include "geo/crs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <proj.h>

#define CRS_CACHE_MAX 8
#define CRS_MAX_PATHS 16
#define CRS_WKB_MAX_DEPTH 32
#define CRS_EPSG_RD 28992
#define CRS_EPSG_ETRS89 4258
/* Where RD <-> ETRS89 is accepted: RDNAPTRANS2018's grid (50..56 N, 2..8 E) plus half a
 * degree, where the grid-less fallback takes over. Anything else is an input error. */
#define CRS_AREA_S_DEG 49.5
#define CRS_AREA_N_DEG 56.5
#define CRS_AREA_W_DEG 1.5
#define CRS_AREA_E_DEG 8.5

struct crs_cached {
	int epsg;       /* 0 = free slot */
	PJ *pj;         /* EPSG:epsg -> RD New, normalised (x = easting / longitude) */
};

struct crs {
	PJ_CONTEXT *ctx;
	PJ *rd_etrs;            /* RD x,y -> ETRS89 lon,lat (normalised); PJ_INV for back */
	PJ *rd_etrs_nogrid;     /* when rd_etrs uses a grid: the best op without, else NULL */
	PJ *rd_crs;             /* EPSG:28992 itself, target of crs_wkb_to_rd */
	int uses_grid;
	char op_name[512];
	char last_log[512];     /* PROJ's last log message, never printed */
	struct crs_cached cache[CRS_CACHE_MAX];
	unsigned cache_next;    /* slot replaced next when the cache is full */
};

/* One pass over a WKB buffer; pj == NULL only measures and checks the structure. */
struct wkb_walk {
	uint8_t *buf;
	size_t len;
	size_t off;
	PJ *pj;
	PJ *fallback;   /* tried when pj reports a point outside its grid; may be NULL */
	PJ_DIRECTION dir;
};

/* PROJ log sink: keeps the last message so that the library never writes to stderr. */
static void crs_log(void *app_data, int level, const char *msg)
{
	struct crs *c = app_data;

	(void)level;
	snprintf(c->last_log, sizeof c->last_log, "%s", msg ? msg : "");
}

/* The text of the last PROJ failure: the logged detail if any, else the errno string. */
static const char *crs_error_text(struct crs *c, int proj_err)
{
	const char *s;

	if (c->last_log[0] != '\0')
		return c->last_log;
	s = proj_err != 0 ? proj_context_errno_string(c->ctx, proj_err) : NULL;
	return s ? s : "unknown PROJ error";
}

/* Splits PROJ's default search path ("a:b:c") into paths[] after the n already there. */
static size_t crs_split_default_paths(char *buf, const char **paths, size_t n)
{
	char *save = NULL;

	for (char *tok = strtok_r(buf, ":", &save); tok && n < CRS_MAX_PATHS;
	     tok = strtok_r(NULL, ":", &save))
		paths[n++] = tok;
	return n;
}

/* Search paths: grid_dir (if given), then PROJ's defaults (user dir, PROJ_DATA, data dir). */
static int crs_set_paths(struct crs *c, const char *grid_dir, char *err, size_t errlen)
{
	const char *paths[CRS_MAX_PATHS];
	const char *def = proj_info().searchpath;
	char *buf = strdup(def && def[0] != '\0' ? def : "/usr/share/proj");
	size_t n = 0;

	if (!buf) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	if (grid_dir && grid_dir[0] != '\0')
		paths[n++] = grid_dir;
	n = crs_split_default_paths(buf, paths, n);
	proj_context_set_search_paths(c->ctx, (int)n, paths);
	free(buf);
	return 0;
}

/* 1 when every grid op needs is available locally; *n_grids gets their count. */
static int crs_grids_available(struct crs *c, PJ *op, int *n_grids)
{
	int n = proj_coordoperation_get_grid_used_count(c->ctx, op);

	*n_grids = n;
	for (int i = 0; i < n; i++) {
		const char *short_name, *full_name, *package, *url;
		int direct, open_licence, available = 0;

		if (!proj_coordoperation_get_grid_used(c->ctx, op, i, &short_name, &full_name,
						       &package, &url, &direct, &open_licence,
						       &available) || !available)
			return 0;
	}
	return 1;
}

/* Lists PROJ's candidate operations src -> dst, best first (missing grids sort last). */
static PJ_OBJ_LIST *crs_candidates(struct crs *c, PJ *src, PJ *dst)
{
	PJ_OPERATION_FACTORY_CONTEXT *f = proj_create_operation_factory_context(c->ctx, NULL);
	PJ_OBJ_LIST *ops;

	if (!f)
		return NULL;
	proj_operation_factory_context_set_spatial_criterion(
		c->ctx, f, PROJ_SPATIAL_CRITERION_PARTIAL_INTERSECTION);
	proj_operation_factory_context_set_grid_availability_use(
		c->ctx, f, PROJ_GRID_AVAILABILITY_USED_FOR_SORTING);
	ops = proj_create_operations(c->ctx, src, dst, f);
	proj_operation_factory_context_destroy(f);
	return ops;
}

/* Picks the first candidate that PROJ can instantiate with every grid present; with
 * no_grid set, the first one that needs no grid at all. */
static PJ *crs_pick_operation(struct crs *c, PJ_OBJ_LIST *ops, int no_grid, int *n_grids)
{
	int count = proj_list_get_count(ops);

	for (int i = 0; i < count; i++) {
		PJ *op = proj_list_get(c->ctx, ops, i);

		if (op && proj_coordoperation_is_instantiable(c->ctx, op) &&
		    crs_grids_available(c, op, n_grids) && (!no_grid || *n_grids == 0))
			return op;
		proj_destroy(op);
	}
	return NULL;
}

/* Sets c->rd_etrs (best op) and, when that one uses a grid, c->rd_etrs_nogrid. */
static int crs_use_operations(struct crs *c, PJ_OBJ_LIST *ops)
{
	int n_grids = 0, n_plain = 0;
	PJ *op = crs_pick_operation(c, ops, 0, &n_grids);
	PJ *plain = op && n_grids > 0 ? crs_pick_operation(c, ops, 1, &n_plain) : NULL;
	int ok;

	if (!op)
		return -ENOENT;
	c->uses_grid = n_grids > 0;
	c->rd_etrs = proj_normalize_for_visualization(c->ctx, op);
	if (plain) {
		c->rd_etrs_nogrid = proj_normalize_for_visualization(c->ctx, plain);
		snprintf(c->op_name, sizeof c->op_name, "%s (outside the grid: %s)",
			 proj_get_name(op), proj_get_name(plain));
	} else {
		snprintf(c->op_name, sizeof c->op_name, "%s", proj_get_name(op));
	}
	ok = c->rd_etrs && (!plain || c->rd_etrs_nogrid);
	proj_destroy(plain);
	proj_destroy(op);
	return ok ? 0 : -ENOENT;
}

/* Builds the RD New <-> ETRS89 operations (see crs_use_operations). */
static int crs_build_rd_etrs(struct crs *c, char *err, size_t errlen)
{
	PJ *dst = proj_create(c->ctx, "EPSG:4258");
	PJ_OBJ_LIST *ops;
	int rc = -ENOENT;

	c->rd_crs = proj_create(c->ctx, "EPSG:28992");
	ops = c->rd_crs && dst ? crs_candidates(c, c->rd_crs, dst) : NULL;
	if (ops)
		rc = crs_use_operations(c, ops);
	if (rc != 0)
		snprintf(err, errlen, "no usable EPSG:28992 -> EPSG:4258 operation: %s",
			 crs_error_text(c, proj_context_errno(c->ctx)));
	proj_list_destroy(ops);
	proj_destroy(dst);
	return rc;
}

int crs_open(const char *grid_dir, struct crs **out, char *err, size_t errlen)
{
	struct crs *c = calloc(1, sizeof *c);
	int rc = -ENOMEM;

	*out = NULL;
	if (!c || !(c->ctx = proj_context_create())) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	proj_log_func(c->ctx, c, crs_log);
	proj_context_set_enable_network(c->ctx, 0);
	rc = crs_set_paths(c, grid_dir, err, errlen);
	if (rc == 0)
		rc = crs_build_rd_etrs(c, err, errlen);
	if (rc != 0)
		goto fail;
	*out = c;
	return 0;
fail:
	crs_close(c);
	return rc;
}

void crs_close(struct crs *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < CRS_CACHE_MAX; i++)
		proj_destroy(c->cache[i].pj);
	proj_destroy(c->rd_etrs);
	proj_destroy(c->rd_etrs_nogrid);
	proj_destroy(c->rd_crs);
	if (c->ctx)
		proj_context_destroy(c->ctx);
	free(c);
}

int crs_epsg_wkt(struct crs *c, int epsg, char **out, char *err, size_t errlen)
{
	const char *const opts[] = {"MULTILINE=NO", NULL};
	char code[32];
	snprintf(code, sizeof code, "EPSG:%d", epsg);
	PJ *pj = proj_create(c->ctx, code);
	const char *wkt = pj ? proj_as_wkt(c->ctx, pj, PJ_WKT1_GDAL, opts) : NULL;
	int rc = wkt ? ((*out = strdup(wkt)) ? 0 : -ENOMEM) : -ENOENT;
	if (rc < 0)
		snprintf(err, errlen, "PROJ gives no WKT for %s: %s", code,
			 rc == -ENOMEM ? "out of memory" : c->last_log);
	proj_destroy(pj);
	return rc;
}

int crs_uses_grid(const struct crs *c)
{
	return c->uses_grid;
}

const char *crs_operation_name(const struct crs *c)
{
	return c->op_name;
}

/* One proj_trans of (*a, *b); returns PROJ's errno (0 on success, -1 if not finite). */
static int crs_trans_once(PJ *pj, PJ_DIRECTION dir, double *a, double *b)
{
	PJ_COORD out;
	int perr;

	proj_errno_reset(pj);
	out = proj_trans(pj, dir, proj_coord(*a, *b, 0, 0));
	perr = proj_errno(pj);
	proj_errno_reset(pj);
	if (perr == 0 && !(isfinite(out.xy.x) && isfinite(out.xy.y)))
		perr = -1;
	if (perr == 0) {
		*a = out.xy.x;
		*b = out.xy.y;
	}
	return perr;
}

/* Transforms (*a, *b) in place with pj, or with fallback (if any) where pj's grid does
 * not reach. -EDOM with PROJ's reason on failure. */
static int crs_trans(struct crs *c, PJ *pj, PJ *fallback, PJ_DIRECTION dir, double *a,
		     double *b, char *err, size_t errlen)
{
	int perr;

	c->last_log[0] = '\0';
	perr = crs_trans_once(pj, dir, a, b);
	if (perr == PROJ_ERR_COORD_TRANSFM_OUTSIDE_GRID && fallback) {
		c->last_log[0] = '\0';
		perr = crs_trans_once(fallback, dir, a, b);
	}
	if (perr != 0) {
		snprintf(err, errlen, "cannot transform (%.9g, %.9g): %s", *a, *b,
			 crs_error_text(c, perr > 0 ? perr : 0));
		return -EDOM;
	}
	return 0;
}

/* 0 when lat/lon lie in the accepted area (CRS_AREA_*), else -EDOM with err. */
static int crs_check_area(double lat, double lon, char *err, size_t errlen)
{
	if (lat >= CRS_AREA_S_DEG && lat <= CRS_AREA_N_DEG && lon >= CRS_AREA_W_DEG &&
	    lon <= CRS_AREA_E_DEG)
		return 0;
	snprintf(err, errlen, "lat %.6f lon %.6f is outside the RD area (%.1f..%.1f N, "
		 "%.1f..%.1f E)", lat, lon, CRS_AREA_S_DEG, CRS_AREA_N_DEG, CRS_AREA_W_DEG,
		 CRS_AREA_E_DEG);
	return -EDOM;
}

int crs_rd_to_etrs89(struct crs *c, double x_rd, double y_rd, double *lat, double *lon,
		     char *err, size_t errlen)
{
	double a = x_rd, b = y_rd;
	int rc;

	if (!isfinite(x_rd) || !isfinite(y_rd)) {
		snprintf(err, errlen, "RD coordinate (%g, %g) is not finite", x_rd, y_rd);
		return -EDOM;
	}
	rc = crs_trans(c, c->rd_etrs, c->rd_etrs_nogrid, PJ_FWD, &a, &b, err, errlen);
	if (rc == 0)
		rc = crs_check_area(b, a, err, errlen);
	if (rc == 0) {
		*lon = a;
		*lat = b;
	}
	return rc;
}

int crs_etrs89_to_rd(struct crs *c, double lat, double lon, double *x_rd, double *y_rd,
		     char *err, size_t errlen)
{
	double a = lon, b = lat;
	int rc = crs_check_area(lat, lon, err, errlen);

	if (rc == 0)
		rc = crs_trans(c, c->rd_etrs, c->rd_etrs_nogrid, PJ_INV, &a, &b, err, errlen);
	if (rc == 0) {
		*x_rd = a;
		*y_rd = b;
	}
	return rc;
}

/* Creates the normalised EPSG:epsg -> RD New transformation. */
static int crs_create_to_rd(struct crs *c, int epsg, PJ **out, char *err, size_t errlen)
{
	char code[32];
	PJ *src, *op;

	c->last_log[0] = '\0';
	snprintf(code, sizeof code, "EPSG:%d", epsg);
	src = epsg > 0 ? proj_create(c->ctx, code) : NULL;
	if (!src || !proj_is_crs(src)) {
		proj_destroy(src);
		snprintf(err, errlen, "%s is not known to PROJ", code);
		return -ENOENT;
	}
	op = proj_create_crs_to_crs_from_pj(c->ctx, src, c->rd_crs, NULL, NULL);
	*out = op ? proj_normalize_for_visualization(c->ctx, op) : NULL;
	proj_destroy(op);
	proj_destroy(src);
	if (!*out) {
		snprintf(err, errlen, "no transformation %s -> EPSG:28992: %s", code,
			 crs_error_text(c, proj_context_errno(c->ctx)));
		return -ENOENT;
	}
	return 0;
}

/* The cached transformation EPSG:epsg -> RD New, created on first use. */
static int crs_to_rd(struct crs *c, int epsg, PJ **out, char *err, size_t errlen)
{
	struct crs_cached *slot;
	int rc;

	for (size_t i = 0; i < CRS_CACHE_MAX; i++) {
		if (c->cache[i].epsg == epsg) {
			*out = c->cache[i].pj;
			return 0;
		}
	}
	rc = crs_create_to_rd(c, epsg, out, err, errlen);
	if (rc != 0)
		return rc;
	slot = &c->cache[c->cache_next];
	c->cache_next = (c->cache_next + 1) % CRS_CACHE_MAX;
	proj_destroy(slot->pj);
	slot->epsg = epsg;
	slot->pj = *out;
	return 0;
}

static int wkb_truncated(const struct wkb_walk *w, size_t need, char *err, size_t errlen)
{
	snprintf(err, errlen, "truncated WKB: %zu bytes needed at offset %zu, %zu left",
		 need, w->off, w->len - w->off);
	return -EINVAL;
}

static uint64_t wkb_load(const uint8_t *p, int n, int big)
{
	uint64_t v = 0;

	for (int i = 0; i < n; i++)
		v |= (uint64_t)p[big ? i : n - 1 - i] << (8 * (n - 1 - i));
	return v;
}

static void wkb_store(uint8_t *p, int n, int big, uint64_t v)
{
	for (int i = 0; i < n; i++)
		p[big ? i : n - 1 - i] = (uint8_t)(v >> (8 * (n - 1 - i)));
}

static int wkb_u32(struct wkb_walk *w, int big, uint32_t *v, char *err, size_t errlen)
{
	if (w->len - w->off < 4)
		return wkb_truncated(w, 4, err, errlen);
	*v = (uint32_t)wkb_load(w->buf + w->off, 4, big);
	w->off += 4;
	return 0;
}

static double wkb_get_double(const uint8_t *p, int big)
{
	uint64_t u = wkb_load(p, 8, big);
	double d;

	memcpy(&d, &u, sizeof d);
	return d;
}

static void wkb_put_double(uint8_t *p, int big, double d)
{
	uint64_t u;

	memcpy(&u, &d, sizeof u);
	wkb_store(p, 8, big, u);
}

/* Transforms one x,y at p (empty points, NaN NaN, stay as they are). */
static int wkb_point_xy(struct crs *c, struct wkb_walk *w, uint8_t *p, int big,
			char *err, size_t errlen)
{
	double x = wkb_get_double(p, big), y = wkb_get_double(p + 8, big);
	int rc;

	if (isnan(x) && isnan(y))
		return 0;
	rc = crs_trans(c, w->pj, w->fallback, w->dir, &x, &y, err, errlen);
	if (rc == 0) {
		wkb_put_double(p, big, x);
		wkb_put_double(p + 8, big, y);
	}
	return rc;
}

/* n points of ndim ordinates each; only x and y are rewritten. */
static int wkb_points(struct crs *c, struct wkb_walk *w, int big, uint32_t n, int ndim,
		      char *err, size_t errlen)
{
	size_t stride = (size_t)ndim * 8;
	int rc;

	if (n > (w->len - w->off) / stride)
		return wkb_truncated(w, (size_t)n * stride, err, errlen);
	for (uint32_t i = 0; i < n && w->pj; i++) {
		rc = wkb_point_xy(c, w, w->buf + w->off + (size_t)i * stride, big, err, errlen);
		if (rc != 0)
			return rc;
	}
	w->off += (size_t)n * stride;
	return 0;
}

/* Splits an ISO (1000/2000/3000) or EWKB (high bits) type code; *srid set for EWKB SRID. */
static int wkb_decode_type(uint32_t code, uint32_t *base, int *ndim, int *srid)
{
	int z = (code & 0x80000000u) != 0, m = (code & 0x40000000u) != 0;
	uint32_t iso;

	*srid = (code & 0x20000000u) != 0;
	iso = code & 0x0fffffffu;
	if (iso >= 1000 && iso < 4000) {
		z = z || (iso / 1000) == 1 || (iso / 1000) == 3;
		m = m || (iso / 1000) == 2 || (iso / 1000) == 3;
		iso %= 1000;
	}
	*base = iso;
	*ndim = 2 + z + m;
	return iso >= 1 && iso <= 7 ? 0 : -EINVAL;
}

static int wkb_geometry(struct crs *c, struct wkb_walk *w, int depth, char *err, size_t errlen);

/* Reads a header (byte order, type, optional EWKB SRID). */
static int wkb_header(struct wkb_walk *w, int *big, uint32_t *base, int *ndim,
		      char *err, size_t errlen)
{
	uint32_t code, srid_value;
	int srid, rc;

	if (w->len - w->off < 1)
		return wkb_truncated(w, 1, err, errlen);
	if (w->buf[w->off] > 1) {
		snprintf(err, errlen, "bad WKB byte order %u at offset %zu", w->buf[w->off], w->off);
		return -EINVAL;
	}
	*big = w->buf[w->off++] == 0;
	rc = wkb_u32(w, *big, &code, err, errlen);
	if (rc == 0 && wkb_decode_type(code, base, ndim, &srid) != 0) {
		snprintf(err, errlen, "unknown WKB geometry type %u", code);
		return -EINVAL;
	}
	if (rc == 0 && srid)
		rc = wkb_u32(w, *big, &srid_value, err, errlen);
	return rc;
}

/* The body of a geometry whose header has been read. */
static int wkb_body(struct crs *c, struct wkb_walk *w, int depth, int big, uint32_t base,
		    int ndim, char *err, size_t errlen)
{
	uint32_t n, n_points;
	int rc;

	if (base == 1)
		return wkb_points(c, w, big, 1, ndim, err, errlen);
	rc = wkb_u32(w, big, &n, err, errlen);
	if (rc != 0 || base == 2)
		return rc != 0 ? rc : wkb_points(c, w, big, n, ndim, err, errlen);
	if (base != 3 && n > (w->len - w->off) / 5)
		return wkb_truncated(w, (size_t)n * 5, err, errlen);
	for (uint32_t i = 0; i < n && rc == 0; i++) {
		if (base == 3) {
			rc = wkb_u32(w, big, &n_points, err, errlen);
			if (rc == 0)
				rc = wkb_points(c, w, big, n_points, ndim, err, errlen);
		} else {
			rc = wkb_geometry(c, w, depth + 1, err, errlen);
		}
	}
	return rc;
}

static int wkb_geometry(struct crs *c, struct wkb_walk *w, int depth, char *err, size_t errlen)
{
	uint32_t base;
	int big, ndim, rc;

	if (depth > CRS_WKB_MAX_DEPTH) {
		snprintf(err, errlen, "WKB collections nested deeper than %d", CRS_WKB_MAX_DEPTH);
		return -EINVAL;
	}
	rc = wkb_header(w, &big, &base, &ndim, err, errlen);
	if (rc == 0)
		rc = wkb_body(c, w, depth, big, base, ndim, err, errlen);
	return rc;
}

/* One full pass over the WKB; also checks that nothing trails the geometry. */
static int wkb_walk_all(struct crs *c, struct wkb_walk *w, char *err, size_t errlen)
{
	int rc = wkb_geometry(c, w, 0, err, errlen);

	if (rc == 0 && w->off != w->len) {
		snprintf(err, errlen, "%zu bytes after the WKB geometry", w->len - w->off);
		return -EINVAL;
	}
	return rc;
}

int crs_wkb_to_rd(struct crs *c, int epsg, uint8_t *wkb, size_t len, char *err, size_t errlen)
{
	struct wkb_walk w = { .buf = wkb, .len = len, .dir = PJ_FWD };
	uint8_t *copy;
	int rc;

	if (epsg == CRS_EPSG_RD)
		return 0;
	rc = wkb_walk_all(c, &w, err, errlen);   /* structure first: nothing changes on -EINVAL */
	if (rc == 0 && epsg == CRS_EPSG_ETRS89) {
		w.pj = c->rd_etrs;               /* the same operations as crs_etrs89_to_rd */
		w.fallback = c->rd_etrs_nogrid;
		w.dir = PJ_INV;
	} else if (rc == 0) {
		rc = crs_to_rd(c, epsg, &w.pj, err, errlen);
	}
	if (rc != 0)
		return rc;
	copy = malloc(len);
	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memcpy(copy, wkb, len);
	w.off = 0;
	rc = wkb_walk_all(c, &w, err, errlen);
	if (rc != 0)
		memcpy(wkb, copy, len);          /* all or nothing */
	free(copy);
	return rc;
}
