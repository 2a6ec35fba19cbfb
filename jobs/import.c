/* Runs one import: expands folders into files, opens the store, and inside ONE
 * transaction dispatches each file and layer to its reader, checks the memberships, logs
 * the import and commits. Any error rolls everything back. Prints nothing. */
#define _DEFAULT_SOURCE
#include "jobs/import_internal.h"

#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "geo/gpkg_blob.h"

#define MAX_FILES 1024

const char *import_basename(const char *path)
{
	const char *slash = strrchr(path, '/');
	return slash ? slash + 1 : path;
}

void import_err_prefix(char *err, size_t errlen, const char *fmt, ...)
{
	char tmp[1024], head[512];
	va_list ap;
	snprintf(tmp, sizeof tmp, "%s", err);
	va_start(ap, fmt);
	vsnprintf(head, sizeof head, fmt, ap);
	va_end(ap);
	snprintf(err, errlen, "%s: %s", head, tmp);
}

struct import_layer_report *import_report_add(struct import_report *rep, const char *file,
					      const char *layer, enum import_kind kind)
{
	if (rep->nlayers == rep->cap) {
		size_t cap = rep->cap ? rep->cap * 2 : 16;
		struct import_layer_report *l = realloc(rep->layers, cap * sizeof *l);
		if (!l)
			return NULL;
		rep->layers = l;
		rep->cap = cap;
	}
	struct import_layer_report *lr = &rep->layers[rep->nlayers++];
	memset(lr, 0, sizeof *lr);
	snprintf(lr->file, sizeof lr->file, "%s", import_basename(file));
	snprintf(lr->layer, sizeof lr->layer, "%s", layer ? layer : "");
	lr->kind = kind;
	return lr;
}

void import_report_free(struct import_report *rep)
{
	free(rep->layers);
	memset(rep, 0, sizeof *rep);
}

void import_skip(struct import_layer_report *lr, int feature, const char *reason,
		 const char *example, double residents)
{
	size_t i = 0;
	while (i < lr->nskip && (strcmp(lr->skip[i].reason, reason) != 0 ||
				 lr->skip[i].feature != feature))
		i++;
	if (i == lr->nskip && lr->nskip < IMPORT_SKIP_REASONS) {
		memset(&lr->skip[i], 0, sizeof lr->skip[i]);
		snprintf(lr->skip[i].reason, sizeof lr->skip[i].reason, "%s",
			 lr->nskip + 1 < IMPORT_SKIP_REASONS ? reason : "other reasons");
		lr->skip[i].feature = feature;
		lr->nskip++;
	} else if (i == lr->nskip) {
		i = IMPORT_SKIP_REASONS - 1;  /* merged into the last, "other reasons" */
	}
	struct import_skip *k = &lr->skip[i];
	if (k->count < IMPORT_SKIP_EXAMPLES)
		snprintf(k->examples[k->count], sizeof k->examples[0], "%s", example);
	k->count++;
	k->residents += residents == residents ? residents : 0;
	lr->skipped += feature != 0;
}

int import_crs(struct import_run *run, struct crs **out, char *err, size_t errlen)
{
	if (!run->crs) {
		const char *grid = run->opt ? run->opt->grid_dir : NULL;
		int rc = crs_open(grid, &run->crs, err, errlen);
		if (rc < 0)
			return rc;
	}
	*out = run->crs;
	return 0;
}

int import_figure(struct gpkg_cursor *cur, size_t col, const char *field, int count,
		  double *out, long *unknown, char *err, size_t errlen)
{
	double v = 0;
	int rc = gpkg_cursor_number(cur, col, &v);
	if (rc < 0 || (rc == 0 && !isfinite(v))) {
		snprintf(err, errlen, "%s: \"%s\" is not a number", field,
			 gpkg_cursor_text(cur, col));
		return -EINVAL;
	}
	if (rc == 1 || (v <= -99990 && v >= -99999)) {
		*out = STORE_UNKNOWN;
		(*unknown)++;
		return 0;
	}
	if (count && v < 0) {
		snprintf(err, errlen, "%s: %g is negative (and not a CBS special value)", field, v);
		return -EINVAL;
	}
	*out = v;
	return 0;
}

