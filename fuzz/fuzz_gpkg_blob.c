/* Fuzz target: a GeoPackage geometry blob through gpkg_blob_parse, then its WKB through
 * geom_from_wkb and geom_polygonal_normalize. One GEOS context for the whole run. */
#include "fuzz/fuzz.h"

#include <stdlib.h>

#include "geo/geom.h"
#include "geo/geom_internal.h"
#include "geo/gpkg_blob.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct geom_ctx *g;
	struct gpkg_blob b;
	char err[256];
	uint8_t *out = NULL;
	size_t outlen = 0;
	int repaired = 0;

	if (gpkg_blob_parse(data, size, &b, err, sizeof err) != 0)
		return 0;
	if (!g && !(g = geom_ctx_new()))
		abort();
	GEOSGeometry *geom = geom_from_wkb(g, b.wkb, b.wkb_len, err, sizeof err);
	if (geom)
		GEOSGeom_destroy_r(geom_ctx_handle(g), geom);
	if (geom_polygonal_normalize(g, b.wkb, b.wkb_len, &out, &outlen, &repaired,
				     err, sizeof err) == 0)
		free(out);
	return 0;
}
