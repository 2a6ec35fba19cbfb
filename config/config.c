/* Typed configuration: one key table drives defaults, the parser, config_set and config_dump.
 * inih (Debian libinih 55) parses; our ini_reader feeds it one checked line at a time, which
 * gives line numbers, per-line syntax errors, section checks and the 199-byte line limit.
 * Never prints, logs or exits: returns 0 or a negative errno; messages go to the caller. */
#include "config/config.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/un.h>

#define MSG_MAX 256                      /* one message about one value */
#define FILE_MAX_BYTES (1024 * 1024)     /* a config file larger than this is refused */
#define SUN_PATH_MAX (sizeof(((struct sockaddr_un *)0)->sun_path) - 1)

enum key_type {
	KEY_PATH,   /* char[] field; min/max are length limits in bytes */
	KEY_INT,    /* int field; min/max are the accepted range */
	KEY_DOUBLE, /* double field; min/max are the accepted range */
	KEY_ENUM,   /* char[] field holding one of choices ("a|b") */
	KEY_KINDS,  /* char[] field: site kinds "kind" or "kind/subkind", comma-separated */
	KEY_LAYERS, /* char[] field: hazard layer names, comma-separated, may be empty */
	KEY_REGIONS, /* char[] field: "" (none), "all", or safety region codes VRnn, comma-separated */
};

struct key_def {
	const char *section;
	const char *name;
	enum key_type type;
	size_t offset;
	size_t size;
	double min, max;
	const char *def;
	const char *choices;
	const char *doc;
};

#define FIELD(m) offsetof(struct config, m), sizeof(((struct config *)0)->m)
#define ELEM(m, i) offsetof(struct config, m) + (i) * sizeof(int), sizeof(int)
#define PATH(sec, key, m, minlen, maxlen, def, doc) \
	{ sec, key, KEY_PATH, FIELD(m), minlen, maxlen, def, NULL, doc }
#define INT(sec, key, off_size, lo, hi, def, doc) \
	{ sec, key, KEY_INT, off_size, lo, hi, def, NULL, doc }
#define DBL(sec, key, m, lo, hi, def, doc) \
	{ sec, key, KEY_DOUBLE, FIELD(m), lo, hi, def, NULL, doc }
#define LOCAL_R(i, def) INT("plan", "local_radius_class" #i "_m", ELEM(local_radius_m, i - 1), \
	50, 20000, def, "radius in metres of a local support point in urbanity class " #i)
#define REGIONAL_R(i, def) INT("plan", "regional_radius_class" #i "_m", \
	ELEM(regional_radius_m, i - 1), 500, 50000, def, \
	"radius in metres of a regional support point in urbanity class " #i)

