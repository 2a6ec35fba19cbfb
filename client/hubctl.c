/* hubctl: the hubplanner client's command line. Parses the options and words (the help
 * text and number parsing are hubctl_words.c's), builds each command's JSON-RPC params,
 * runs it and prints the result (tables by hubctl_print.c, --json raw); holds the command
 * table and main. The talking to hubplannerd is hubctl_conn.c's and
 * `summary`, `export` and `report` read the database directly: no socket code here. */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "client/hubctl.h"
#include "client/hubctl_diff.h"
#include "client/hubctl_map.h"
#include "client/hubctl_print.h"
#include "client/hubctl_resilience.h"
#include "client/hubctl_text.h"
#include "config/cli.h"
#include "data/store.h"
#include "jobs/import.h"
#include "util/lang.h"

#define DEFAULT_TIMEOUT_S 30.0

/* Options that belong to commands (struct command.opts); the global ones go anywhere. */
enum {
	O_K = 1 << 0, O_RD = 1 << 1, O_BBOX = 1 << 2, O_WORST = 1 << 3, O_GEOJSON = 1 << 4,
	O_LEVEL = 1 << 5, O_OUTPUT = 1 << 6, O_WHATIF = 1 << 7, O_WAIT = 1 << 8,
	O_FORMAT = 1 << 9, O_REGION = 1 << 10, O_NOTE = 1 << 11, O_LIMIT = 1 << 12,
};

enum {
	OPT_DB = 256, OPT_SOCKET, OPT_JSON, OPT_TIMEOUT, OPT_RD, OPT_BBOX, OPT_WORST, OPT_GEOJSON,
	OPT_LEVEL, OPT_ADD, OPT_ADD_RD, OPT_ADD_CAND, OPT_REMOVE, OPT_WAIT, OPT_FORMAT,
	OPT_REGION, OPT_NOTE, OPT_FAIL, OPT_FAIL_GEOJSON, OPT_FAIL_HAZARD, OPT_LANG,
};

static const struct command *find_command(const char *name);
static int region_code(const struct ctl *c, const char *word, char *code, size_t len);

/* ---- command-line words ---- */

/* ---- options ---- */

static const struct option long_opts[] = {
	{"config", required_argument, NULL, 'c'}, {"db", required_argument, NULL, OPT_DB},
	{"socket", required_argument, NULL, OPT_SOCKET}, {"json", no_argument, NULL, OPT_JSON},
	{"timeout", required_argument, NULL, OPT_TIMEOUT}, {"help", no_argument, NULL, 'h'},
	{"version", no_argument, NULL, 'V'}, {"rd", no_argument, NULL, OPT_RD},
	{"bbox", required_argument, NULL, OPT_BBOX}, {"worst", required_argument, NULL, OPT_WORST},
	{"geojson", required_argument, NULL, OPT_GEOJSON},
	{"level", required_argument, NULL, OPT_LEVEL}, {"output", required_argument, NULL, 'o'},
	{"add", required_argument, NULL, OPT_ADD}, {"add-rd", required_argument, NULL, OPT_ADD_RD},
	{"add-candidate", required_argument, NULL, OPT_ADD_CAND},
	{"remove", required_argument, NULL, OPT_REMOVE}, {"wait", no_argument, NULL, OPT_WAIT},
	{"format", required_argument, NULL, OPT_FORMAT},
	{"region", required_argument, NULL, OPT_REGION}, {"note", required_argument, NULL, OPT_NOTE},
	{"fail", required_argument, NULL, OPT_FAIL},
	{"fail-geojson", required_argument, NULL, OPT_FAIL_GEOJSON},
	{"fail-hazard", required_argument, NULL, OPT_FAIL_HAZARD},
	{"lang", required_argument, NULL, OPT_LANG},
	{NULL, 0, NULL, 0},
};

