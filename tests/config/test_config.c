/* Unit tests for config/: defaults, the shipped file, every error message with its line,
 * ranges at both ends, config_set, the dump round trip and small error buffers.
 * Touches only temporary files; needs no data and no daemon. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "tests/lib/testutil.h"

#define SHIPPED_CONF HUB_SOURCE_DIR "/config/hubplanner.conf"
#define ERR_MAX 4096
#define DUMP_MAX 65536

static void assert_config_equal(const struct config *a, const struct config *b)
{
	assert_string_equal(a->database, b->database);
	assert_string_equal(a->socket, b->socket);
	assert_int_equal(a->max_clients, b->max_clients);
	assert_int_equal(a->idle_timeout_s, b->idle_timeout_s);
	assert_int_equal(a->max_line_bytes, b->max_line_bytes);
	assert_int_equal(a->write_queue_bytes, b->write_queue_bytes);
	assert_string_equal(a->proj_grid_dir, b->proj_grid_dir);
	for (int i = 0; i < CONFIG_URBANITY_CLASSES; i++) {
		assert_int_equal(a->local_radius_m[i], b->local_radius_m[i]);
		assert_int_equal(a->regional_radius_m[i], b->regional_radius_m[i]);
	}
	assert_true(a->detour_factor == b->detour_factor);
	assert_int_equal(a->sample_spacing_urban_m, b->sample_spacing_urban_m);
	assert_int_equal(a->sample_spacing_rural_m, b->sample_spacing_rural_m);
	assert_true(a->coverage_target_pct == b->coverage_target_pct);
	assert_int_equal(a->max_residents_per_site, b->max_residents_per_site);
	assert_int_equal(a->local_sites, b->local_sites);
	assert_int_equal(a->regional_sites, b->regional_sites);
	assert_string_equal(a->local_mode, b->local_mode);
	assert_int_equal(a->seed, b->seed);
	assert_true(a->weight_65plus == b->weight_65plus);
	assert_true(a->weight_no_car == b->weight_no_car);
	assert_true(a->weight_medical == b->weight_medical);
}

/* Parses text named "x.conf" on top of the defaults. */
static int parse(struct config *cfg, const char *text, char *err)
{
	config_defaults(cfg);
	return config_parse_string(cfg, "x.conf", text, err, ERR_MAX);
}

/* A config where every key differs from its default (and doubles need full precision). */
static void other_config(struct config *cfg)
{
	static const char *const sets[][3] = {
		{ "store", "database", "/tmp/a b/hub=1.db" },
		{ "daemon", "socket", "/tmp/hub;#.sock" },
		{ "daemon", "max_clients", "1" },
		{ "daemon", "idle_timeout_s", "0" },
		{ "daemon", "max_line_bytes", "1048576" },
		{ "daemon", "write_queue_bytes", "4096" },
		{ "proj", "grid_dir", "" },
		{ "plan", "local_radius_class1_m", "50" },
		{ "plan", "local_radius_class2_m", "51" },
		{ "plan", "local_radius_class3_m", "52" },
		{ "plan", "local_radius_class4_m", "53" },
		{ "plan", "local_radius_class5_m", "20000" },
		{ "plan", "regional_radius_class1_m", "500" },
		{ "plan", "regional_radius_class2_m", "501" },
		{ "plan", "regional_radius_class3_m", "502" },
		{ "plan", "regional_radius_class4_m", "503" },
		{ "plan", "regional_radius_class5_m", "50000" },
		{ "plan", "detour_factor", "1.2345678901234567" },
		{ "plan", "sample_spacing_urban_m", "25" },
		{ "plan", "sample_spacing_rural_m", "10000" },
		{ "plan", "coverage_target_pct", "99.99999999999999" },
		{ "plan", "max_residents_per_site", "1000000" },
		{ "plan", "local_sites", "100000" },
		{ "plan", "regional_sites", "1" },
		{ "plan", "local_mode", "budget" },
		{ "plan", "seed", "2147483647" },
		{ "plan", "weight_65plus", "0.1" },
		{ "plan", "weight_no_car", "1e-300" },
		{ "plan", "weight_medical", "100" },
	};
	char err[ERR_MAX];
	config_defaults(cfg);
	for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
		assert_int_equal(config_set(cfg, sets[i][0], sets[i][1], sets[i][2], err, sizeof err),
				 0);
	}
}