/* The only list of keys. Order is the order of config_dump and of the shipped file. */
static const struct key_def keys[] = {
	PATH("store", "database", database, 1, CONFIG_PATH_MAX - 1,
	     "/var/lib/hubplanner/hubplanner.db", "SQLite database file"),
	PATH("daemon", "socket", socket, 1, SUN_PATH_MAX,
	     "/run/hubplanner/hubplanner.sock", "Unix socket the daemon listens on"),
	INT("daemon", "max_clients", FIELD(max_clients), 1, 65536, "256",
	    "most clients connected at once"),
	INT("daemon", "idle_timeout_s", FIELD(idle_timeout_s), 0, 86400, "300",
	    "seconds before an idle client is disconnected; 0 = never"),
	INT("daemon", "max_line_bytes", FIELD(max_line_bytes), 1024, 1048576, "65536",
	    "longest request line in bytes"),
	INT("daemon", "write_queue_bytes", FIELD(write_queue_bytes), 4096, 268435456, "8388608",
	    "unsent reply bytes before a client is dropped"),
	{ "daemon", "log_level", KEY_ENUM, FIELD(log_level), 0, 0, "info",
	  "error|warning|notice|info|debug",
	  "most detailed log messages written; debug adds one line per request" },
	PATH("proj", "grid_dir", proj_grid_dir, 0, CONFIG_PATH_MAX - 1,
	     "/usr/share/hubplanner/proj",
	     "folder with nl_nsgi_rdtrans2018.tif; empty = no grid"),
	LOCAL_R(1, "750"), LOCAL_R(2, "1000"), LOCAL_R(3, "1500"), LOCAL_R(4, "2500"),
	LOCAL_R(5, "5000"),
	REGIONAL_R(1, "5000"), REGIONAL_R(2, "5000"), REGIONAL_R(3, "5000"),
	REGIONAL_R(4, "10000"), REGIONAL_R(5, "10000"),
	DBL("plan", "detour_factor", detour_factor, 1.0, 3.0, "1.0",
	    "route length divided by straight-line distance"),
	INT("plan", "sample_spacing_urban_m", FIELD(sample_spacing_urban_m), 25, 5000, "200",
	    "metres between demand sample points in urbanity classes 1-3"),
	INT("plan", "sample_spacing_rural_m", FIELD(sample_spacing_rural_m), 25, 10000, "500",
	    "metres between demand sample points in urbanity classes 4-5"),
	PATH("plan", "spread_layer", spread_layer, 1, 31, "auto",
	     "layer spreading wijken without buurten or cells: auto (finest imported), none, "
	     "or a name like buurten_2015"),
	DBL("plan", "coverage_target_pct", coverage_target_pct, 50.0, 100.0, "99.0",
	    "weighted residents to cover in target mode, %"),
	INT("plan", "max_residents_per_site", FIELD(max_residents_per_site), 100, 1000000, "5000",
	    "most residents assigned to one support point"),
	INT("plan", "local_sites", FIELD(local_sites), 1, 100000, "4500",
	    "number of local support points in budget mode"),
	INT("plan", "regional_sites", FIELD(regional_sites), 1, 10000, "1000",
	    "number of regional support points"),
	{ "plan", "local_mode", KEY_ENUM, FIELD(local_mode), 0, 0, "target", "target|budget",
	  "target: fewest sites for coverage_target_pct; budget: local_sites" },
	INT("plan", "seed", FIELD(seed), 0, 2147483647, "1",
	    "random seed; the same seed and data give the same plan"),
	DBL("plan", "weight_65plus", weight_65plus, 0.0, 10.0, "0.5",
	    "extra weight of a resident aged 65 or over"),
	DBL("plan", "weight_no_car", weight_no_car, 0.0, 10.0, "0.3",
	    "extra weight of a resident in a household without a car"),
	DBL("plan", "weight_medical", weight_medical, 0.0, 100.0, "4.0",
	    "extra weight of a resident on powered medical equipment"),
	INT("plan", "generate_candidates", FIELD(generate_candidates), 0, 1, "1",
	    "1 = add candidates at the demand-weighted centres of areas and cell blocks"),
	INT("plan", "candidate_block_m", FIELD(candidate_block_m), 100, 5000, "500",
	    "side of the blocks of grid cells that get one generated candidate"),
	INT("plan", "regional_block_m", FIELD(regional_block_m), 100, 5000, "1000",
	    "side of the blocks demand is aggregated to for the regional level"),
	INT("plan", "bound_iterations", FIELD(bound_iterations), 0, 10000, "200",
	    "subgradient steps for the Lagrangian upper bound"),
	INT("plan", "search_time_s", FIELD(search_time_s), 0, 3600, "5",
	    "local-search time limit per level, seconds"),
	DBL("plan", "change_cost", change_cost, 0.0, 1000000000.0, "1000",
	    "weighted residents a change of a budget-mode site must gain in a stable recompute"),
	{ "plan", "local_kinds", KEY_KINDS, FIELD(local_kinds), 0, 0,
	  "school,town_hall,community_centre,church,other", NULL,
	  "site kinds that may be local support points (fixed and designated sites always are)" },
	{ "plan", "regional_kinds", KEY_KINDS, FIELD(regional_kinds), 0, 0,
	  "fire_station/vrijwillig,fire_station/beroeps", NULL,
	  "site kinds that may be regional points; generated positions only where none reaches" },
	{ "plan", "hazard_exclude", KEY_LAYERS, FIELD(hazard_exclude), 0, 0, "", NULL,
	  "hazard layers whose candidates are removed before solving (fixed sites kept)" },
	{ "plan", "hazard_flag", KEY_LAYERS, FIELD(hazard_flag), 0, 0, "", NULL,
	  "hazard layers whose chosen sites inside are kept but flagged in the plan" },
	{ "plan", "exact_regions", KEY_REGIONS, FIELD(exact_regions), 0, 0, "", NULL,
	  "safety regions whose local-level bound a MIP solver (CBC) proves or tightens: "
	  "empty = none, all, or codes like VR17,VR14" },
	INT("plan", "exact_time_limit_s", FIELD(exact_time_limit_s), 1, 3600, "60",
	    "time limit of the exact solve per safety region, seconds"),
	INT("plan", "backup_sites", FIELD(backup_sites), 0, 100000, "0",
	    "extra local sites placed to raise the residents within reach of two or more "
	    "local sites, keeping every site of the primary plan; 0 = off"),
	INT("plan", "keep_plans", FIELD(keep_plans), 1, 1000, "5",
	    "stored plans to keep; older ones are deleted"),
	DBL("backup", "household_kwh", household_kwh, 0.5, 100.0, "6.0",
	    "essential household load for the horizon, kWh (72 h at 2 kWh/day)"),
	DBL("backup", "household_kw", household_kw, 0.05, 20.0, "0.5",
	    "peak power per household, kW"),
	INT("backup", "households_per_battery", FIELD(households_per_battery), 10, 2000, "175",
	    "households per wijkbatterij (one transformer area)"),
	DBL("backup", "battery_eur_per_kwh", battery_eur_per_kwh, 50.0, 5000.0, "400",
	    "wijkbatterij cost, EUR per kWh"),
	DBL("backup", "home_battery_kwh", home_battery_kwh, 1.0, 100.0, "6.0",
	    "usable capacity of a home battery with backup function, kWh"),
	DBL("backup", "home_eur_per_kwh", home_eur_per_kwh, 50.0, 5000.0, "800",
	    "home battery cost, EUR per kWh"),
	DBL("backup", "home_share_pct", home_share_pct, 0.0, 100.0, "100",
	    "share of households in classes 4-5 without a wijkbatterij given a home battery, %"),
	INT("backup", "class4_min_density", FIELD(class4_min_density), 0, 100000, "750",
	    "addresses per km2 above which a class-4 area gets wijkbatterijen"),
	DBL("backup", "local_point_kwh", local_point_kwh, 10.0, 10000.0, "360",
	    "battery of a local support point, kWh (5 kW for 72 h)"),
	DBL("backup", "regional_point_kva", regional_point_kva, 1.0, 1000.0, "30",
	    "generator of a regional point, kVA"),
	DBL("backup", "care_kva", care_kva, 1.0, 10000.0, "20",
	    "smallest generator of a care institution, and its size when beds and clients are unknown, kVA"),
	DBL("backup", "care_kva_per_person", care_kva_per_person, 0.0, 100.0, "1.0",
	    "generator of a care institution per bed (else intramural client), kVA"),
	DBL("backup", "care_weight", care_weight, 0.0, 100.0, "4.0",
	    "households a care bed or client counts for when generators and areas are ranked"),
	DBL("backup", "generator_eur_per_kva", generator_eur_per_kva, 10.0, 10000.0, "500",
	    "generator with 72 h of fuel, EUR per kVA"),
	DBL("backup", "budget_eur", budget_eur, 0.0, 1e12, "1000000000",
	    "yearly budget, EUR; support points first, then areas and care generators by score"),
};