/* The O_* bit of a command option, 0 for a global option. */
static unsigned opt_bit(int opt)
{
	switch (opt) {
	case 'k': return O_K;
	case 'n': return O_LIMIT;
	case OPT_RD: return O_RD;
	case OPT_BBOX: return O_BBOX;
	case OPT_WORST: return O_WORST;
	case OPT_GEOJSON: return O_GEOJSON;
	case OPT_LEVEL: return O_LEVEL;
	case 'o': return O_OUTPUT;
	case OPT_ADD: case OPT_ADD_RD: case OPT_ADD_CAND: case OPT_REMOVE: case OPT_FAIL:
	case OPT_FAIL_GEOJSON: case OPT_FAIL_HAZARD: return O_WHATIF;
	case OPT_WAIT: return O_WAIT;
	case OPT_FORMAT: return O_FORMAT;
	case OPT_REGION: return O_REGION;
	case OPT_NOTE: return O_NOTE;
	default: return 0;
	}
}

static int global_opt(struct ctl *c, int opt, char *arg)
{
	switch (opt) {
	case 'c': c->common.config_path = arg; return 0;
	case OPT_DB: c->common.db = arg; return 0;
	case OPT_SOCKET: c->common.socket = arg; return 0;
	case OPT_JSON: c->json = 1; return 0;
	case OPT_LANG:
		if (lang_parse(arg, &c->lang) < 0)
			return ctl_usage_error(c, "--lang \"%s\": nl or en", arg);
		return 0;
	case OPT_TIMEOUT:
		if (ctl_parse_number(arg, &c->timeout_s) < 0 || c->timeout_s <= 0 || c->timeout_s > 86400)
			return ctl_usage_error(c, "--timeout \"%s\": seconds, more than 0 and at most 86400",
					   arg);
		return 0;
	case 'h': ctl_usage(stdout); exit(EXIT_OK);
	case 'V': printf("hubctl %s\n", HUB_VERSION); exit(EXIT_OK);
	default: return ctl_usage_error(c, "unexpected option");
	}
}

/* The polygon of a GeoJSON file: a Polygon or MultiPolygon geometry, a Feature with one,
 * or a FeatureCollection of exactly one such Feature (new reference in *geom). */
static int read_fail_geojson(struct ctl *c, const char *path, json_t **geom)
{
	json_error_t je;
	json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je), *g = root;
	const char *type = json_string_value(json_object_get(root, "type"));
	if (!root)
		return ctl_usage_error(c, "--fail-geojson %s:%d: %s", path, je.line, je.text);
	if (type && strcmp(type, "FeatureCollection") == 0) {
		json_t *f = json_object_get(root, "features");
		if (json_array_size(f) != 1) {
			json_decref(root);
			return ctl_usage_error(c, "--fail-geojson %s: a FeatureCollection of exactly one "
					   "polygon feature expected, it has %zu", path,
					   json_array_size(f));
		}
		g = json_array_get(f, 0);
		type = json_string_value(json_object_get(g, "type"));
	}
	if (type && strcmp(type, "Feature") == 0)
		g = json_object_get(g, "geometry");
	*geom = json_incref(g);
	json_decref(root);
	if (!*geom)
		return ctl_usage_error(c, "--fail-geojson %s: no geometry", path);
	return 0;
}

/* --fail CODE / --fail-geojson FILE / --fail-hazard NAME: the failed area, once. */
static int fail_opt(struct ctl *c, int opt, const char *arg)
{
	json_t *geom = NULL;
	char code[16];
	if (c->fail)
		return ctl_usage_error(c, "give one failed area: --fail, --fail-geojson or --fail-hazard, "
				   "once");
	if (opt == OPT_FAIL_HAZARD) {
		c->fail = json_pack("{s:s}", "hazard", arg);
	} else if (opt == OPT_FAIL) {
		if (region_code(c, arg, code, sizeof code))
			return EXIT_USAGE;
		c->fail = json_pack("{s:s}", "region", code);
	} else {
		int rc = read_fail_geojson(c, arg, &geom);
		if (rc)
			return rc;
		c->fail = json_pack("{s:o}", "polygon", geom);
	}
	return c->fail ? 0 : EXIT_FAILURE_RUN;
}