static void test_defaults(void **state)
{
	(void)state;
	static const int local[] = { 750, 1000, 1500, 2500, 5000 };
	static const int regional[] = { 5000, 5000, 5000, 10000, 10000 };
	struct config c;
	memset(&c, 0xa5, sizeof c);
	config_defaults(&c);
	assert_string_equal(c.database, "/var/lib/hubplanner/hubplanner.db");
	assert_string_equal(c.socket, "/run/hubplanner/hubplanner.sock");
	assert_int_equal(c.max_clients, 256);
	assert_int_equal(c.idle_timeout_s, 300);
	assert_int_equal(c.max_line_bytes, 65536);
	assert_int_equal(c.write_queue_bytes, 8388608);
	assert_string_equal(c.proj_grid_dir, "/usr/share/hubplanner/proj");
	for (int i = 0; i < CONFIG_URBANITY_CLASSES; i++) {
		assert_int_equal(c.local_radius_m[i], local[i]);
		assert_int_equal(c.regional_radius_m[i], regional[i]);
	}
	assert_true(c.detour_factor == 1.0);
	assert_int_equal(c.sample_spacing_urban_m, 200);
	assert_int_equal(c.sample_spacing_rural_m, 500);
	assert_true(c.coverage_target_pct == 99.0);
	assert_int_equal(c.max_residents_per_site, 5000);
	assert_int_equal(c.local_sites, 4500);
	assert_int_equal(c.regional_sites, 1000);
	assert_string_equal(c.local_mode, "target");
	assert_int_equal(c.seed, 1);
	assert_true(c.weight_65plus == 0.5);
	assert_true(c.weight_no_car == 0.3);
	assert_true(c.weight_medical == 4.0);
}

/* The shipped file sets every key (parsing on top of other values gives the defaults). */
static void test_shipped_file_equals_defaults(void **state)
{
	(void)state;
	struct config c, d;
	char err[ERR_MAX] = "untouched";
	other_config(&c);
	config_defaults(&d);
	assert_int_equal(config_load(&c, SHIPPED_CONF, err, sizeof err), 0);
	assert_string_equal(err, "");
	assert_config_equal(&c, &d);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf = calloc(1, DUMP_MAX);
	assert_non_null(f);
	assert_non_null(buf);
	size_t n = fread(buf, 1, DUMP_MAX - 1, f);
	assert_true(n < DUMP_MAX - 1);
	fclose(f);
	return buf;
}

/* The shipped file is exactly what config_dump writes for the defaults, so its comments
 * come from the same key table (type, range, default, meaning for every key). */
static void test_shipped_file_is_dump_of_defaults(void **state)
{
	(void)state;
	struct config d;
	char *dump = malloc(DUMP_MAX);
	char *file = read_all(SHIPPED_CONF);
	assert_non_null(dump);
	config_defaults(&d);
	int n = config_dump(&d, dump, DUMP_MAX);
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(dump));
	assert_string_equal(file, dump);
	assert_non_null(strstr(file, "\n; integer 50..20000, default 750: "));
	assert_non_null(strstr(file, "\n; one of target|budget, default target: "));
	assert_non_null(strstr(file, "\n; number 1.0..3.0, default 1.0: "));
	free(dump);
	free(file);
}

struct err_case {
	const char *text;
	const char *err;
};