#define KEY_COUNT (sizeof(keys) / sizeof(keys[0]))

/* Collects messages, one per line, into a caller's buffer; truncates safely. */
struct msgbuf {
	char *buf;
	size_t len;
	size_t used;
	int count;
	int truncated;
};

/* State of one parse: the unread text, where we are and which keys were already set
 * (their line, 0 = not yet). */
struct parser {
	const char *name;
	struct config *cfg;
	struct msgbuf errs;
	const char *next;         /* unread text; NULL after the last line */
	int lineno;               /* line last handed to inih */
	char line[INI_MAX_LINE];  /* that line, as read */
	const char *current;      /* that line trimmed, inside line[] */
	int awaiting_handler;     /* it was a key line and inih has not called on_key yet */
	char section[INI_MAX_LINE]; /* current section, "" before the first [section] */
	int seen_header;          /* a [section] line, good or bad, was seen */
	int section_known;        /* the current section is in the key table */
	int first_line[KEY_COUNT];
};

static void msg_init(struct msgbuf *mb, char *buf, size_t len)
{
	mb->buf = len ? buf : NULL;
	mb->len = len;
	mb->used = 0;
	mb->count = 0;
	mb->truncated = 0;
	if (mb->buf)
		mb->buf[0] = '\0';
}

static void msg_vadd(struct msgbuf *mb, const char *sep, const char *fmt, va_list ap)
{
	size_t room = mb->len - mb->used;
	int n;
	mb->count++;
	if (!mb->buf || mb->truncated) {
		mb->truncated = 1;
		return;
	}
	n = snprintf(mb->buf + mb->used, room, "%s", mb->count > 1 ? sep : "");
	if (n >= 0 && (size_t)n < room) {
		mb->used += (size_t)n;
		room -= (size_t)n;
		n = vsnprintf(mb->buf + mb->used, room, fmt, ap);
	}
	if (n < 0 || (size_t)n >= room) {
		mb->truncated = 1;
		mb->used = mb->len - 1;
		mb->buf[mb->used] = '\0';
		return;
	}
	mb->used += (size_t)n;
}