static int transform_wkb(struct import_run *run, const struct gpkg_layer *layer, uint8_t *wkb,
			 size_t len, char *err, size_t errlen)
{
	struct crs *crs = NULL;
	if (layer->srs_org_id < 0 || strcasecmp(layer->srs_org, "EPSG") != 0) {
		snprintf(err, errlen, "unknown srs_id %d (organisation \"%s\" in "
			 "gpkg_spatial_ref_sys; only EPSG codes are supported)",
			 (int)layer->srs_id, layer->srs_org);
		return -EINVAL;
	}
	int rc = import_crs(run, &crs, err, errlen);
	if (rc == 0)
		rc = crs_wkb_to_rd(crs, layer->srs_org_id, wkb, len, err, errlen);
	return rc;
}

int import_row_wkb(struct import_run *run, const struct gpkg_layer *layer,
		   struct gpkg_cursor *cur, uint8_t **wkb, size_t *len, char *err, size_t errlen)
{
	struct gpkg_blob blob;
	size_t blen = 0;
	const uint8_t *b = gpkg_cursor_geom(cur, &blen);
	char why[256];

	*wkb = NULL;
	if (!b || blen == 0) {
		snprintf(err, errlen, "%s: no geometry", layer->geom_column);
		return -EINVAL;
	}
	if (gpkg_blob_parse(b, blen, &blob, why, sizeof why) < 0) {
		snprintf(err, errlen, "%s: corrupt geometry blob: %s", layer->geom_column, why);
		return -EINVAL;
	}
	if (blob.empty) {
		snprintf(err, errlen, "%s: empty geometry", layer->geom_column);
		return -EINVAL;
	}
	if (blob.srs_id != layer->srs_id) {
		snprintf(err, errlen, "%s: geometry srs_id %d differs from the layer's %d",
			 layer->geom_column, (int)blob.srs_id, (int)layer->srs_id);
		return -EINVAL;
	}
	if (!(*wkb = malloc(blob.wkb_len))) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	memcpy(*wkb, blob.wkb, blob.wkb_len);
	*len = blob.wkb_len;
	if (layer->srs_org_id == 28992 && strcasecmp(layer->srs_org, "EPSG") == 0)
		return 0;
	int rc = transform_wkb(run, layer, *wkb, *len, err, errlen);
	if (rc < 0) {
		free(*wkb);
		*wkb = NULL;
	}
	return rc;
}

/* What a GeoPackage layer is, from its name, geometry type and columns. */
static enum import_kind classify_layer(struct gpkg *g, const struct gpkg_layer *l,
				       enum area_level *level, const char **code_column)
{
	static const struct { const char *name; enum area_level level; } areas[] = {
		{"gemeenten", AREA_GEMEENTE}, {"wijken", AREA_WIJK}, {"buurten", AREA_BUURT},
	};
	for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++)
		if (strcmp(l->name, areas[i].name) == 0) {
			*level = areas[i].level;
			return IMPORT_AREAS;
		}
	if (gpkg_has_column(g, l, "crs28992res100m")) {
		*level = AREA_CELL100;
		*code_column = "crs28992res100m";
		return IMPORT_GRID;
	}
	if (gpkg_has_column(g, l, "crs28992res500m")) {
		*level = AREA_CELL500;
		*code_column = "crs28992res500m";
		return IMPORT_GRID;
	}
	int point = strcasecmp(l->geom_type, "POINT") == 0 ||
		    strcasecmp(l->geom_type, "MULTIPOINT") == 0;
	if (!point && strncmp(l->name, "veiligheidsregio", 16) == 0)
		return IMPORT_REGIONS;
	if (point && (gpkg_has_column(g, l, "naam") || gpkg_has_column(g, l, "name")))
		return IMPORT_SITES;
	return IMPORT_SKIPPED;
}