/* --add LAT,LON / --add-rd X,Y / --add-candidate ID / --remove SEQ / --fail ... */
static int whatif_opt(struct ctl *c, int opt, const char *arg)
{
	double v[2];
	int id;
	if (opt == OPT_FAIL || opt == OPT_FAIL_GEOJSON || opt == OPT_FAIL_HAZARD)
		return fail_opt(c, opt, arg);
	if (!c->add && !(c->add = json_array()))
		return EXIT_FAILURE_RUN;
	if (!c->remove && !(c->remove = json_array()))
		return EXIT_FAILURE_RUN;
	if (opt == OPT_ADD_CAND || opt == OPT_REMOVE) {
		if (ctl_parse_int(arg, opt == OPT_REMOVE, 2147483647L, &id) < 0)
			return ctl_usage_error(c, "%s \"%s\": a %s expected", opt == OPT_REMOVE ? "--remove"
					   : "--add-candidate", arg, opt == OPT_REMOVE
					   ? "site seq number (1 or more)" : "candidate id (0 or more)");
		return json_array_append_new(opt == OPT_REMOVE ? c->remove : c->add, opt == OPT_REMOVE
					     ? json_integer(id) : json_pack("{s:i}", "candidate", id))
		       ? EXIT_FAILURE_RUN : 0;
	}
	if (ctl_parse_numbers(arg, v, 2) < 0)
		return ctl_usage_error(c, "%s \"%s\": two numbers expected, %s", opt == OPT_ADD ? "--add"
				   : "--add-rd", arg, opt == OPT_ADD ? "LAT,LON" : "X,Y");
	if (opt == OPT_ADD && ctl_swapped(v[0], v[1]))
		return ctl_usage_error(c, "--add \"%s\" looks like LON,LAT: give LAT,LON", arg);
	return json_array_append_new(c->add, ctl_point_json(opt == OPT_ADD_RD, v[0], v[1]))
	       ? EXIT_FAILURE_RUN : 0;
}

static int command_opt(struct ctl *c, int opt, char *arg)
{
	switch (opt) {
	case 'k':
		if (ctl_parse_int(arg, 1, 100, &c->k) < 0)
			return ctl_usage_error(c, "-k \"%s\": a whole number 1..100 expected", arg);
		return 0;
	case 'n':
		if (ctl_parse_int(arg, 0, 1000, &c->limit) < 0)
			return ctl_usage_error(c, "-n \"%s\": a whole number 0..1000 expected", arg);
		return 0;
	case OPT_WORST:
		if (ctl_parse_int(arg, 0, 1000, &c->worst) < 0)
			return ctl_usage_error(c, "--worst \"%s\": a whole number 0..1000 expected", arg);
		return 0;
	case OPT_LEVEL:
		if (strcmp(arg, "local") != 0 && strcmp(arg, "regional") != 0)
			return ctl_usage_error(c, "--level \"%s\": local or regional", arg);
		c->level = arg;
		return 0;
	case OPT_RD: c->rd = 1; return 0;
	case OPT_BBOX: c->bbox = arg; return 0;
	case OPT_GEOJSON: c->geojson_file = arg; return 0;
	case 'o': c->output = arg; return 0;
	case OPT_WAIT: c->wait = 1; return 0;
	case OPT_FORMAT:
		if (strcmp(arg, "gpkg") != 0 && strcmp(arg, "geojson") != 0)
			return ctl_usage_error(c, "--format \"%s\": gpkg or geojson", arg);
		c->format = arg;
		return 0;
	case OPT_REGION: return region_code(c, arg, c->scope, sizeof c->scope) ? EXIT_USAGE : 0;
	case OPT_NOTE: c->note = arg; return 0;
	default: return whatif_opt(c, opt, arg);
	}
}

/* "--bbox" or "-k" for an option value. */
static const char *opt_name(int opt, char *buf, size_t len)
{
	for (const struct option *o = long_opts; o->name; o++)
		if (o->val == opt) {
			snprintf(buf, len, "--%s", o->name);
			return buf;
		}
	snprintf(buf, len, "-%c", opt);
	return buf;
}