__attribute__((format(printf, 2, 3)))
static void msg_add(struct msgbuf *mb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vadd(mb, "\n", fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 2, 3)))
static void msg_cat(struct msgbuf *mb, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	msg_vadd(mb, "", fmt, ap);
	va_end(ap);
}

__attribute__((format(printf, 3, 4)))
static void msg_set(char *buf, size_t len, const char *fmt, ...)
{
	struct msgbuf mb;
	va_list ap;
	msg_init(&mb, buf, len);
	va_start(ap, fmt);
	msg_vadd(&mb, "", fmt, ap);
	va_end(ap);
}

/* Shortest text that reads back as exactly v; always shows a '.' or an exponent. */
static void format_double(double v, char *buf, size_t len)
{
	snprintf(buf, len, "%.15g", v);
	if (strtod(buf, NULL) != v)
		snprintf(buf, len, "%.17g", v);
	if (!strpbrk(buf, ".eEn") && strlen(buf) + 3 <= len)
		strcat(buf, ".0");
}

static void format_range(const struct key_def *k, char *buf, size_t len)
{
	char lo[40], hi[40];
	if (k->type == KEY_INT) {
		snprintf(buf, len, "%ld..%ld", (long)k->min, (long)k->max);
		return;
	}
	format_double(k->min, lo, sizeof lo);
	format_double(k->max, hi, sizeof hi);
	snprintf(buf, len, "%s..%s", lo, hi);
}

static int out_of_range(const struct key_def *k, const char *value, char *msg, size_t msglen)
{
	char range[96];
	format_range(k, range, sizeof range);
	msg_set(msg, msglen, "%s is out of range %s", value, range);
	return -EINVAL;
}

static int check_path(const struct key_def *k, const char *value, char *msg, size_t msglen)
{
	size_t n = strlen(value);
	if (n < (size_t)k->min) {
		msg_set(msg, msglen, "must not be empty");
		return -EINVAL;
	}
	if (n > (size_t)k->max) {
		msg_set(msg, msglen, "path is %zu bytes, the limit is %zu", n, (size_t)k->max);
		return -EINVAL;
	}
	for (const char *p = value; *p; p++) {
		if ((unsigned char)*p < 0x20 || *p == 0x7f) {
			msg_set(msg, msglen, "path contains a control character");
			return -EINVAL;
		}
	}
	if (n && (value[0] == ' ' || value[n - 1] == ' ')) {
		msg_set(msg, msglen, "\"%s\" starts or ends with a space", value);
		return -EINVAL;
	}
	return 0;
}

/* Stores a checked text value in k's char[] field, zero-padded. */
static void put_text(struct config *cfg, const struct key_def *k, const char *value)
{
	char *field = (char *)cfg + k->offset;
	memset(field, 0, k->size);
	memcpy(field, value, strlen(value));
}

static int set_path(struct config *cfg, const struct key_def *k, const char *value,
		    char *msg, size_t msglen)
{
	int rc = check_path(k, value, msg, msglen);
	if (rc == 0)
		put_text(cfg, k, value);
	return rc;
}

static int set_int(struct config *cfg, const struct key_def *k, const char *value,
		   char *msg, size_t msglen)
{
	char *end;
	long v;
	if ((value[0] < '0' || value[0] > '9') && value[0] != '-' && value[0] != '+') {
		msg_set(msg, msglen, "\"%s\" is not an integer", value);
		return -EINVAL;
	}
	errno = 0;
	v = strtol(value, &end, 10);
	if (end == value || *end != '\0') {
		msg_set(msg, msglen, "\"%s\" is not an integer", value);
		return -EINVAL;
	}
	if (errno == ERANGE || v < (long)k->min || v > (long)k->max)
		return out_of_range(k, value, msg, msglen);
	memcpy((char *)cfg + k->offset, &(int){ (int)v }, sizeof(int));
	return 0;
}

static int set_double(struct config *cfg, const struct key_def *k, const char *value,
		      char *msg, size_t msglen)
{
	char *end;
	double v;
	errno = 0;
	v = strtod(value, &end);
	if (end == value || *end != '\0' || isnan(v) || (isinf(v) && errno != ERANGE)) {
		msg_set(msg, msglen, "\"%s\" is not a number", value);
		return -EINVAL;
	}
	if (!(v >= k->min && v <= k->max))
		return out_of_range(k, value, msg, msglen);
	memcpy((char *)cfg + k->offset, &v, sizeof v);
	return 0;
}