static void test_error_messages(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
		{ "[plan]\nlocal_radius_class1_m = 0\n",
		  "x.conf:2: local_radius_class1_m: 0 is out of range 50..20000" },
		{ "\n\n[daemon]\nmax_clients = abc\n",
		  "x.conf:4: max_clients: \"abc\" is not an integer" },
		{ "[plan]\n\n\n\ndetour_factor = 1.2x\n",
		  "x.conf:5: detour_factor: \"1.2x\" is not a number" },
		{ "[plan]\nlocal_mode = fast\n",
		  "x.conf:2: local_mode: \"fast\" is not one of target|budget" },
		{ "[plan]\nfoo = 1\n", "x.conf:2: unknown key \"foo\" in section [plan]" },
		{ "; c\n[bogus]\nfoo = 1\nbar = 2\n", "x.conf:2: unknown section [bogus]" },
		{ "[plan]\n\n\ngarbage\n", "x.conf:4: expected \"key = value\", got \"garbage\"" },
		{ "[plan]\n= 5\n", "x.conf:2: expected \"key = value\", got \"= 5\"" },
		{ "[plan\nseed = 2\n", "x.conf:1: expected \"[section]\", got \"[plan\"" },
		{ "[plan] x\n", "x.conf:1: expected \"[section]\", got \"[plan] x\"" },
		{ "[plan]\n\nseed = 2\n\n\n\n\nseed = 3\n",
		  "x.conf:8: seed: set twice (first on line 3)" },
		{ "seed = 2\n[plan]\n", "x.conf:1: seed: key before the first [section]" },
		{ "[daemon]\nmax_clients =\n", "x.conf:2: max_clients: missing value" },
		{ "[plan]\ndetour_factor = \n", "x.conf:2: detour_factor: missing value" },
		{ "[plan]\nlocal_mode=\n", "x.conf:2: local_mode: missing value" },
		{ "[plan]\nlocal_mode = Target\n",
		  "x.conf:2: local_mode: \"Target\" is not one of target|budget" },
		{ "[store]\ndatabase =\n", "x.conf:2: database: must not be empty" },
		{ "[daemon]\nsocket = \n", "x.conf:2: socket: must not be empty" },
		{ "[store]\ndatabase = a\tb\n",
		  "x.conf:2: database: path contains a control character" },
		{ "[store]\nsocket = /tmp/s\n", "x.conf:2: unknown key \"socket\" in section [store]" },
		{ "[plan]\nmax_clients = 5\n",
		  "x.conf:2: unknown key \"max_clients\" in section [plan]" },
		/* inih ends the key at an inline comment, so it finds no '=' */
		{ "[plan]\nseed ;note = 2\n",
		  "x.conf:2: expected \"key = value\", got \"seed ;note = 2\"" },
		{ "[plan]\nseed = ; only a note\n", "x.conf:2: seed: missing value" },
		{ "[plan]\nseed: 2\n", "x.conf:2: expected \"key = value\", got \"seed: 2\"" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config c;
		char err[ERR_MAX];
		print_message("case %zu\n", i);
		assert_int_equal(parse(&c, cases[i].text, err), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
}

static void test_number_syntax(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
		{ "[daemon]\nmax_clients = 12abc\n", "x.conf:2: max_clients: \"12abc\" is not an integer" },
		{ "[daemon]\nmax_clients = 1.5\n", "x.conf:2: max_clients: \"1.5\" is not an integer" },
		{ "[daemon]\nmax_clients = 0x10\n", "x.conf:2: max_clients: \"0x10\" is not an integer" },
		{ "[daemon]\nmax_clients = 1 2\n", "x.conf:2: max_clients: \"1 2\" is not an integer" },
		{ "[daemon]\nmax_clients = -\n", "x.conf:2: max_clients: \"-\" is not an integer" },
		{ "[daemon]\nmax_clients = 99999999999999999999\n",
		  "x.conf:2: max_clients: 99999999999999999999 is out of range 1..65536" },
		{ "[daemon]\nmax_clients = -99999999999999999999\n",
		  "x.conf:2: max_clients: -99999999999999999999 is out of range 1..65536" },
		{ "[plan]\nseed = 2147483648\n", "x.conf:2: seed: 2147483648 is out of range 0..2147483647" },
		{ "[plan]\nweight_65plus = nan\n", "x.conf:2: weight_65plus: \"nan\" is not a number" },
		{ "[plan]\nweight_65plus = inf\n", "x.conf:2: weight_65plus: \"inf\" is not a number" },
		{ "[plan]\nweight_65plus = -infinity\n",
		  "x.conf:2: weight_65plus: \"-infinity\" is not a number" },
		{ "[plan]\nweight_65plus = 0.5.1\n", "x.conf:2: weight_65plus: \"0.5.1\" is not a number" },
		{ "[plan]\nweight_65plus = 1e999\n",
		  "x.conf:2: weight_65plus: 1e999 is out of range 0.0..10.0" },
		{ "[plan]\nweight_65plus = .\n", "x.conf:2: weight_65plus: \".\" is not a number" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config c;
		char err[ERR_MAX];
		print_message("case %zu\n", i);
		assert_int_equal(parse(&c, cases[i].text, err), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
}

struct int_range {
	const char *section, *key;
	size_t offset;
	long min, max;
};

#define IR(sec, key, field, lo, hi) { sec, key, offsetof(struct config, field), lo, hi }

/* Parses "[section]\nkey = value\n"; on success returns 0 and leaves the result in c. */
static int parse_one(struct config *c, const char *section, const char *key, const char *value,
		     char *err)
{
	char text[512];
	snprintf(text, sizeof text, "[%s]\n%s = %s\n", section, key, value);
	return parse(c, text, err);
}

static void check_int_bound(const struct int_range *r, long v, int ok)
{
	struct config c;
	char value[32], err[ERR_MAX], want[256];
	snprintf(value, sizeof value, "%ld", v);
	print_message("%s.%s = %s\n", r->section, r->key, value);
	if (ok) {
		int got;
		assert_int_equal(parse_one(&c, r->section, r->key, value, err), 0);
		memcpy(&got, (char *)&c + r->offset, sizeof got);
		assert_int_equal(got, v);
		return;
	}
	snprintf(want, sizeof want, "x.conf:2: %s: %ld is out of range %ld..%ld", r->key, v,
		 r->min, r->max);
	assert_int_equal(parse_one(&c, r->section, r->key, value, err), -EINVAL);
	assert_string_equal(err, want);
}

static void test_int_ranges(void **state)
{
	(void)state;
	static const struct int_range ranges[] = {
		IR("daemon", "max_clients", max_clients, 1, 65536),
		IR("daemon", "idle_timeout_s", idle_timeout_s, 0, 86400),
		IR("daemon", "max_line_bytes", max_line_bytes, 1024, 1048576),
		IR("daemon", "write_queue_bytes", write_queue_bytes, 4096, 268435456),
		IR("plan", "local_radius_class1_m", local_radius_m[0], 50, 20000),
		IR("plan", "local_radius_class2_m", local_radius_m[1], 50, 20000),
		IR("plan", "local_radius_class3_m", local_radius_m[2], 50, 20000),
		IR("plan", "local_radius_class4_m", local_radius_m[3], 50, 20000),
		IR("plan", "local_radius_class5_m", local_radius_m[4], 50, 20000),
		IR("plan", "regional_radius_class1_m", regional_radius_m[0], 500, 50000),
		IR("plan", "regional_radius_class2_m", regional_radius_m[1], 500, 50000),
		IR("plan", "regional_radius_class3_m", regional_radius_m[2], 500, 50000),
		IR("plan", "regional_radius_class4_m", regional_radius_m[3], 500, 50000),
		IR("plan", "regional_radius_class5_m", regional_radius_m[4], 500, 50000),
		IR("plan", "sample_spacing_urban_m", sample_spacing_urban_m, 25, 5000),
		IR("plan", "sample_spacing_rural_m", sample_spacing_rural_m, 25, 10000),
		IR("plan", "max_residents_per_site", max_residents_per_site, 100, 1000000),
		IR("plan", "local_sites", local_sites, 1, 100000),
		IR("plan", "regional_sites", regional_sites, 1, 10000),
		IR("plan", "seed", seed, 0, 2147483647),
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		check_int_bound(&ranges[i], ranges[i].min - 1, 0);
		check_int_bound(&ranges[i], ranges[i].min, 1);
		check_int_bound(&ranges[i], ranges[i].max, 1);
		check_int_bound(&ranges[i], ranges[i].max + 1, 0);
	}
}

struct double_range {
	const char *key;
	size_t offset;
	const char *below, *min, *max, *above, *range;
};

#define DR(key, field, below, lo, hi, above, range) \
	{ key, offsetof(struct config, field), below, lo, hi, above, range }

static void check_double_bound(const struct double_range *r, const char *value, int ok)
{
	struct config c;
	char err[ERR_MAX], want[256];
	print_message("plan.%s = %s\n", r->key, value);
	if (ok) {
		double got;
		assert_int_equal(parse_one(&c, "plan", r->key, value, err), 0);
		memcpy(&got, (char *)&c + r->offset, sizeof got);
		assert_true(got == strtod(value, NULL));
		return;
	}
	snprintf(want, sizeof want, "x.conf:2: %s: %s is out of range %s", r->key, value,
		 r->range);
	assert_int_equal(parse_one(&c, "plan", r->key, value, err), -EINVAL);
	assert_string_equal(err, want);
}

static void test_double_ranges(void **state)
{
	(void)state;
	static const struct double_range ranges[] = {
		DR("detour_factor", detour_factor, "0.999", "1", "3.0", "3.0001", "1.0..3.0"),
		DR("coverage_target_pct", coverage_target_pct, "49.99", "50", "100", "100.5",
		   "50.0..100.0"),
		DR("weight_65plus", weight_65plus, "-0.001", "0", "10", "10.01", "0.0..10.0"),
		DR("weight_no_car", weight_no_car, "-1", "0.0", "10.0", "11", "0.0..10.0"),
		DR("weight_medical", weight_medical, "-1e-9", "0", "1e2", "100.000001",
		   "0.0..100.0"),
	};
	for (size_t i = 0; i < sizeof ranges / sizeof ranges[0]; i++) {
		check_double_bound(&ranges[i], ranges[i].below, 0);
		check_double_bound(&ranges[i], ranges[i].min, 1);
		check_double_bound(&ranges[i], ranges[i].max, 1);
		check_double_bound(&ranges[i], ranges[i].above, 0);
	}
}

static void test_path_limits(void **state)
{
	(void)state;
	struct config c;
	char err[ERR_MAX];
	char *path = malloc(CONFIG_PATH_MAX + 16);
	assert_non_null(path);
	/* socket: 107 bytes fit in sun_path, 130 do not */
	memset(path, 's', 130);
	path[0] = '/';
	path[107] = '\0';
	assert_int_equal(parse_one(&c, "daemon", "socket", path, err), 0);
	assert_int_equal(strlen(c.socket), 107);
	path[107] = 's';
	path[130] = '\0';
	assert_int_equal(parse_one(&c, "daemon", "socket", path, err), -EINVAL);
	assert_string_equal(err, "x.conf:2: socket: path is 130 bytes, the limit is 107");
	/* database: up to CONFIG_PATH_MAX - 1, only with config_set (a file line holds 199) */
	memset(path, 'd', CONFIG_PATH_MAX);
	path[CONFIG_PATH_MAX - 1] = '\0';
	config_defaults(&c);
	assert_int_equal(config_set(&c, "store", "database", path, err, sizeof err), 0);
	assert_string_equal(c.database, path);
	path[CONFIG_PATH_MAX - 1] = 'd';
	path[CONFIG_PATH_MAX] = '\0';
	assert_int_equal(config_set(&c, "store", "database", path, err, sizeof err), -EINVAL);
	assert_string_equal(err, "store.database: path is 4096 bytes, the limit is 4095");
	/* grid_dir may be empty */
	assert_int_equal(parse_one(&c, "proj", "grid_dir", "", err), 0);
	assert_string_equal(c.proj_grid_dir, "");
	free(path);
}

static void test_several_errors(void **state)
{
	(void)state;
	struct config c;
	char err[ERR_MAX];
	const char *text =
		"[daemon]\n"                   /* 1 */
		"max_clients = 0\n"            /* 2 */
		"[bogus]\n"                    /* 3 */
		"anything = goes\n"            /* 4 */
		"[plan]\n"                     /* 5 */
		"seed = 7\n"                   /* 6 */
		"detour_factor = 9\n"          /* 7 */
		"oops\n"                       /* 8 */
		"seed = 8\n"                   /* 9 */
		"local_mode = fast\n";         /* 10 */
	assert_int_equal(parse(&c, text, err), -EINVAL);
	assert_string_equal(err,
			    "x.conf:2: max_clients: 0 is out of range 1..65536\n"
			    "x.conf:3: unknown section [bogus]\n"
			    "x.conf:7: detour_factor: 9 is out of range 1.0..3.0\n"
			    "x.conf:8: expected \"key = value\", got \"oops\"\n"
			    "x.conf:9: seed: set twice (first on line 6)\n"
			    "x.conf:10: local_mode: \"fast\" is not one of target|budget");
}

/* A failed parse leaves the caller's config as it was. */
static void test_failed_parse_keeps_config(void **state)
{
	(void)state;
	struct config c, d;
	char err[ERR_MAX];
	config_defaults(&d);
	assert_int_equal(parse(&c, "[plan]\nseed = 42\nlocal_sites = 0\n", err), -EINVAL);
	assert_config_equal(&c, &d);
}

static void test_comments_and_whitespace(void **state)
{
	(void)state;
	struct config c;
	char err[ERR_MAX];
	const char *text =
		"\xEF\xBB\xBF; leading byte order mark and a comment\r\n"
		"# hash comment\r\n"
		"\r\n"
		"   \t\n"
		"  [ plan ]  \r\n"
		"\t  ; indented comment\n"
		"seed=42 ; inline comment after white space\n"
		"   local_mode   =   budget   \r\n" /* indented: a key, not a continuation */
		"weight_65plus\t=\t2.5\t; note\n"
		"[store]\n"
		"database = /tmp/with space/a=b;c#d.db  \n" /* ';' not after white space */
		"[plan]\n"
		"local_sites = 12"; /* no final newline */
	assert_int_equal(parse(&c, text, err), 0);
	assert_string_equal(err, "");
	assert_int_equal(c.seed, 42);
	assert_string_equal(c.local_mode, "budget");
	assert_true(c.weight_65plus == 2.5);
	assert_string_equal(c.database, "/tmp/with space/a=b;c#d.db");
	assert_int_equal(c.local_sites, 12);
	assert_int_equal(parse(&c, "", err), 0);
	assert_int_equal(parse(&c, "\n\n;x\n", err), 0);
	/* " ;" starts a comment, so a path cannot contain it in a file */
	assert_int_equal(parse(&c, "[store]\ndatabase = /tmp/a ;b.db\n", err), 0);
	assert_string_equal(c.database, "/tmp/a");
}

/* Builds "[store]\ndatabase = /ddd...\n" whose second line is len bytes long. */
static char *database_line(size_t len)
{
	const char key[] = "database = /";
	char *text = malloc(len + 16);
	assert_non_null(text);
	strcpy(text, "[store]\n");
	strcat(text, key);
	memset(text + strlen(text), 'd', len - strlen(key));
	strcpy(text + strlen("[store]\n") + len, "\n");
	return text;
}

/* inih reads lines of at most 199 bytes; longer ones are reported and skipped. */
static void test_line_limit(void **state)
{
	(void)state;
	struct config c;
	char err[ERR_MAX], line[251], *text;
	text = database_line(199);
	assert_int_equal(parse(&c, text, err), 0);
	assert_int_equal(strlen(c.database), 199 - strlen("database = "));
	free(text);
	text = database_line(200);
	assert_int_equal(parse(&c, text, err), -EINVAL);
	assert_string_equal(err, "x.conf:2: line is 200 bytes, the limit is 199");
	free(text);
	/* a 250-byte comment on line 7; parsing goes on after it */
	memset(line, 'x', 250);
	line[0] = ';';
	line[250] = '\0';
	text = malloc(1024);
	assert_non_null(text);
	snprintf(text, 1024, "[plan]\nseed = 2\n\n\n\n\n%s\nseed = 3\nlocal_sites = 7\n", line);
	assert_int_equal(parse(&c, text, err), -EINVAL);
	assert_string_equal(err, "x.conf:7: line is 250 bytes, the limit is 199\n"
			    "x.conf:8: seed: set twice (first on line 2)");
	assert_int_equal(c.local_sites, 4500); /* failed parse: nothing applied */
	free(text);
}

static void test_config_set(void **state)
{
	(void)state;
	static const struct {
		const char *section, *key, *value, *err;
	} bad[] = {
		{ "store", "database", "", "store.database: must not be empty" },
		{ "daemon", "max_clients", "0", "daemon.max_clients: 0 is out of range 1..65536" },
		{ "daemon", "max_clients", " 5", "daemon.max_clients: \" 5\" is not an integer" },
		{ "plan", "detour_factor", "x", "plan.detour_factor: \"x\" is not a number" },
		{ "plan", "local_mode", "fast", "plan.local_mode: \"fast\" is not one of target|budget" },
		{ "plan", "foo", "1", "plan.foo: unknown key" },
		{ "bogus", "seed", "1", "bogus.seed: unknown key" },
		{ "store", "database", "/a\nb", "store.database: path contains a control character" },
		{ "store", "database", " /a", "store.database: \" /a\" starts or ends with a space" },
	};
	struct config c, d;
	char err[ERR_MAX];
	config_defaults(&c);
	assert_int_equal(config_set(&c, "store", "database", "/tmp/x.db", err, sizeof err), 0);
	assert_string_equal(c.database, "/tmp/x.db");
	assert_int_equal(config_set(&c, "plan", "seed", "99", err, sizeof err), 0);
	assert_int_equal(c.seed, 99);
	assert_int_equal(config_set(&c, "plan", "local_radius_class3_m", "60", err, sizeof err), 0);
	assert_int_equal(c.local_radius_m[2], 60);
	d = c;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		assert_int_equal(config_set(&c, bad[i].section, bad[i].key, bad[i].value, err,
					    sizeof err), -EINVAL);
		assert_string_equal(err, bad[i].err);
		assert_config_equal(&c, &d);
	}
	/* a set after a file load wins over the file */
	assert_int_equal(parse(&c, "[store]\ndatabase = /from/file.db\n", err), 0);
	assert_int_equal(config_set(&c, "store", "database", "/from/flag.db", err, sizeof err), 0);
	assert_string_equal(c.database, "/from/flag.db");
}

static void test_dump_round_trip(void **state)
{
	(void)state;
	struct config a, b;
	char err[ERR_MAX];
	char *buf = malloc(DUMP_MAX);
	assert_non_null(buf);
	other_config(&a);
	int n = config_dump(&a, buf, DUMP_MAX);
	assert_true(n > 0);
	assert_int_equal((size_t)n, strlen(buf));
	config_defaults(&b);
	assert_int_equal(config_parse_string(&b, "dump", buf, err, sizeof err), 0);
	assert_config_equal(&a, &b);
	/* the defaults, parsed on top of a config where every key differs */
	config_defaults(&a);
	assert_true(config_dump(&a, buf, DUMP_MAX) > 0);
	other_config(&b);
	assert_int_equal(config_parse_string(&b, "dump", buf, err, sizeof err), 0);
	assert_config_equal(&a, &b);
	free(buf);
}

/* config_dump reports -ENOSPC for every buffer too small, and succeeds on an exact fit. */
static void test_dump_small_buffer(void **state)
{
	(void)state;
	struct config c;
	char *buf = malloc(DUMP_MAX);
	assert_non_null(buf);
	config_defaults(&c);
	int n = config_dump(&c, buf, DUMP_MAX);
	assert_true(n > 0);
	assert_int_equal(config_dump(&c, NULL, 0), -ENOSPC);
	for (size_t len = 1; len <= (size_t)n; len += (len < 64 || len + 64 > (size_t)n) ? 1 : 61) {
		char *small = malloc(len);
		assert_non_null(small);
		assert_int_equal(config_dump(&c, small, len), -ENOSPC);
		assert_true(memchr(small, '\0', len) != NULL);
		free(small);
	}
	char *exact = malloc((size_t)n + 1);
	assert_non_null(exact);
	assert_int_equal(config_dump(&c, exact, (size_t)n + 1), n);
	assert_string_equal(exact, buf);
	free(exact);
	free(buf);
}

static void test_load_errors_and_paths(void **state)
{
	(void)state;
	struct config c;
	char err[ERR_MAX], dir[256], path[512], want[1024];
	const char bad[] = "[plan]\nseed = -1\n";
	tu_mkdtemp(dir, sizeof dir);
	snprintf(path, sizeof path, "%s/missing.conf", dir);
	config_defaults(&c);
	assert_int_equal(config_load(&c, path, err, sizeof err), -ENOENT);
	snprintf(want, sizeof want, "%s: No such file or directory", path);
	assert_string_equal(err, want);
	tu_write_file(dir, "bad.conf", bad, sizeof bad - 1, path, sizeof path);
	assert_int_equal(config_load(&c, path, err, sizeof err), -EINVAL);
	snprintf(want, sizeof want, "%s:2: seed: -1 is out of range 0..2147483647", path);
	assert_string_equal(err, want);
	tu_write_file(dir, "nul.conf", "[plan]\0x", 8, path, sizeof path);
	assert_int_equal(config_load(&c, path, err, sizeof err), -EINVAL);
	snprintf(want, sizeof want, "%s: contains a NUL byte", path);
	assert_string_equal(err, want);
	assert_true(config_load(&c, dir, err, sizeof err) < 0);
	tu_rmtree(dir);
}

/* Error buffers of every small size stay terminated and are never written past their end. */
static void test_small_err_buffer(void **state)
{
	(void)state;
	const char *text = "[plan]\nseed = -1\nfoo = 2\n[x]\n";
	const char *full = "x.conf:2: seed: -1 is out of range 0..2147483647\n"
			   "x.conf:3: unknown key \"foo\" in section [plan]\n"
			   "x.conf:4: unknown section [x]";
	struct config c;
	config_defaults(&c);
	assert_int_equal(config_parse_string(&c, "x.conf", text, NULL, 0), -EINVAL);
	assert_int_equal(config_set(&c, "plan", "seed", "-1", NULL, 0), -EINVAL);
	for (size_t len = 1; len <= strlen(full) + 1; len++) {
		char *err = malloc(len); /* exact size: ASan catches any overrun */
		assert_non_null(err);
		assert_int_equal(config_parse_string(&c, "x.conf", text, err, len), -EINVAL);
		assert_int_equal(strlen(err), len - 1);
		assert_memory_equal(err, full, len - 1);
		assert_int_equal(config_set(&c, "plan", "seed", "-1", err, len), -EINVAL);
		assert_true(strlen(err) < len);
		free(err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_shipped_file_equals_defaults),
		cmocka_unit_test(test_shipped_file_is_dump_of_defaults),
		cmocka_unit_test(test_error_messages),
		cmocka_unit_test(test_number_syntax),
		cmocka_unit_test(test_int_ranges),
		cmocka_unit_test(test_double_ranges),
		cmocka_unit_test(test_path_limits),
		cmocka_unit_test(test_several_errors),
		cmocka_unit_test(test_failed_parse_keeps_config),
		cmocka_unit_test(test_comments_and_whitespace),
		cmocka_unit_test(test_line_limit),
		cmocka_unit_test(test_config_set),
		cmocka_unit_test(test_dump_round_trip),
		cmocka_unit_test(test_dump_small_buffer),
		cmocka_unit_test(test_load_errors_and_paths),
		cmocka_unit_test(test_small_err_buffer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
