/* Human-readable import reports and database summaries, as printed after an import and by
 * `hubplannerd summary` / `hubctl summary`. Formats to a FILE; decides nothing, stores
 * nothing. */
#include "jobs/import.h"

#include <errno.h>
#include <stdio.h>

#include "util/fmt.h"

static const char *level_name(enum area_level level)
{
	static const char *const names[] = {"?", "gemeenten", "wijken", "buurten",
					    "grid cells 100 m", "grid cells 500 m"};
	return level >= 1 && level <= AREA_LEVELS ? names[level] : names[0];
}

static const char *kind_name(const struct import_layer_report *l)
{
	switch (l->kind) {
	case IMPORT_AREAS:
	case IMPORT_GRID:
		return level_name(l->level);
	case IMPORT_REGIONS:
		return "safety regions";
	case IMPORT_MEMBERSHIP:
		return "memberships";
	case IMPORT_SITES:
		return "sites";
	case IMPORT_REF_AREAS:
		return "reference areas";
	default:
		return "skipped (not a layer hubplanner reads)";
	}
}

/* One line per skip reason under the layer's line. */
static void print_skips(const struct import_layer_report *l, FILE *out)
{
	char a[32];
	for (size_t i = 0; i < l->nskip; i++) {
		const struct import_skip *k = &l->skip[i];
		fprintf(out, "    %s %6ld  %s", k->feature ? "skipped" : "dropped", k->count,
			k->reason);
		if (k->residents > 0)
			fprintf(out, ", %s residents", fmt_thousands(a, sizeof a, k->residents, 0));
		for (long e = 0; e < k->count && e < IMPORT_SKIP_EXAMPLES; e++)
			fprintf(out, "%s%s", e ? "; " : ": ", k->examples[e]);
		fprintf(out, "%s\n", k->count > IMPORT_SKIP_EXAMPLES ? "; ..." : "");
	}
}

void import_report_print(const struct import_report *rep, FILE *out)
{
	char a[32];
	for (size_t i = 0; i < rep->nlayers; i++) {
		const struct import_layer_report *l = &rep->layers[i];
		fprintf(out, "  %-28s %-34s %8ld", l->file, l->layer[0] ? l->layer : "-", l->features);
		fprintf(out, "  %s", kind_name(l));
		if (l->kind == IMPORT_REF_AREAS)
			fprintf(out, " %s", l->ref_layer);
		if (l->kind == IMPORT_AREAS || l->kind == IMPORT_GRID || l->kind == IMPORT_REF_AREAS)
			fprintf(out, ", %s residents", fmt_thousands(a, sizeof a, l->residents, 0));
		if (l->water_parts)
			fprintf(out, ", %ld water parts", l->water_parts);
		if (l->repaired)
			fprintf(out, ", %ld repaired", l->repaired);
		if (l->unknown)
			fprintf(out, ", %ld values unknown", l->unknown);
		if (l->transformed_from)
			fprintf(out, ", transformed from EPSG:%d", l->transformed_from);
		if (l->mapping[0])
			fprintf(out, ", mapping %s", l->mapping);
		if (l->skipped)
			fprintf(out, ", %ld skipped", l->skipped);
		fputc('\n', out);
		print_skips(l, out);
	}
	fprintf(out, "import: %zu layers in %.2f s, %ld geometries repaired, %ld values unknown, "
		"data version %s%s\n", rep->nlayers, rep->seconds, rep->repaired, rep->unknown,
		rep->data_version, rep->changed ? "" : " (unchanged)");
}

void import_summary_print(const struct store_summary *s, FILE *out)
{
	char a[32];
	fprintf(out, "database: schema %d, data version %s\n", s->schema_version,
		s->data_version[0] ? s->data_version : "(empty)");
	for (int level = 1; level <= AREA_LEVELS; level++) {
		const struct store_level_stats *l = &s->level[level];
		if (!l->features)
			continue;
		fprintf(out, "  %-18s %7ld  residents %12s", level_name(level), l->features,
			fmt_thousands(a, sizeof a, l->residents, 0));
		if (l->residents_unknown)
			fprintf(out, " (%ld unknown)", l->residents_unknown);
		if (l->water_parts)
			fprintf(out, ", %ld water parts", l->water_parts);
		fputc('\n', out);
	}
	fprintf(out, "  municipalities     %7ld  in %ld safety regions (%ld memberships, "
		"%ld without a region)\n", s->level[AREA_GEMEENTE].features, s->regions,
		s->memberships, s->municipalities_without_region);
	fprintf(out, "  sites              %7ld  (%ld fixed)\n", s->sites, s->sites_fixed);
	if (s->ref_areas)
		fprintf(out, "  reference areas    %7ld  residents %12s (older or other finer layers)\n",
			s->ref_areas, fmt_thousands(a, sizeof a, s->ref_residents, 0));
	if (s->last_import_id)
		fprintf(out, "last import #%ld at %s: %ld geometries repaired, %ld values unknown\n",
			s->last_import_id, s->last_import_at, s->geometries_repaired,
			s->values_unknown);
}

int import_summary_check(const struct store_summary *s, char *err, size_t errlen)
{
	if (s->level[AREA_GEMEENTE].features == 0 || s->regions == 0) {
		snprintf(err, errlen, "no municipalities or no safety regions imported");
		return -EINVAL;
	}
	if (s->municipalities_without_region > 0) {
		snprintf(err, errlen, "%ld municipalities have no safety region",
			 s->municipalities_without_region);
		return -EINVAL;
	}
	return 0;
}