/* True when value is one of the '|'-separated words in choices. */
static int is_choice(const char *choices, const char *value)
{
	size_t n = strlen(value);
	for (const char *p = choices; *p;) {
		size_t w = strcspn(p, "|");
		if (w == n && n > 0 && strncmp(p, value, n) == 0)
			return 1;
		p += w + (p[w] == '|');
	}
	return 0;
}

static int set_enum(struct config *cfg, const struct key_def *k, const char *value,
		    char *msg, size_t msglen)
{
	if (!is_choice(k->choices, value) || strlen(value) >= k->size) {
		msg_set(msg, msglen, "\"%s\" is not one of %s", value, k->choices);
		return -EINVAL;
	}
	put_text(cfg, k, value);
	return 0;
}

/* A comma-separated list of site kinds, each kind or kind/subkind: lower-case letters,
 * digits and _, no empty item. */
static int check_kinds(const struct key_def *k, const char *value, char *msg, size_t msglen)
{
	if (strlen(value) >= k->size) {
		msg_set(msg, msglen, "is %zu bytes, the limit is %zu", strlen(value), k->size - 1);
		return -EINVAL;
	}
	for (const char *p = value; *p;) {
		size_t n = strcspn(p, ","), slash = 0;
		for (size_t i = 0; i < n; i++) {
			int c = (unsigned char)p[i];
			if (c == '/' && i > 0 && i + 1 < n && !slash)
				slash = i;
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
				msg_set(msg, msglen, "\"%.*s\" is not a site kind (lower-case letters, "
					"digits and _, optionally /subkind)", (int)n, p);
				return -EINVAL;
			}
		}
		if (n == 0) {
			msg_set(msg, msglen, "an empty item in the list");
			return -EINVAL;
		}
		p += n + (p[n] == ',');
		if (p[-1] == ',' && !*p) {
			msg_set(msg, msglen, "an empty item at the end of the list");
			return -EINVAL;
		}
	}
	return 0;
}

/* Hazard layer names as hazard-import accepts them: a kinds list without subkinds. */
static int check_layers(const struct key_def *k, const char *value, char *msg, size_t msglen)
{
	if (strchr(value, '/')) {
		msg_set(msg, msglen, "\"%s\": hazard layer names are lower-case letters, digits "
			"and _, comma-separated", value);
		return -EINVAL;
	}
	return check_kinds(k, value, msg, msglen);
}

/* "all", or safety region codes VR followed by two digits, comma-separated, no repeats. */
static int check_regions(const struct key_def *k, const char *value, char *msg, size_t msglen)
{
	if (strlen(value) >= k->size) {
		msg_set(msg, msglen, "is %zu bytes, the limit is %zu", strlen(value), k->size - 1);
		return -EINVAL;
	}
	if (strcmp(value, "all") == 0)
		return 0;
	for (const char *p = value; *p;) {
		size_t n = strcspn(p, ",");
		if (n != 4 || p[0] != 'V' || p[1] != 'R' || !isdigit((unsigned char)p[2]) ||
		    !isdigit((unsigned char)p[3])) {
			msg_set(msg, msglen, "\"%.*s\" is not a safety region code (VR and two "
				"digits, like VR17) nor \"all\"", (int)n, p);
			return -EINVAL;
		}
		char code[5];
		memcpy(code, p, 4);
		code[4] = '\0';
		if (strstr(p + n, code)) {
			msg_set(msg, msglen, "%.4s is listed twice", p);
			return -EINVAL;
		}
		p += n + (p[n] == ',');
		if (p[-1] == ',' && !*p) {
			msg_set(msg, msglen, "an empty item at the end of the list");
			return -EINVAL;
		}
	}
	return 0;
}

/* A list checked by check (check_kinds or check_regions), stored when it passes. */
static int set_list(struct config *cfg, const struct key_def *k, const char *value,
		    int (*check)(const struct key_def *, const char *, char *, size_t),
		    char *msg, size_t msglen)
{
	int rc = check(k, value, msg, msglen);
	if (rc == 0)
		put_text(cfg, k, value);
	return rc;
}

