/* The GeoJSON sink of an export: one RFC 7946 FeatureCollection (lon/lat, 7 decimals,
 * counter-clockwise exteriors, through geo_geojson_from_wkb), streamed to a temporary
 * file that replaces the target only when complete. Properties are written with jansson
 * so names and texts are escaped. Must not hold all features in memory. */
#include "maps/export_sink.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "geo/geojson.h"

#define GJ_MAX_FIELDS 32

struct gj_sink {
	FILE *f;
	char path[4096], tmp[4200];
	struct geom_ctx *g;
	struct crs *crs;
	char layer[64];
	struct gpkg_field fields[GJ_MAX_FIELDS];
	int nfields;
	long features;
};

static int io_fail(struct gj_sink *s, char *err, size_t errlen)
{
	int e = errno ? errno : EIO;
	snprintf(err, errlen, "%s: cannot write: %s", s->tmp, strerror(e));
	return -e;
}

static int gj_layer(void *user, const char *name, const char *geometry_type,
		    const char *description, const struct gpkg_field *fields, int nfields,
		    char *err, size_t errlen)
{
	struct gj_sink *s = user;
	(void)geometry_type;
	(void)description;
	if (nfields > GJ_MAX_FIELDS) {
		snprintf(err, errlen, "layer %s: %d fields", name, nfields);
		return -EINVAL;
	}
	snprintf(s->layer, sizeof s->layer, "%s", name);
	memcpy(s->fields, fields, (size_t)nfields * sizeof *fields);
	s->nfields = nfields;
	return 0;
}

static json_t *value_json(const struct gpkg_field *f, const struct gpkg_value *v)
{
	if (v->null || (f->type == GPKG_REAL && !isfinite(v->d)) || (f->type == GPKG_TEXT && !v->s))
		return json_null();
	if (f->type == GPKG_INTEGER)
		return json_integer(v->i);
	if (f->type == GPKG_REAL)
		return json_real(v->d);
	return json_string(v->s);
}

static char *properties(struct gj_sink *s, const struct gpkg_value *values)
{
	json_t *p = json_object();
	json_object_set_new(p, "layer", json_string(s->layer));
	for (int k = 0; k < s->nfields; k++)
		json_object_set_new(p, s->fields[k].name, value_json(&s->fields[k], &values[k]));
	char *text = json_dumps(p, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(10));
	json_decref(p);
	return text;
}

static int gj_feature(void *user, const uint8_t *wkb, size_t len, const double env[4],
		      const struct gpkg_value *values, char *err, size_t errlen)
{
	struct gj_sink *s = user;
	char *geometry = NULL, *props = NULL;
	(void)env;
	int rc = geo_geojson_from_wkb(s->g, s->crs, wkb, len, &geometry, err, errlen);
	if (rc == 0 && !(props = properties(s, values))) {
		snprintf(err, errlen, "out of memory");
		rc = -ENOMEM;
	}
	if (rc == 0 && fprintf(s->f, "%s\n{\"type\":\"Feature\",\"geometry\":%s,\"properties\":%s}",
			       s->features ? "," : "", geometry, props) < 0)
		rc = io_fail(s, err, errlen);
	if (rc == 0)
		s->features++;
	free(geometry);
	free(props);
	return rc;
}

static void gj_abort(void *user)
{
	struct gj_sink *s = user;
	if (!s)
		return;
	if (s->f)
		fclose(s->f);
	unlink(s->tmp);
	free(s);
}

static int gj_finish(void *user, char *err, size_t errlen)
{
	struct gj_sink *s = user;
	int rc = 0;
	errno = 0;
	if (fputs("\n]}\n", s->f) == EOF || fflush(s->f) != 0 || fsync(fileno(s->f)) != 0)
		rc = io_fail(s, err, errlen);
	if (fclose(s->f) != 0 && rc == 0)
		rc = io_fail(s, err, errlen);
	s->f = NULL;
	if (rc == 0 && rename(s->tmp, s->path) != 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot move into place: %s", s->path, strerror(-rc));
	}
	if (rc < 0) {
		gj_abort(s);
		return rc;
	}
	free(s);
	return 0;
}

int export_geojson_open(const char *path, const char *title, struct geom_ctx *g,
			struct crs *crs, struct export_sink *out, char *err, size_t errlen)
{
	struct gj_sink *s = calloc(1, sizeof *s);
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	snprintf(s->path, sizeof s->path, "%s", path);
	snprintf(s->tmp, sizeof s->tmp, "%s.tmp-%ld", path, (long)getpid());
	s->g = g;
	s->crs = crs;
	json_t *name = json_string(title);
	char *quoted = name ? json_dumps(name, JSON_ENCODE_ANY) : NULL;
	json_decref(name);
	errno = 0;
	if (!quoted || !(s->f = fopen(s->tmp, "w")) ||
	    fprintf(s->f, "{\"type\":\"FeatureCollection\",\"name\":%s,\"features\":[", quoted) < 0) {
		int rc = quoted ? io_fail(s, err, errlen) : -ENOMEM;
		if (!quoted)
			snprintf(err, errlen, "out of memory");
		free(quoted);
		gj_abort(s);
		return rc;
	}
	free(quoted);
	*out = (struct export_sink){gj_layer, gj_feature, gj_finish, gj_abort, s, NULL};
	return 0;
}
