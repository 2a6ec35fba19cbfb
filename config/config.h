/* Typed configuration for hubplanner: defaults, the INI parser and its error messages.
 * Every key has a type, a range and a default; errors name file, line, key and value.
 * Knows nothing of libuv, logging, the store or geometry. */
#ifndef HUB_CONFIG_H
#define HUB_CONFIG_H

#include <stddef.h>

#define CONFIG_PATH_MAX 4096
#define CONFIG_URBANITY_CLASSES 5

struct config {
	/* [store] */
	char database[CONFIG_PATH_MAX];       /* sqlite3 file */
	/* [daemon] */
	char socket[CONFIG_PATH_MAX];         /* Unix socket path */
	int max_clients;                      /* 1..65536 */
	int idle_timeout_s;                   /* 0 (never) .. 86400 */
	int max_line_bytes;                   /* 1024 .. 1048576 */
	int write_queue_bytes;                /* 4096 .. 268435456 */
	char log_level[16];                   /* error|warning|notice|info|debug */
	/* [proj] */
	char proj_grid_dir[CONFIG_PATH_MAX];  /* folder with nl_nsgi_rdtrans2018.tif; "" = none */
	/* [plan] */
	int local_radius_m[CONFIG_URBANITY_CLASSES];    /* class 1..5, 50..20000 */
	int regional_radius_m[CONFIG_URBANITY_CLASSES]; /* class 1..5, 500..50000 */
	double detour_factor;                 /* 1.0 .. 3.0 */
	int sample_spacing_urban_m;           /* classes 1-3, 25..5000 */
	int sample_spacing_rural_m;           /* classes 4-5, 25..10000 */
	char spread_layer[32];                /* "auto", "none" or a reference layer name */
	double coverage_target_pct;           /* 50.0 .. 100.0 */
	int max_residents_per_site;           /* 100 .. 1000000 */
	int local_sites;                      /* budget mode, 1 .. 100000 */
	int regional_sites;                   /* 1 .. 10000 */
	char local_mode[16];                  /* "target" or "budget" */
	int seed;                             /* 0 .. 2147483647 */
	double weight_65plus;                 /* extra weight, 0 .. 10 */
	double weight_no_car;                 /* extra weight, 0 .. 10 */
	double weight_medical;                /* extra weight, 0 .. 100 */
	int generate_candidates;              /* 0 or 1 */
	int candidate_block_m;                /* 100 .. 5000 */
	int regional_block_m;                 /* 100 .. 5000 */
	int bound_iterations;                 /* 0 .. 10000 */
	int search_time_s;                    /* 0 .. 3600 */
	double change_cost;                   /* 0 .. 1e9 weighted residents */
	char local_kinds[128];                /* "school,town_hall,..." (kind or kind/subkind) */
	char hazard_exclude[128];             /* hazard layer names, comma-separated; "" = none */
	char hazard_flag[128];                /* the same, for layers that only flag sites */
	char regional_kinds[128];             /* "fire_station/vrijwillig,..." */
	char exact_regions[128];              /* "", "all" or "VR17,VR14" */
	int exact_time_limit_s;               /* 1 .. 3600 */
	int backup_sites;                     /* 0 .. 100000 extra sites for backup coverage */
	int keep_plans;                       /* 1 .. 1000 */
	/* [backup] */
	double household_kwh, household_kw;
	int households_per_battery;
	double battery_eur_per_kwh, home_battery_kwh, home_eur_per_kwh, home_share_pct;
	int class4_min_density;
	double local_point_kwh, regional_point_kva, care_kva, generator_eur_per_kva, budget_eur;
	double care_kva_per_person, care_weight;
};

/* Fills cfg with the documented defaults. Never fails. */
void config_defaults(struct config *cfg);

/* Parses the INI file at path on top of what cfg already holds (call config_defaults first).
 * Returns 0, -ENOENT/-EACCES when the file cannot be read, or -EINVAL when any line is bad.
 * On -EINVAL err holds every error, one per line, each as
 * "hubplanner.conf:12: radius_m: 0 is out of range 50..20000" (file name as given in path).
 * cfg may be partly updated on failure: parse into a scratch copy to keep a good one. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/* Parses INI text held in memory (name is used in messages). Same contract as config_load. */
int config_parse_string(struct config *cfg, const char *name, const char *text,
			char *err, size_t errlen);

/* Sets one key as if it appeared in [section] of a file; used for command-line overrides.
 * Returns 0 or -EINVAL with "section.key: message" in err. */
int config_set(struct config *cfg, const char *section, const char *key, const char *value,
	       char *err, size_t errlen);

/* Writes the full configuration as INI text with a comment per key (type, range, default)
 * into buf. Returns the length written, or -ENOSPC when buf is too small. */
int config_dump(const struct config *cfg, char *buf, size_t buflen);

#endif