/* Checks value against k and stores it; on error cfg is untouched and msg says why. */
static int set_value(struct config *cfg, const struct key_def *k, const char *value,
		     char *msg, size_t msglen)
{
	int may_be_empty = k->type == KEY_PATH || k->type == KEY_REGIONS || k->type == KEY_LAYERS;
	if (!may_be_empty && value[0] == '\0') {
		msg_set(msg, msglen, "missing value");
		return -EINVAL;
	}
	switch (k->type) {
	case KEY_PATH:
		return set_path(cfg, k, value, msg, msglen);
	case KEY_INT:
		return set_int(cfg, k, value, msg, msglen);
	case KEY_DOUBLE:
		return set_double(cfg, k, value, msg, msglen);
	case KEY_ENUM:
		return set_enum(cfg, k, value, msg, msglen);
	case KEY_KINDS:
		return set_list(cfg, k, value, check_kinds, msg, msglen);
	case KEY_LAYERS:
		return set_list(cfg, k, value, check_layers, msg, msglen);
	case KEY_REGIONS:
		return set_list(cfg, k, value, check_regions, msg, msglen);
	}
	return -EINVAL;
}

static const struct key_def *find_key(const char *section, const char *name)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].name, name) == 0)
			return &keys[i];
	}
	return NULL;
}

static int section_exists(const char *section)
{
	for (size_t i = 0; i < KEY_COUNT; i++) {
		if (strcmp(keys[i].section, section) == 0)
			return 1;
	}
	return 0;
}

void config_defaults(struct config *cfg)
{
	char msg[MSG_MAX];
	memset(cfg, 0, sizeof *cfg);
	for (size_t i = 0; i < KEY_COUNT; i++)
		(void)set_value(cfg, &keys[i], keys[i].def, msg, sizeof msg);
}

int config_set(struct config *cfg, const char *section, const char *key, const char *value,
	       char *err, size_t errlen)
{
	char msg[MSG_MAX];
	const struct key_def *k = find_key(section, key);
	if (!k) {
		msg_set(err, errlen, "%s.%s: unknown key", section, key);
		return -EINVAL;
	}
	if (set_value(cfg, k, value, msg, sizeof msg) < 0) {
		msg_set(err, errlen, "%s.%s: %s", section, key, msg);
		return -EINVAL;
	}
	msg_set(err, errlen, "%s", "");
	return 0;
}

/* Removes leading and trailing white space in place; returns the new start. */
static char *trim(char *s)
{
	char *end = s + strlen(s);
	while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\f' || *s == '\v')
		s++;
	while (end > s && (end[-1] == ' ' || end[-1] == '\t' || end[-1] == '\r' ||
			   end[-1] == '\f' || end[-1] == '\v'))
		end--;
	*end = '\0';
	return s;
}

/* Checks a "[section]" line and makes it current; returns 1 to hand it on to inih. */
static int check_section(struct parser *p, const char *line)
{
	const char *close = strchr(line, ']');
	char *name;
	if (!close || close[1] != '\0') {
		msg_add(&p->errs, "%s:%d: expected \"[section]\", got \"%s\"", p->name, p->lineno,
			line);
		p->section_known = 0;
		return 0;
	}
	memcpy(p->section, line + 1, (size_t)(close - line - 1));
	p->section[close - line - 1] = '\0';
	name = trim(p->section);
	memmove(p->section, name, strlen(name) + 1);
	p->section_known = section_exists(p->section);
	if (!p->section_known)
		msg_add(&p->errs, "%s:%d: unknown section [%s]", p->name, p->lineno, p->section);
	return 1;
}

/* Checks the shape of a "key = value" line; returns 1 to hand it on to inih. */
static int check_key_line(struct parser *p, const char *line)
{
	const char *eq = strchr(line, '=');
	if (!eq || eq == line) {
		msg_add(&p->errs, "%s:%d: expected \"key = value\", got \"%s\"", p->name, p->lineno,
			line);
		return 0;
	}
	p->awaiting_handler = 1;
	return 1;
}

/* Returns 1 when inih may see the (trimmed) line, 0 when it was rejected and reported. */
static int check_line(struct parser *p, const char *line)
{
	if (line[0] == '\0' || line[0] == ';' || line[0] == '#')
		return 1;
	if (line[0] == '[') {
		p->seen_header = 1;
		return check_section(p, line);
	}
	return check_key_line(p, line);
}

/* Reports a key line that inih did not pass to the handler (e.g. "key ;note = 1"). */
static void finish_line(struct parser *p)
{
	if (!p->awaiting_handler)
		return;
	p->awaiting_handler = 0;
	msg_add(&p->errs, "%s:%d: expected \"key = value\", got \"%s\"", p->name, p->lineno,
		p->current);
}

/* Copies the next line of the text (without BOM and newline) into p->line; NULL at the end.
 * Sets *len to its length in bytes, even when that is too long to copy. */