static int import_layer(struct import_run *run, struct gpkg *g, const struct gpkg_layer *l,
			const char *path, char *err, size_t errlen)
{
	enum area_level level = 0;
	const char *code_column = NULL;
	const struct mapping *m = mapping_set_find(&run->mappings, path, l->name);
	if (!m && run->explicit_mapping && import_is_explicit(run, path))
		m = run->explicit_mapping;
	enum import_kind kind = m ? IMPORT_REF_AREAS : classify_layer(g, l, &level, &code_column);
	struct import_layer_report *lr = import_report_add(run->rep, path, l->name, kind);
	if (!lr) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	lr->level = level;
	if (l->srs_org_id != 28992)
		lr->transformed_from = l->srs_org_id;
	switch (kind) {
	case IMPORT_AREAS:
		return import_area_layer(run, g, l, level, lr, err, errlen);
	case IMPORT_GRID:
		return import_grid_layer(run, g, l, level, code_column, lr, err, errlen);
	case IMPORT_REGIONS:
		return import_region_layer(run, g, l, lr, err, errlen);
	case IMPORT_SITES:
		return import_site_layer(run, g, l, path, lr, err, errlen);
	case IMPORT_REF_AREAS:
		return import_ref_layer(run, g, l, m, lr, err, errlen);
	default:
		return 0;
	}
}

static int import_gpkg_file(struct import_run *run, const char *path, char *err, size_t errlen)
{
	struct gpkg *g = NULL;
	int rc = gpkg_open(path, &g, err, errlen);
	if (rc < 0)
		return rc;
	if (gpkg_layer_count(g) == 0) {
		snprintf(err, errlen, "%s: the GeoPackage has no feature layers", path);
		gpkg_close(g);
		return -EINVAL;
	}
	for (size_t i = 0; i < gpkg_layer_count(g) && rc == 0; i++) {
		const struct gpkg_layer *l = gpkg_layer_at(g, i);
		rc = import_layer(run, g, l, path, err, errlen);
		if (rc < 0)
			import_err_prefix(err, errlen, "%s", path);
	}
	gpkg_close(g);
	return rc;
}

static int has_suffix(const char *name, const char *suffix)
{
	size_t n = strlen(name), s = strlen(suffix);
	return n > s && strcasecmp(name + n - s, suffix) == 0;
}

static int import_file(struct import_run *run, const char *path, char *err, size_t errlen)
{
	if (has_suffix(path, ".gpkg"))
		return import_gpkg_file(run, path, err, errlen);
	if (has_suffix(path, ".csv"))
		return import_csv_file(run, path, err, errlen);
	if (has_suffix(path, ".geojson") || has_suffix(path, ".json")) {
		const struct mapping *m = mapping_set_find(&run->mappings, path, NULL);
		if (!m && run->explicit_mapping && import_is_explicit(run, path))
			m = run->explicit_mapping;
		return m ? import_mapped_geojson(run, path, m, err, errlen)
			 : import_geojson_file(run, path, err, errlen);
	}
	snprintf(err, errlen, "%s: unsupported file type (expected .gpkg, .csv, .geojson or .json)",
		 path);
	return -EINVAL;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int listed(char **files, size_t n, const char *path)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(files[i], path) == 0)
			return 1;
	return 0;
}

/* Appends the files that mappings name below folder dir (instellingen/x.geojson), when
 * they exist, in the mappings' order. */
static int add_mapped(const struct mapping_set *set, const char *dir, char **files, size_t *n,
		      char *err, size_t errlen)
{
	for (size_t i = 0; i < set->n; i++) {
		const char *rel = set->items[i]->file;
		struct stat sb;
		if (!rel || !strchr(rel, '/'))
			continue;
		size_t len = strlen(dir) + strlen(rel) + 2;
		char *path = malloc(len);
		if (!path) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		snprintf(path, len, "%s/%s", dir, rel);
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode) || listed(files, *n, path)) {
			free(path);
			continue;
		}
		if (*n == MAX_FILES) {
			free(path);
			snprintf(err, errlen, "%s: more than %d files", dir, MAX_FILES);
			return -E2BIG;
		}
		files[(*n)++] = path;
	}
	return 0;
}

