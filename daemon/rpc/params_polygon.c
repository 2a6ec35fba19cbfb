/* Reading a GeoJSON Polygon or MultiPolygon geometry (RFC 7946: lon/lat positions) from a
 * request into plain ring arrays (params.h, struct params_polygon). Structure only: the
 * types, the numbers, closed rings of at least four positions, a size limit. Whether the
 * shape is valid and lies in the Netherlands is the method's check (geo/user_polygon.h).
 * Pure: no model, no I/O. */
#include "daemon/rpc/params.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define POLYGON_MAX_POSITIONS 100000

/* Counts the positions and rings of a Polygon's coordinates (an array of rings), checking
 * their shape; what names it in messages. */
static int ring_shapes(json_t *rings, const char *what, size_t *npos, size_t *nrings,
		       struct rpc_error *e)
{
	size_t k;
	json_t *ring;
	if (!json_is_array(rings) || json_array_size(rings) == 0)
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: a polygon's coordinates must be a "
				"non-empty array of rings", what);
	json_array_foreach(rings, k, ring) {
		size_t n = json_array_size(ring);
		if (!json_is_array(ring) || n < 4)
			return rpc_fail(e, RPC_INVALID_PARAMS, "%s: ring %zu must be an array of at "
					"least 4 positions", what, k);
		*npos += n;
		(*nrings)++;
	}
	if (*npos > POLYGON_MAX_POSITIONS)
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: more than %d positions", what,
				POLYGON_MAX_POSITIONS);
	return 0;
}

/* One [lon, lat] position into xy. */
static int position(json_t *p, const char *what, size_t ring, size_t i, double *xy,
		    struct rpc_error *e)
{
	json_t *lon = json_array_get(p, 0), *lat = json_array_get(p, 1);
	if (!json_is_array(p) || json_array_size(p) < 2 || !json_is_number(lon) ||
	    !json_is_number(lat))
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: ring %zu position %zu must be [lon, lat]"
				" numbers", what, ring, i);
	xy[0] = json_number_value(lon);
	xy[1] = json_number_value(lat);
	if (!isfinite(xy[0]) || !isfinite(xy[1]) || fabs(xy[0]) > 180 || fabs(xy[1]) > 90)
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: ring %zu position %zu: [%g, %g] is not a"
				" longitude, latitude pair", what, ring, i, xy[0], xy[1]);
	return 0;
}

/* Copies one Polygon's rings (shapes already checked) as polygon number poly. */
static int copy_polygon(json_t *rings, const char *what, uint32_t poly,
			struct params_polygon *out, struct rpc_error *e)
{
	size_t k, i;
	json_t *ring, *p;
	json_array_foreach(rings, k, ring) {
		size_t first = out->npos, r = out->nrings++;
		out->ring_len[r] = json_array_size(ring);
		out->ring_poly[r] = poly;
		json_array_foreach(ring, i, p) {
			if (position(p, what, r, i, &out->lonlat[2 * out->npos], e) < 0)
				return -1;
			out->npos++;
		}
		const double *a = &out->lonlat[2 * first], *b = &out->lonlat[2 * (out->npos - 1)];
		if (a[0] != b[0] || a[1] != b[1])
			return rpc_fail(e, RPC_INVALID_PARAMS, "%s: ring %zu is not closed (its last "
					"position must repeat its first)", what, r);
	}
	return 0;
}

static int alloc_rings(struct params_polygon *out, size_t npos, size_t nrings,
		       struct rpc_error *e)
{
	out->lonlat = malloc((2 * npos + 1) * sizeof *out->lonlat);
	out->ring_len = malloc((nrings + 1) * sizeof *out->ring_len);
	out->ring_poly = malloc((nrings + 1) * sizeof *out->ring_poly);
	if (out->lonlat && out->ring_len && out->ring_poly)
		return 0;
	params_polygon_free(out);
	return rpc_fail(e, RPC_INTERNAL_ERROR, "out of memory");
}

int params_polygon(json_t *geom, const char *what, struct params_polygon *out,
		   struct rpc_error *e)
{
	const char *type = json_string_value(json_object_get(geom, "type"));
	json_t *coords = json_object_get(geom, "coordinates"), *poly;
	size_t npos = 0, nrings = 0, k;
	int multi = type && strcmp(type, "MultiPolygon") == 0;
	*out = (struct params_polygon){0};
	if (!json_is_object(geom) || !type || (!multi && strcmp(type, "Polygon") != 0))
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s must be a GeoJSON geometry of type "
				"\"Polygon\" or \"MultiPolygon\" (lon/lat)", what);
	if (multi && (!json_is_array(coords) || json_array_size(coords) == 0))
		return rpc_fail(e, RPC_INVALID_PARAMS, "%s: a MultiPolygon's coordinates must be a "
				"non-empty array of polygons", what);
	if (!multi && ring_shapes(coords, what, &npos, &nrings, e) < 0)
		return -1;
	json_array_foreach(multi ? coords : NULL, k, poly)
		if (ring_shapes(poly, what, &npos, &nrings, e) < 0)
			return -1;
	if (alloc_rings(out, npos, nrings, e) < 0)
		return -1;
	int rc = multi ? 0 : copy_polygon(coords, what, 0, out, e);
	json_array_foreach(multi ? coords : NULL, k, poly)
		if (rc == 0)
			rc = copy_polygon(poly, what, (uint32_t)k, out, e);
	if (rc < 0)
		params_polygon_free(out);
	return rc;
}

void params_polygon_free(struct params_polygon *p)
{
	free(p->lonlat);
	free(p->ring_len);
	free(p->ring_poly);
	*p = (struct params_polygon){0};
}