static char *next_line(struct parser *p, size_t *len)
{
	const char *start = p->next;
	if (!start)
		return NULL;
	if (p->lineno == 0 && strncmp(start, "\xEF\xBB\xBF", 3) == 0)
		start += 3;
	*len = strcspn(start, "\n");
	p->next = start[*len] ? start + *len + 1 : NULL;
	p->lineno++;
	if (*len >= sizeof p->line)
		return p->line;
	memcpy(p->line, start, *len);
	p->line[*len] = '\0';
	return p->line;
}

/* The ini_reader: hands inih one checked, trimmed line at a time, so that p->lineno is the
 * line the handler is called for. Leading white space is removed, so inih never sees a
 * continuation line. A rejected line is reported here and handed on as an empty line. */
static char *read_line(char *str, int num, void *stream)
{
	struct parser *p = stream;
	size_t limit = (size_t)num < sizeof p->line ? (size_t)num - 1 : sizeof p->line - 1;
	size_t len = 0;
	finish_line(p);
	if (!next_line(p, &len))
		return NULL;
	str[0] = '\0';
	if (len > limit) {
		msg_add(&p->errs, "%s:%d: line is %zu bytes, the limit is %zu", p->name, p->lineno,
			len, limit);
		return str;
	}
	p->current = trim(p->line);
	if (check_line(p, p->current))
		memcpy(str, p->current, strlen(p->current) + 1);
	return str;
}

static void parse_assignment(struct parser *p, const char *key, const char *value)
{
	char msg[MSG_MAX];
	const struct key_def *k = find_key(p->section, key);
	if (!k) {
		msg_add(&p->errs, "%s:%d: unknown key \"%s\" in section [%s]", p->name, p->lineno,
			key, p->section);
		return;
	}
	int *first = &p->first_line[k - keys];
	if (*first) {
		msg_add(&p->errs, "%s:%d: %s: set twice (first on line %d)", p->name, p->lineno,
			key, *first);
		return;
	}
	*first = p->lineno;
	if (set_value(p->cfg, k, value, msg, sizeof msg) < 0)
		msg_add(&p->errs, "%s:%d: %s: %s", p->name, p->lineno, key, msg);
}

/* The inih handler, called for the line read_line just returned. inih's section name is
 * not used: it keeps spaces ("[ plan ]") and our own was checked in read_line. */
static int on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parser *p = user;
	(void)section;
	p->awaiting_handler = 0;
	if (!p->seen_header)
		msg_add(&p->errs, "%s:%d: %s: key before the first [section]", p->name, p->lineno,
			name);
	else if (p->section_known)
		parse_assignment(p, name, value);
	/* keys under an unknown or malformed header are skipped: that header was reported */
	return 1;
}

/* Runs inih over p->next; returns 0, -EINVAL with every error in p->errs, or -ENOMEM. */
static int run_inih(struct parser *p)
{
	int rc = ini_parse_stream(read_line, p, on_key, p);
	if (rc < 0) {
		msg_add(&p->errs, "%s: %s", p->name, strerror(ENOMEM));
		return -ENOMEM;
	}
	if (rc > 0 && p->errs.count == 0) /* inih refused a line our checks let through */
		msg_add(&p->errs, "%s:%d: not a valid INI line", p->name, rc);
	return p->errs.count ? -EINVAL : 0;
}

int config_parse_string(struct config *cfg, const char *name, const char *text,
			char *err, size_t errlen)
{
	struct parser *p = calloc(1, sizeof *p);
	struct config *scratch = malloc(sizeof *scratch);
	int rc;
	if (!p || !scratch) {
		msg_set(err, errlen, "%s: %s", name, strerror(ENOMEM));
		rc = -ENOMEM;
		goto out;
	}
	*scratch = *cfg;
	p->name = name;
	p->cfg = scratch;
	p->next = text;
	msg_init(&p->errs, err, errlen);
	rc = run_inih(p);
	if (rc == 0)
		*cfg = *scratch;
out:
	free(scratch);
	free(p);
	return rc;
}