static int handle_opt(struct ctl *c, int opt, char *arg, const char *last)
{
	unsigned bit = opt_bit(opt);
	char word[32];
	if (opt == '?' && optopt >= 256)
		return ctl_usage_error(c, "option \"%s\" takes no value", opt_name(optopt, word,
				   sizeof word));
	if (opt == '?' && optopt)
		return ctl_usage_error(c, "unknown option \"-%c\"", optopt);
	if (opt == '?')
		return ctl_usage_error(c, "unknown option \"%s\"", last);
	if (opt == ':')
		return ctl_usage_error(c, "option \"%s\" needs a value", optopt ? opt_name(optopt, word,
				   sizeof word) : last);
	opt_name(opt, word, sizeof word);
	if (bit && !c->cmd)
		return ctl_usage_error(c, "option \"%s\" belongs after its command", word);
	if (bit && !(c->cmd->opts & bit))
		return ctl_usage_error(c, "%s takes no option \"%s\"", c->cmd->name, word);
	return bit ? command_opt(c, opt, arg) : global_opt(c, opt, arg);
}

static int parse_opts(struct ctl *c, int argc, char **argv, const char *optstring)
{
	int opt, rc;
	opterr = 0;
	while ((opt = getopt_long(argc, argv, optstring, long_opts, NULL)) != -1)
		if ((rc = handle_opt(c, opt, optarg, argv[optind - 1])) != 0)
			return rc;
	return 0;
}

