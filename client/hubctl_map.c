/* hubctl export and report: load the map model of the newest plan for a scope, write the
 * file (export.c, report.c) and say what was written (in --lang's language), or print the
 * error. Reads the database only; never talks to the daemon. */
#include "client/hubctl_map.h"

#include <stdio.h>

#include "client/hubctl.h"
#include "client/hubctl_print.h"
#include "client/hubctl_text.h"
#include "config/cli.h"
#include "maps/export.h"
#include "maps/map_model.h"
#include "maps/report.h"
#include "util/clock.h"
#include "util/fmt.h"


static struct map_model *load(const char *cmd, const struct config *cfg, const char *scope)
{
	struct map_model *m = NULL;
	char err[ERRLEN];
	if (map_model_load(cfg, scope, &m, err, sizeof err) < 0) {
		fprintf(stderr, "hubctl %s: %s: %s\n", cmd, cfg->database, err);
		return NULL;
	}
	return m;
}

int ctl_map_export(const struct config *cfg, enum lang lang, const char *scope, int gpkg,
		   const char *path)
{
	struct export_counts n;
	char err[ERRLEN], num[32], secs[32];
	double t0 = clock_now_s();
	struct map_model *m = load("export", cfg, scope);
	if (!m)
		return EXIT_FAILURE_RUN;
	int rc = export_write(m, gpkg ? EXPORT_GPKG : EXPORT_GEOJSON, lang, path, &n, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "hubctl export: %s\n", err);
		map_model_free(m);
		return EXIT_FAILURE_RUN;
	}
	printf(LANG_PICK(lang, HT_WROTE_EXPORT), path, gpkg ? LANG_PICK(lang, HT_GPKG_RD)
	       : LANG_PICK(lang, HT_GEOJSON_LONLAT), (long long)m->s->plan_id, m->scope_code,
	       m->scope_name, fmt_number(secs, sizeof secs, clock_now_s() - t0, 1, lang));
	for (int k = 0; k < n.nlayers; k++)
		printf(LANG_PICK(lang, HT_FEATURES), n.name[k],
		       fmt_number(num, sizeof num, (double)n.features[k], 0, lang));
	map_model_free(m);
	return EXIT_OK;
}

int ctl_map_report(const struct config *cfg, enum lang lang, const char *scope,
		   const char *path)
{
	struct report_info info;
	char err[ERRLEN], num[32], secs[32];
	double t0 = clock_now_s();
	struct map_model *m = load("report", cfg, scope);
	if (!m)
		return EXIT_FAILURE_RUN;
	if (report_write(m, lang, path, &info, err, sizeof err) < 0) {
		fprintf(stderr, "hubctl report: %s\n", err);
		map_model_free(m);
		return EXIT_FAILURE_RUN;
	}
	printf(LANG_PICK(lang, HT_WROTE_REPORT), path,
	       fmt_number(num, sizeof num, (double)info.bytes, 0, lang), (long long)m->s->plan_id,
	       m->scope_code, m->scope_name, info.areas_drawn, info.sites_drawn,
	       info.batteries_drawn, fmt_number(secs, sizeof secs, clock_now_s() - t0, 1, lang));
	map_model_free(m);
	return EXIT_OK;
}