/* Reads the whole file at path into a new NUL-terminated string in *out (caller frees). */
static int read_file(const char *path, char **out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0;
	int rc = 0;
	if (!f) {
		rc = -errno;
		msg_set(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	buf = malloc(FILE_MAX_BYTES + 1);
	if (!buf) {
		rc = -ENOMEM;
		msg_set(err, errlen, "%s: %s", path, strerror(ENOMEM));
		goto out;
	}
	n = fread(buf, 1, FILE_MAX_BYTES + 1, f);
	if (ferror(f)) {
		rc = errno ? -errno : -EIO;
		msg_set(err, errlen, "%s: %s", path, strerror(-rc));
	} else if (n > FILE_MAX_BYTES) {
		rc = -EFBIG;
		msg_set(err, errlen, "%s: larger than %d bytes", path, FILE_MAX_BYTES);
	} else if (memchr(buf, '\0', n)) {
		rc = -EINVAL;
		msg_set(err, errlen, "%s: contains a NUL byte", path);
	}
out:
	fclose(f);
	if (rc < 0) {
		free(buf);
		return rc;
	}
	buf[n] = '\0';
	*out = buf;
	return 0;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen)
{
	char *text = NULL;
	int rc = read_file(path, &text, err, errlen);
	if (rc < 0)
		return rc;
	rc = config_parse_string(cfg, path, text, err, errlen);
	free(text);
	return rc;
}

/* Writes value of k in cfg as text. */
static void format_value(const struct config *cfg, const struct key_def *k, char *buf,
			 size_t len)
{
	const char *field = (const char *)cfg + k->offset;
	int iv;
	double dv;
	switch (k->type) {
	case KEY_PATH:
	case KEY_ENUM:
	case KEY_KINDS:
	case KEY_LAYERS:
	case KEY_REGIONS:
		snprintf(buf, len, "%.*s", (int)strnlen(field, k->size), field);
		break;
	case KEY_INT:
		memcpy(&iv, field, sizeof iv);
		snprintf(buf, len, "%d", iv);
		break;
	case KEY_DOUBLE:
		memcpy(&dv, field, sizeof dv);
		format_double(dv, buf, len);
		break;
	}
}

/* Describes the type and range of k, e.g. "integer 50..20000". */
static void format_type(const struct key_def *k, char *buf, size_t len)
{
	char range[96];
	switch (k->type) {
	case KEY_PATH:
		snprintf(buf, len, "path, %s, at most %ld bytes",
			 k->min > 0 ? "required" : "may be empty", (long)k->max);
		break;
	case KEY_ENUM:
		snprintf(buf, len, "one of %s", k->choices);
		break;
	case KEY_KINDS:
		snprintf(buf, len, "site kinds, comma-separated, each kind or kind/subkind");
		break;
	case KEY_LAYERS:
		snprintf(buf, len, "hazard layer names (hazard-list), comma-separated, may be empty");
		break;
	case KEY_REGIONS:
		snprintf(buf, len, "empty, all, or safety region codes VRnn, comma-separated");
		break;
	case KEY_INT:
	case KEY_DOUBLE:
		format_range(k, range, sizeof range);
		snprintf(buf, len, "%s %s", k->type == KEY_INT ? "integer" : "number", range);
		break;
	}
}

/* The 199 below is INI_MAX_LINE - 1, the longest line inih (and read_line) accepts. */
_Static_assert(INI_MAX_LINE == 200, "dump_header states the line limit");
static const char dump_header[] =
	"; hubplanner configuration.\n"
	"; Lines starting with ; or # are comments, and so is the rest of a line from a ; that\n"
	"; follows a space or tab: a value cannot contain \" ;\". A value runs to the end of its\n"
	"; line or to such a comment, without quotes. A line holds at most 199 bytes: give a\n"
	"; longer database path with --db. Each key's comment gives its type and range, its\n"
	"; default and its meaning. Errors are reported as file:line: key: message.\n";

static void dump_key(const struct config *cfg, const struct key_def *k, int first,
		     struct msgbuf *mb)
{
	char type[160];
	char value[CONFIG_PATH_MAX];
	format_type(k, type, sizeof type);
	format_value(cfg, k, value, sizeof value);
	msg_cat(mb, "%s; %s, default %s: %s\n%s = %s\n", first ? "" : "\n", type,
		k->def[0] ? k->def : "\"\"", k->doc, k->name, value);
}

int config_dump(const struct config *cfg, char *buf, size_t buflen)
{
	struct msgbuf mb;
	const char *section = NULL;
	msg_init(&mb, buf, buflen);
	msg_cat(&mb, "%s", dump_header);
	for (size_t i = 0; i < KEY_COUNT; i++) {
		int first = !section || strcmp(section, keys[i].section) != 0;
		if (first) {
			section = keys[i].section;
			msg_cat(&mb, "\n[%s]\n", section);
		}
		dump_key(cfg, &keys[i], first, &mb);
	}
	if (mb.truncated || mb.used > INT32_MAX)
		return -ENOSPC;
	return (int)mb.used;
}