/* Appends the importable files of folder dir, sorted, then the files mappings name below
 * it, to files[*n]. */
static int expand_dir(const struct mapping_set *set, const char *dir, char **files, size_t *n,
		      char *err, size_t errlen)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t first = *n;
	if (!d) {
		int rc = -errno;
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return rc;
	}
	while ((e = readdir(d))) {
		const char *name = e->d_name;
		if (name[0] == '.' || !(has_suffix(name, ".gpkg") || has_suffix(name, ".csv") ||
					has_suffix(name, ".geojson") || has_suffix(name, ".json")))
			continue;
		if (*n == MAX_FILES) {
			closedir(d);
			snprintf(err, errlen, "%s: more than %d files", dir, MAX_FILES);
			return -E2BIG;
		}
		size_t len = strlen(dir) + strlen(name) + 2;
		if (!(files[*n] = malloc(len))) {
			closedir(d);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		snprintf(files[(*n)++], len, "%s/%s", dir, name);
	}
	closedir(d);
	qsort(files + first, *n - first, sizeof *files, by_name);
	int rc = add_mapped(set, dir, files, n, err, errlen);
	if (rc < 0)
		return rc;
	if (*n == first) {
		snprintf(err, errlen, "%s: no .gpkg, .csv, .geojson or .json files in this folder", dir);
		return -ENOENT;
	}
	return 0;
}

static int expand_paths(const struct mapping_set *set, const char *const *paths, size_t npaths,
			char **files, size_t *n, char *err, size_t errlen)
{
	for (size_t i = 0; i < npaths; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) != 0) {
			int rc = -errno;
			snprintf(err, errlen, "%s: %s", paths[i], strerror(errno));
			return rc;
		}
		if (S_ISDIR(sb.st_mode)) {
			int rc = expand_dir(set, paths[i], files, n, err, errlen);
			if (rc < 0)
				return rc;
		} else if (*n == MAX_FILES) {
			snprintf(err, errlen, "more than %d files in one import", MAX_FILES);
			return -E2BIG;
		} else if (!(files[(*n)++] = strdup(paths[i]))) {
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
	}
	return 0;
}

static int file_list(char **files, size_t n, char **out)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(files[i]) + 1;
	if (!(*out = calloc(1, len)))
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		strcat(*out, files[i]);
		strcat(*out, "\n");
	}
	return 0;
}

/* Names the file(s) of this import a membership error comes from. */
static void membership_error(const struct import_report *rep, char *err, size_t errlen)
{
	char tmp[2048], files[600] = "";
	size_t used = 0;
	for (size_t i = 0; i < rep->nlayers && used < sizeof files; i++) {
		const struct import_layer_report *l = &rep->layers[i];
		if (l->kind != IMPORT_MEMBERSHIP && l->kind != IMPORT_REGIONS &&
		    !(l->kind == IMPORT_AREAS && l->level == AREA_GEMEENTE))
			continue;
		int n = snprintf(files + used, sizeof files - used, "%s%s%s%s", used ? ", " : "",
				 l->file, l->layer[0] ? ":" : "", l->layer);
		used += n > 0 ? (size_t)n : 0;
	}
	snprintf(tmp, sizeof tmp, "%s", err);
	snprintf(err, errlen, "%s: %s", files[0] ? files : "stored memberships", tmp);
}