/* Global options, the command, then its options and words (in any order). */
static int parse_command_line(struct ctl *c, int argc, char **argv)
{
	int rc = parse_opts(c, argc, argv, "+:c:hV");
	if (rc)
		return rc;
	if (optind >= argc) {
		ctl_usage(stderr);
		return EXIT_USAGE;
	}
	if (!(c->cmd = find_command(argv[optind]))) {
		fprintf(stderr, "hubctl: unknown command \"%s\" (see hubctl --help)\n", argv[optind]);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	optind = 0;                   /* glibc: start afresh on the command's words */
	rc = parse_opts(c, argc, argv, ":c:hVk:o:n:");
	c->npos = argc - optind;
	c->pos = argv + optind;
	return rc;
}

/* ---- building the params ---- */

static int no_words(const struct ctl *c)
{
	return c->npos ? ctl_usage_error(c, "unexpected argument \"%s\"", c->pos[0]) : 0;
}

/* VRnn, GMnnnn, WKnnnnnn or BUnnnnnnnn (any case; sent in upper case). */
static int region_code(const struct ctl *c, const char *word, char *code, size_t len)
{
	static const struct { const char *prefix; size_t digits; } kinds[] = {
		{"VR", 2}, {"GM", 4}, {"WK", 6}, {"BU", 8},
	};
	size_t n = strlen(word);
	if (n >= len)
		n = len - 1;
	for (size_t i = 0; i < n; i++)
		code[i] = (char)toupper((unsigned char)word[i]);
	code[n] = '\0';
	for (size_t k = 0; k < 4; k++)
		if (strncmp(code, kinds[k].prefix, 2) == 0 && n == 2 + kinds[k].digits &&
		    strspn(code + 2, "0123456789") == kinds[k].digits)
			return 0;
	return ctl_usage_error(c, "\"%s\" is not a region code: VRnn (safety region), GMnnnn "
			   "(gemeente), WKnnnnnn (wijk) or BUnnnnnnnn (buurt)", word);
}

static int bbox_param(const struct ctl *c, json_t *params)
{
	double b[4];
	if (ctl_parse_numbers(c->bbox, b, 4) < 0)
		return ctl_usage_error(c, "--bbox \"%s\": four numbers MINX,MINY,MAXX,MAXY expected",
				   c->bbox);
	if (fabs(b[2]) <= 360 && fabs(b[3]) <= 360)
		return ctl_usage_error(c, "--bbox \"%s\" looks like degrees: give RD New metres, e.g. "
				   "120000,480000,125000,490000", c->bbox);
	if (!(b[0] < b[2] && b[1] < b[3]))
		return ctl_usage_error(c, "--bbox \"%s\": MINX must be below MAXX and MINY below MAXY",
				   c->bbox);
	json_object_set_new(params, "bbox", json_pack("[f, f, f, f]", b[0], b[1], b[2], b[3]));
	return 0;
}

/* "region" from the one word, or "bbox" from --bbox; required: one of them must be given. */
static int selection_param(const struct ctl *c, json_t *params, int required)
{
	char code[16];
	if (c->npos > 1)
		return ctl_usage_error(c, "one region expected, not also \"%s\"", c->pos[1]);
	if (c->bbox && c->npos)
		return ctl_usage_error(c, "give a region or --bbox, not both");
	if (c->bbox)
		return bbox_param(c, params);
	if (c->npos == 0)
		return required ? ctl_usage_error(c, "give a region (VRnn, GMnnnn, WKnnnnnn or "
					      "BUnnnnnnnn)%s", c->cmd->opts & O_BBOX
					      ? " or --bbox MINX,MINY,MAXX,MAXY" : "") : 0;
	if (region_code(c, c->pos[0], code, sizeof code))
		return EXIT_USAGE;
	json_object_set_new(params, "region", json_string(code));
	return 0;
}

static int build_coverage(struct ctl *c, json_t *params)
{
	double a, b;
	if (c->npos != 2)
		return ctl_usage_error(c, "%s", c->rd ? "give X Y (RD New metres)"
				   : "give LAT LON (degrees)");
	if (ctl_parse_number(c->pos[0], &a) < 0 || ctl_parse_number(c->pos[1], &b) < 0)
		return ctl_usage_error(c, "\"%s %s\": two numbers expected", c->pos[0], c->pos[1]);
	if (!c->rd && ctl_swapped(a, b))
		return ctl_usage_error(c, "\"%s %s\" looks like LON LAT: give LAT first", c->pos[0],
				   c->pos[1]);
	if (c->k > 32)
		return ctl_usage_error(c, "-k %d: at most 32", c->k);
	json_object_set_new(params, "point", ctl_point_json(c->rd, a, b));
	if (c->k)
		json_object_set_new(params, "k", json_integer(c->k));
	return 0;
}

/* designate/reject/release: SITE (an id or SOURCE:SOURCE_ID), LAT LON, or --rd X Y; the
 * note, and who ran sudo (the daemon sees the uid sudo switched to, not the person). */
static int build_status_change(struct ctl *c, json_t *params)
{
	const char *sudo_user = getenv("SUDO_USER");
	int rc = 0;
	if (c->npos == 1 && !c->rd)
		json_object_set_new(params, "site", json_string(c->pos[0]));
	else if (c->npos == 2 || c->rd)
		rc = build_coverage(c, params);
	else
		rc = ctl_usage_error(c, "give a SITE (id or SOURCE:SOURCE_ID), LAT LON or --rd X Y");
	if (rc == 0 && c->note)
		json_object_set_new(params, "note", json_string(c->note));
	if (rc == 0 && sudo_user && sudo_user[0] && strlen(sudo_user) <= 64)
		json_object_set_new(params, "by", json_string(sudo_user));
	return rc;
}

static int build_gaps(struct ctl *c, json_t *params)
{
	int rc = selection_param(c, params, 1);
	if (rc == 0 && c->worst >= 0)
		json_object_set_new(params, "worst", json_integer(c->worst));
	if (rc == 0 && c->geojson_file)
		json_object_set_new(params, "geojson", json_true());
	return rc;
}

static int build_stats(struct ctl *c, json_t *params)
{
	return selection_param(c, params, 0);
}

static int build_sites(struct ctl *c, json_t *params)
{
	int rc = selection_param(c, params, 1);
	if (rc == 0 && c->level)
		json_object_set_new(params, "level", json_string(c->level));
	return rc;
}

static int build_suggest(struct ctl *c, json_t *params)
{
	int rc = selection_param(c, params, 1);
	if (rc == 0 && c->k)
		json_object_set_new(params, "k", json_integer(c->k));
	return rc;
}

static int build_resilience(struct ctl *c, json_t *params)
{
	int rc = selection_param(c, params, 1);
	if (rc == 0 && c->limit >= 0)
		json_object_set_new(params, "limit", json_integer(c->limit));
	return rc;
}

static int build_whatif(struct ctl *c, json_t *params)
{
	if (no_words(c))
		return EXIT_USAGE;
	if (json_array_size(c->add) + json_array_size(c->remove) == 0 && !c->fail)
		return ctl_usage_error(c, "give at least one --add, --add-rd, --add-candidate, --remove,"
				   " --fail or --fail-geojson");
	if (json_array_size(c->add))
		json_object_set(params, "add", c->add);
	if (json_array_size(c->remove))
		json_object_set(params, "remove", c->remove);
	if (c->fail)
		json_object_set(params, "fail", c->fail);
	if (c->fail && c->k)
		json_object_set_new(params, "replace", json_integer(c->k > 20 ? 20 : c->k));
	return 0;
}

static int build_none(struct ctl *c, json_t *params)
{
	(void)params;
	return no_words(c);
}

static int build_summary(struct ctl *c, json_t *params)
{
	(void)params;
	if (c->json)
		return ctl_usage_error(c, "summary has no --json output");
	return no_words(c);
}

/* export --format gpkg|geojson [--region R] FILE: the format from --format, else from
 * FILE's extension. */
static int build_export(struct ctl *c, json_t *params)
{
	(void)params;
	if (c->npos != 1)
		return ctl_usage_error(c, c->npos ? "one FILE expected, not also \"%s\"" : "give the "
				   "output FILE", c->npos ? c->pos[1] : "");
	const char *dot = strrchr(c->pos[0], '.');
	if (!c->format && dot && (strcmp(dot, ".gpkg") == 0 || strcmp(dot, ".geojson") == 0 ||
				  strcmp(dot, ".json") == 0))
		c->format = strcmp(dot, ".gpkg") == 0 ? "gpkg" : "geojson";
	if (!c->format)
		return ctl_usage_error(c, "give --format gpkg or --format geojson");
	return c->json ? ctl_usage_error(c, "export has no --json output") : 0;
}

static int build_report(struct ctl *c, json_t *params)
{
	(void)params;
	if (!c->output)
		return ctl_usage_error(c, "give the output file with -o FILE");
	return c->json ? ctl_usage_error(c, "report has no --json output") : no_words(c);
}

/* diff [PLAN_A [PLAN_B]]: plan ids (1 or more) as "from" and "to"; --region VRnn or GMnnnn. */
static int build_diff(struct ctl *c, json_t *params)
{
	static const char *const keys[] = {"from", "to"};
	if (c->npos > 2)
		return ctl_usage_error(c, "at most two plan ids expected, not also \"%s\"", c->pos[2]);
	for (int k = 0; k < c->npos; k++) {
		int id;
		if (ctl_parse_int(c->pos[k], 1, 2147483647L, &id) < 0)
			return ctl_usage_error(c, "\"%s\": a plan id (a whole number, 1 or more) expected",
					   c->pos[k]);
		json_object_set_new(params, keys[k], json_integer(id));
	}
	if (c->scope[0] && strncmp(c->scope, "VR", 2) != 0 && strncmp(c->scope, "GM", 2) != 0)
		return ctl_usage_error(c, "--region %s: diff counts per safety region (VRnn) or gemeente "
				   "(GMnnnn) only", c->scope);
	if (c->scope[0])
		json_object_set_new(params, "region", json_string(c->scope));
	if (c->level)
		json_object_set_new(params, "level", json_string(c->level));
	return 0;
}

static int run_export(struct ctl *c, json_t *params)
{
	(void)params;
	return ctl_map_export(&c->cfg, c->lang, c->scope[0] ? c->scope : NULL,
			      strcmp(c->format, "gpkg") == 0, c->pos[0]);
}

static int run_report(struct ctl *c, json_t *params)
{
	(void)params;
	return ctl_map_report(&c->cfg, c->lang, c->scope[0] ? c->scope : NULL, c->output);
}

/* ---- output ---- */

static void dump(json_t *v, FILE *out)
{
	json_dumpf(v, out, JSON_INDENT(2) | JSON_REAL_PRECISION(15));
	fputc('\n', out);
}

/* Writes v as indented JSON to path ("-" is stdout). 0 or EXIT_FAILURE_RUN (printed). */
static int write_json(const char *path, json_t *v)
{
	FILE *f = strcmp(path, "-") == 0 ? stdout : fopen(path, "w");
	int bad;
	if (!f) {
		fprintf(stderr, "hubctl: %s: %s\n", path, strerror(errno));
		return EXIT_FAILURE_RUN;
	}
	bad = json_dumpf(v, f, JSON_INDENT(2) | JSON_REAL_PRECISION(15)) < 0 || fputc('\n', f) == EOF;
	bad |= f == stdout ? fflush(f) != 0 : fclose(f) != 0;
	if (bad) {
		fprintf(stderr, "hubctl: %s: %s\n", path, strerror(errno));
		return EXIT_FAILURE_RUN;
	}
	return 0;
}

static int output(const struct ctl *c, json_t *result)
{
	if (c->json || !c->cmd->print)
		dump(result, stdout);
	else
		c->cmd->print(result, stdout);
	return EXIT_OK;
}

/* ---- commands ---- */

static int run_method(struct ctl *c, json_t *params)
{
	json_t *result;
	int rc = ctl_request(c, c->cmd->method, params, &result);
	if (rc == 0)
		rc = output(c, result);
	json_decref(result);
	return rc;
}

static int run_gaps(struct ctl *c, json_t *params)
{
	json_t *result;
	int rc = ctl_request(c, "gaps", params, &result);
	if (rc == 0 && c->geojson_file)
		rc = write_json(c->geojson_file, json_object_get(result, "uncovered_geojson"));
	if (rc == 0)
		rc = output(c, result);
	if (rc == 0 && c->geojson_file && !c->json && strcmp(c->geojson_file, "-") != 0)
		printf(LANG_PICK(c->lang, HT_UNCOVERED_WRITTEN), c->geojson_file);
	json_decref(result);
	return rc;
}

static int run_sites(struct ctl *c, json_t *params)
{
	json_t *result;
	int rc = ctl_request(c, "sites", params, &result);
	if (rc == 0)
		rc = write_json(c->output ? c->output : "-", result);
	if (rc == 0 && c->output && strcmp(c->output, "-") != 0) {
		ctl_print_sites_count(result, stdout);
		printf(LANG_PICK(c->lang, HT_WRITTEN_TO), c->output);
	}
	json_decref(result);
	return rc;
}

static int run_note(struct ctl *c, json_t *params)
{
	json_t *result;
	int rc = ctl_request(c, c->cmd->method, params, &result);
	if (rc == 0 && c->json)
		dump(result, stdout);
	else if (rc == 0 && strcmp(c->cmd->method, "reload") == 0)
		fputs(LANG_PICK(c->lang, HT_RELOAD_NOTE), stdout);
	else if (rc == 0)
		fputs(LANG_PICK(c->lang, HT_RC_STARTED_NOTE), stdout);
	json_decref(result);
	return rc;
}

static int run_summary(struct ctl *c, json_t *params)
{
	struct store *st = NULL;
	struct store_summary sum;
	char err[ERRLEN];
	(void)params;
	if (store_open(c->cfg.database, STORE_READONLY, &st, err, sizeof err) < 0 ||
	    store_summary(st, &sum, err, sizeof err) < 0) {
		fprintf(stderr, "hubctl summary: %s\n", err);
		store_close(st);
		return EXIT_FAILURE_RUN;
	}
	store_close(st);
	import_summary_print(&sum, stdout);
	return EXIT_OK;
}

/* recompute --wait follows it (hubctl_conn.c); without --wait, a short note. */
static int run_recompute(struct ctl *c, json_t *params)
{
	json_t *st;
	int rc;
	if (!c->wait)
		return run_note(c, params);
	rc = ctl_run_recompute(c, &st);
	if (st && c->json)
		dump(st, stdout);
	json_decref(st);
	return rc;
}

/* With --db the database is read directly; otherwise the daemon answers `changes`. */
static int run_diff(struct ctl *c, json_t *params)
{
	json_t *result;
	if (!c->common.db)
		return run_method(c, params);
	int rc = ctl_diff_from_db(&c->cfg, params, &result);
	if (rc == 0)
		rc = output(c, result);
	json_decref(result);
	return rc;
}

/* ---- the command table and main ---- */

static const struct command commands[] = {
	{"coverage", "coverage", O_RD | O_K, "coverage LAT LON | --rd X Y [-k N]",
	 build_coverage, run_method, ctl_print_coverage},
	{"gaps", "gaps", O_BBOX | O_WORST | O_GEOJSON,
	 "gaps REGION | --bbox MINX,MINY,MAXX,MAXY [--worst N] [--geojson FILE]", build_gaps,
	 run_gaps, ctl_print_gaps},
	{"stats", "stats", 0, "stats [REGION]", build_stats, run_method, ctl_print_stats},
	{"sites", "sites", O_BBOX | O_LEVEL | O_OUTPUT,
	 "sites REGION | --bbox MINX,MINY,MAXX,MAXY [--level local|regional] [-o FILE]",
	 build_sites, run_sites, NULL},
	{"whatif", "whatif", O_WHATIF | O_K, "whatif [--add LAT,LON]... [--add-rd X,Y]... "
	 "[--add-candidate ID]... [--remove SEQ]... [--fail REGION | --fail-geojson FILE] [-k N]",
	 build_whatif, run_method, ctl_print_whatif},
	{"suggest", "suggest", O_BBOX | O_K, "suggest REGION | --bbox MINX,MINY,MAXX,MAXY [-k N]",
	 build_suggest, run_method, ctl_print_suggest},
	{"resilience", "resilience", O_LIMIT, "resilience REGION [-n N]", build_resilience,
	 run_method, ctl_print_resilience},
	{"status", "status", 0, "status", build_none, run_method, ctl_print_status},
	{"recompute", "recompute", O_WAIT, "recompute [--wait]", build_none, run_recompute, NULL},
	{"reload", "reload", 0, "reload", build_none, run_note, NULL},
	{"designate", "designate", O_RD | O_NOTE, "designate SITE | LAT LON | --rd X Y "
	 "[--note TEXT]", build_status_change, run_method, ctl_print_status_change},
	{"reject", "reject", O_RD | O_NOTE, "reject SITE | LAT LON | --rd X Y [--note TEXT]",
	 build_status_change, run_method, ctl_print_status_change},
	{"release", "release", O_RD, "release SITE | LAT LON | --rd X Y",
	 build_status_change, run_method, ctl_print_status_change},
	{"statuses", "statuses", 0, "statuses [REGION]", build_stats, run_method,
	 ctl_print_statuses},
	{"diff", "changes", O_LEVEL | O_REGION, "diff [PLAN_A [PLAN_B]] [--level local|regional] "
	 "[--region VRnn|GMnnnn]", build_diff, run_diff, ctl_print_changes},
	{"summary", NULL, 0, "summary", build_summary, run_summary, NULL},
	{"export", NULL, O_FORMAT | O_REGION, "export --format gpkg|geojson [--region REGION] "
	 "FILE", build_export, run_export, NULL},
	{"report", NULL, O_REGION | O_OUTPUT, "report [--region REGION] -o FILE", build_report,
	 run_report, NULL},
};

static const struct command *find_command(const char *name)
{
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

static int load_config(struct ctl *c)
{
	char err[ERRLEN];
	if (cli_load_config(&c->common, &c->cfg, err, sizeof err) < 0) {
		fprintf(stderr, "hubctl: %s\n", err);
		return EXIT_CONFIG;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct ctl c;          /* static: struct config is large */
	json_t *params = json_object();
	int rc;
	c.fd = -1;
	c.timeout_s = DEFAULT_TIMEOUT_S;
	c.worst = -1;
	c.limit = -1;
	c.lang = lang_from_env();
	rc = params ? parse_command_line(&c, argc, argv) : EXIT_FAILURE_RUN;
	ctl_print_set_lang(c.lang);
	if (rc == 0)
		rc = c.cmd->build(&c, params);
	if (rc == 0)
		rc = load_config(&c);
	if (rc == 0)
		rc = c.cmd->run(&c, params);
	json_decref(params);
	ctl_close(&c);
	return rc;
}
