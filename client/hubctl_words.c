/* hubctl's words: the --help text, the usage errors, and the numbers and points read from
 * the command line. Pure formatting and parsing: no options table, no socket, no command
 * table (hubctl.c has those). */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/hubctl.h"
#include "config/cli.h"

void ctl_usage(FILE *out)
{
	fprintf(out,
		"Usage: hubctl [OPTIONS] COMMAND [ARGS]\n"
		"Client for hubplannerd, the planner of emergency support points (noodsteunpunten).\n"
		"Commands other than summary, export and report ask the daemon over its Unix socket\n"
		"(docs/protocol.md).\n"
		"\n"
		"Commands:\n"
		"  coverage LAT LON | --rd X Y [-k N]\n"
		"        areas, urbanity, local and regional coverage and the N nearest sites\n"
		"        (default 3, at most 32) of a point (ETRS89 degrees, or RD New metres)\n"
		"  gaps REGION | --bbox MINX,MINY,MAXX,MAXY [--worst N] [--geojson FILE]\n"
		"        residents, covered and uncovered, the N worst areas (default 10) and the\n"
		"        largest uncovered spot; --geojson writes the uncovered area to FILE\n"
		"  stats [REGION]\n"
		"        the plan summary for the nation, a safety region or an area\n"
		"  sites REGION | --bbox MINX,MINY,MAXX,MAXY [--level local|regional] [-o FILE]\n"
		"        the planned sites as a GeoJSON FeatureCollection, to stdout or FILE\n"
		"  whatif [--add LAT,LON]... [--add-rd X,Y]... [--add-candidate ID]...\n"
		"         [--remove SEQ]... [--fail REGION | --fail-geojson FILE |\n"
		"         --fail-hazard NAME] [-k N]\n"
		"        the change in covered residents per area if sites were added (points or\n"
		"        candidate ids), local sites removed (by seq), or every site inside an\n"
		"        area failed (a region code, a GeoJSON polygon file in lon/lat, or an\n"
		"        imported hazard layer), with\n"
		"        the N best replacements outside it (default 3, at most 20); the plan\n"
		"        is not changed\n"
		"  suggest REGION | --bbox MINX,MINY,MAXX,MAXY [-k N]\n"
		"        the N best new sites (default 5, at most 100), each gain given the ones\n"
		"        before\n"
		"  resilience REGION [-n N]\n"
		"        residents covered by exactly one local site (and by two or more), and\n"
		"        the N sites (default 10, at most 1000) whose loss uncovers most, each\n"
		"        with what it alone covers and where\n"
		"  status                the daemon's plan, recompute progress and counters\n"
		"  recompute [--wait]    start a new plan computation (root or the daemon's user);\n"
		"        --wait follows it: a progress bar on a terminal, a line per phase\n"
		"        otherwise; exits 0 once the new plan is served, 5 when it failed\n"
		"  reload                re-read the configuration and the newest plan (root or the\n"
		"        daemon's user); like SIGHUP\n"
		"  designate SITE | LAT LON | --rd X Y [--note TEXT]\n"
		"        mark a site as confirmed by its municipality: every plan keeps it\n"
		"        (root or the daemon's user); SITE is a site id or SOURCE:SOURCE_ID, a\n"
		"        point names the nearest site within 25 m\n"
		"  reject SITE | LAT LON | --rd X Y [--note TEXT]\n"
		"        mark a site as unavailable: never proposed again (root or the daemon's\n"
		"        user)\n"
		"  release SITE | LAT LON | --rd X Y\n"
		"        remove a site's status (root or the daemon's user); statuses take\n"
		"        effect at the next recompute\n"
		"  statuses [REGION]     the designated and rejected sites, who set them and when\n"
		"  diff [PLAN_A [PLAN_B]] [--level local|regional] [--region VRnn|GMnnnn]\n"
		"        the sites added, removed and kept from plan A to plan B, per level, safety\n"
		"        region (with coverage before and after) and gemeente; default B is the\n"
		"        served plan and A the plan stored before B; with --db it reads the\n"
		"        database directly (default B: the newest plan)\n"
		"  summary               what the database holds (reads --db directly, no daemon)\n"
		"  export --format gpkg|geojson [--region REGION] FILE\n"
		"        the newest plan as GIS layers: sites, batteries, coverage per area,\n"
		"        uncovered places and safety regions; a GeoPackage in RD New or GeoJSON\n"
		"        in lon/lat (reads --db directly, no daemon)\n"
		"  report [--region REGION] -o FILE\n"
		"        the newest plan as one self-contained HTML page with a map, the figures\n"
		"        and a table per gemeente (reads --db directly, no daemon)\n"
		"\n"
		"REGION is a safety region VRnn, a gemeente GMnnnn, a wijk WKnnnnnn or a buurt\n"
		"BUnnnnnnnn; --bbox is in RD New metres. Put -- before negative numbers.\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE    configuration file (default %s if present)\n"
		"      --socket PATH    daemon socket, overrides [daemon] socket\n"
		"      --db PATH        database for summary, export, report and diff, overrides\n"
		"                       [store] database\n"
		"      --json           print the raw JSON result (2-space indent) instead of tables\n"
		"      --lang nl|en     the language of tables, the report and an export's QGIS\n"
		"                       legends (default: nl when LC_ALL, LC_MESSAGES or LANG\n"
		"                       starts with nl, else en); --json output and the\n"
		"                       exports' fields are the same in both\n"
		"      --timeout S      seconds to wait for each reply (default 30)\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"Exit status: 0 success; 1 the request failed (the daemon's error is printed as\n"
		"\"hubctl: CODE: message\"), or summary, export or report failed; 2 bad command\n"
		"line; 3 invalid configuration; 4 cannot connect to hubplannerd; 5 recompute\n"
		"--wait: the recompute failed or its plan was not loaded.\n",
		CLI_DEFAULT_CONFIG);
}

/* Prints "hubctl CMD: message" and the command's synopsis; returns EXIT_USAGE. */
int ctl_usage_error(const struct ctl *c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "hubctl%s%s: ", c->cmd ? " " : "", c->cmd ? c->cmd->name : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	if (c->cmd)
		fprintf(stderr, "\nusage: hubctl [OPTIONS] %s\n", c->cmd->synopsis);
	else
		fprintf(stderr, " (see hubctl --help)\n");
	return EXIT_USAGE;
}

/* A finite number, the whole word. */
int ctl_parse_number(const char *s, double *v)
{
	char *end;
	errno = 0;
	*v = strtod(s, &end);
	return end != s && *end == '\0' && errno == 0 && isfinite(*v) ? 0 : -1;
}

int ctl_parse_int(const char *s, long lo, long hi, int *v)
{
	char *end;
	errno = 0;
	long n = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno != 0 || n < lo || n > hi)
		return -1;
	*v = (int)n;
	return 0;
}

/* Exactly n comma-separated numbers ("52.09,5.12"). */
int ctl_parse_numbers(const char *s, double *v, int n)
{
	char word[64];
	for (int k = 0; k < n; k++) {
		size_t len = strcspn(s, ",");
		if (len >= sizeof word || (k < n - 1) != (s[len] == ','))
			return -1;
		memcpy(word, s, len);
		word[len] = '\0';
		if (ctl_parse_number(word, &v[k]) < 0)
			return -1;
		s += len + (s[len] == ',');
	}
	return 0;
}

json_t *ctl_point_json(int rd, double a, double b)
{
	return rd ? json_pack("{s:f, s:f}", "x", a, "y", b) : json_pack("{s:f, s:f}", "lat", a,
									  "lon", b);
}

/* lat/lon that would be valid the other way round: a common slip. */
int ctl_swapped(double lat, double lon)
{
	return lat >= 1.5 && lat <= 8.5 && lon >= 49.5 && lon <= 56.5;
}