static int finish(struct import_run *run, char **files, size_t n, const char *started,
		  const char *before, char *err, size_t errlen)
{
	char *list = NULL;
	struct import_report *rep = run->rep;
	int rc = store_check_memberships(run->store, err, errlen);
	if (rc < 0) {
		membership_error(rep, err, errlen);
		return rc;
	}
	for (size_t i = 0; i < rep->nlayers; i++) {
		rep->repaired += rep->layers[i].repaired;
		rep->unknown += rep->layers[i].unknown;
	}
	if (file_list(files, n, &list) < 0) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	rc = store_log_import(run->store, started, list, rep->repaired, rep->unknown, NULL,
			      err, errlen);
	free(list);
	if (rc == 0)
		rc = store_data_version(run->store, rep->data_version, err, errlen);
	rep->changed = strcmp(before, rep->data_version) != 0;
	return rc;
}

static int run_files(struct import_run *run, char **files, size_t n, char *err, size_t errlen)
{
	char started[32], before[17];
	store_utc_now(started);
	int rc = store_begin(run->store, err, errlen);
	if (rc < 0)
		return rc;
	rc = store_data_version(run->store, before, err, errlen);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = import_file(run, files[i], err, errlen);
	if (rc == 0)
		rc = finish(run, files, n, started, before, err, errlen);
	if (rc == 0)
		return store_commit(run->store, err, errlen);
	store_rollback(run->store);
	return rc;
}

/* Loads the mapping folder and files of the options into run. */
static int load_mappings(struct import_run *run, const struct import_options *opt, char *err,
			 size_t errlen)
{
	int rc = 0;
	if (!opt)
		return 0;
	if (opt->mappings_dir) {
		struct stat sb;
		if (opt->mappings_dir_optional && stat(opt->mappings_dir, &sb) != 0 && errno == ENOENT)
			rc = 0;
		else
			rc = mapping_set_load_dir(&run->mappings, opt->mappings_dir, err, errlen);
	}
	for (size_t i = 0; rc == 0 && i < opt->nmapping_files; i++)
		rc = mapping_set_load_file(&run->mappings, opt->mapping_files[i], err, errlen);
	for (size_t i = 0; rc == 0 && i < run->mappings.n; i++) {
		const struct mapping *m = run->mappings.items[i];
		if (m->file)
			continue;
		if (run->explicit_mapping) {
			snprintf(err, errlen, "%s and %s both have no `file` in [source]: at most one "
				 "mapping may apply to the files named on the command line",
				 run->explicit_mapping->path, m->path);
			return -EINVAL;
		}
		run->explicit_mapping = m;
	}
	return rc;
}

int import_is_explicit(const struct import_run *run, const char *path)
{
	struct stat sb;
	for (size_t i = 0; i < run->npaths; i++)
		if (strcmp(run->paths[i], path) == 0)
			return stat(path, &sb) == 0 && !S_ISDIR(sb.st_mode);
	return 0;
}

int import_paths(const char *db_path, const char *const *paths, size_t npaths,
		 const struct import_options *opt, struct import_report *rep,
		 char *err, size_t errlen)
{
	struct import_run run = {.opt = opt, .rep = rep};
	char **files = calloc(MAX_FILES, sizeof *files);
	size_t n = 0;
	struct timespec t0, t1;
	int rc = -ENOMEM;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(rep, 0, sizeof *rep);
	if (!files || !(run.geom = geom_ctx_new())) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if ((rc = load_mappings(&run, opt, err, errlen)) < 0)
		goto fail;
	run.paths = paths;
	run.npaths = npaths;
	if ((rc = expand_paths(&run.mappings, paths, npaths, files, &n, err, errlen)) < 0)
		goto fail;
	if ((rc = store_open(db_path, 0, &run.store, err, errlen)) < 0)
		goto fail;
	rc = run_files(&run, files, n, err, errlen);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	rep->seconds = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
fail:
	for (size_t i = 0; files && i < n; i++)
		free(files[i]);
	free(files);
	store_close(run.store);
	crs_close(run.crs);
	geom_ctx_free(run.geom);
	mapping_set_free(&run.mappings);
	for (size_t i = 0; i < run.nref_cleared; i++)
		free(run.ref_cleared[i]);
	free(run.ref_cleared);
	if (rc < 0)
		import_report_free(rep);
	return rc;
}
