/* Parsing and checking import mapping files (format in docs/mappings.md): sections
 * [source], [fields], [constants] and [values PROP], "key = value" lines, ';' and '#'
 * comments. Every error names the file, the line and the key; all errors of a file are
 * reported at once. Knows no data format: the importer (jobs/) applies the mapping. */
#define _DEFAULT_SOURCE
#include "config/mapping.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define MAX_LINE 1024

static const char *const prop_names[MP_COUNT] = {
	"id", "name", "kind", "subkind", "capacity", "fixed", "beds", "ic_beds", "clients",
	"code", "residents", "residents_65plus", "pct_65plus", "households",
	"cars_per_household",
};

enum section { SEC_NONE, SEC_SOURCE, SEC_FIELDS, SEC_CONSTANTS, SEC_VALUES, SEC_BAD };

struct parser {
	struct mapping *m;
	const char *name;             /* the file as named in errors */
	int lineno;
	enum section sec;
	enum mapping_prop values_of;  /* SEC_VALUES: the property */
	int values_at[MP_COUNT];      /* line of each [values PROP] header */
	int target_line, seen[16];
	char *err;
	size_t errlen, used;
	int nerr;
};

const char *mapping_prop_name(enum mapping_prop p)
{
	return (int)p >= 0 && p < MP_COUNT ? prop_names[p] : NULL;
}

int mapping_prop_is_number(enum mapping_prop p)
{
	return p == MP_CAPACITY || p == MP_BEDS || p == MP_IC_BEDS || p == MP_CLIENTS ||
	       (p >= MP_RESIDENTS && p <= MP_CARS_PER_HOUSEHOLD);
}

static int is_site_prop(enum mapping_prop p)
{
	return p <= MP_CLIENTS;
}

static void perr(struct parser *p, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void perr(struct parser *p, int line, const char *fmt, ...)
{
	va_list ap;
	p->nerr++;
	if (p->used + 1 >= p->errlen)
		return;
	int n = snprintf(p->err + p->used, p->errlen - p->used, "%s%s:%d: ", p->used ? "\n" : "",
			 p->name, line);
	p->used += n > 0 ? (size_t)n : 0;
	if (p->used + 1 >= p->errlen) {
		p->used = p->errlen - 1;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(p->err + p->used, p->errlen - p->used, fmt, ap);
	va_end(ap);
	p->used += n > 0 ? (size_t)n : 0;
	if (p->used >= p->errlen)
		p->used = p->errlen - 1;
}

static int find_prop(const char *name)
{
	for (int i = 0; i < MP_COUNT; i++)
		if (strcmp(name, prop_names[i]) == 0)
			return i;
	return -1;
}

static char *trim(char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n && isspace((unsigned char)s[n - 1]))
		s[--n] = '\0';
	return s;
}

/* Cuts a comment: the rest of the line from a ';' or '#' that follows a space or tab. */
static void cut_comment(char *s)
{
	for (char *c = s + 1; *s && *c; c++)
		if ((*c == ';' || *c == '#') && (c[-1] == ' ' || c[-1] == '\t')) {
			*c = '\0';
			return;
		}
}

static int parse_double(const char *s, double *out)
{
	char *end = NULL;
	*out = strtod(s, &end);
	return end != s && *end == '\0' && isfinite(*out) ? 0 : -1;
}

static int parse_crs(const char *v, int *epsg)
{
	static const struct { const char *name; int epsg; } known[] = {
		{"CRS84", 4326}, {"OGC:CRS84", 4326}, {"urn:ogc:def:crs:OGC:1.3:CRS84", 4326},
		{"EPSG:4326", 4326}, {"EPSG:4258", 4258}, {"EPSG:28992", 28992},
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strcasecmp(v, known[i].name) == 0)
			return *epsg = known[i].epsg, 0;
	return -1;
}

static int set_string(struct parser *p, char **dst, const char *v)
{
	free(*dst);
	if (!(*dst = strdup(v))) {
		perr(p, p->lineno, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static void parse_unknown(struct parser *p, const char *key, char *v)
{
	struct mapping *m = p->m;
	m->nunknown = 0;
	for (char *tok = strtok(v, " ,\t"); tok; tok = strtok(NULL, " ,\t")) {
		double d;
		if (parse_double(tok, &d) < 0)
			perr(p, p->lineno, "%s: \"%s\" is not a number", key, tok);
		else if (m->nunknown == MAPPING_MAX_UNKNOWN)
			perr(p, p->lineno, "%s: more than %d values", key, MAPPING_MAX_UNKNOWN);
		else
			m->unknown[m->nunknown++] = d;
	}
}

static void source_key(struct parser *p, const char *key, char *v)
{
	static const char *const keys[] = {"file", "layer", "target", "crs", "source",
					   "ref_layer", "year", "unknown", "description"};
	struct mapping *m = p->m;
	size_t k = 0;
	while (k < sizeof keys / sizeof keys[0] && strcmp(key, keys[k]) != 0)
		k++;
	if (k == sizeof keys / sizeof keys[0]) {
		perr(p, p->lineno, "%s: unknown key in [source] (known: file, layer, target, crs, "
		     "source, ref_layer, year, unknown, description)", key);
		return;
	}
	if (p->seen[k]++) {
		perr(p, p->lineno, "%s: given twice in [source]", key);
		return;
	}
	char *end = NULL;
	long year;
	switch (k) {
	case 0: set_string(p, &m->file, v); break;
	case 1: set_string(p, &m->layer, v); break;
	case 2:
		p->target_line = p->lineno;
		if (strcmp(v, "sites") == 0)
			m->target = MAPPING_SITES;
		else if (strcmp(v, "ref_areas") == 0)
			m->target = MAPPING_REF_AREAS;
		else
			perr(p, p->lineno, "target: \"%s\" is not one of sites, ref_areas", v);
		break;
	case 3:
		if (parse_crs(v, &m->crs_epsg) < 0)
			perr(p, p->lineno, "crs: \"%s\" is not one of CRS84, EPSG:4326, EPSG:4258, "
			     "EPSG:28992", v);
		break;
	case 4: set_string(p, &m->source, v); break;
	case 5: set_string(p, &m->ref_layer, v); break;
	case 6:
		year = strtol(v, &end, 10);
		if (*end || year < 1800 || year > 2200)
			perr(p, p->lineno, "year: \"%s\" is not a year 1800..2200", v);
		else
			m->year = (int)year;
		break;
	case 7: parse_unknown(p, key, v); break;
	default: break;
	}
}

static int prop_of_key(struct parser *p, const char *key, const char *section)
{
	int i = find_prop(key);
	if (i < 0)
		perr(p, p->lineno, "%s: unknown property in [%s] (known: id, name, kind, subkind, "
		     "capacity, fixed, beds, ic_beds, clients, code, residents, residents_65plus, "
		     "pct_65plus, households, cars_per_household)", key, section);
	return i;
}

static void field_key(struct parser *p, const char *key, char *v)
{
	int i = prop_of_key(p, key, "fields");
	if (i < 0)
		return;
	struct mapping_prop_spec *s = &p->m->prop[i];
	if (s->nfields || s->constant) {
		perr(p, p->lineno, "%s: already set on line %d", key, s->line);
		return;
	}
	s->line = p->lineno;
	for (char *tok = strtok(v, "|"); tok; tok = strtok(NULL, "|")) {
		char *f = trim(tok);
		if (!*f) {
			perr(p, p->lineno, "%s: empty field name between '|'", key);
			return;
		}
		if (s->nfields == MAPPING_MAX_FIELDS) {
			perr(p, p->lineno, "%s: more than %d fields", key, MAPPING_MAX_FIELDS);
			return;
		}
		if (!(s->field[s->nfields++] = strdup(f))) {
			perr(p, p->lineno, "out of memory");
			return;
		}
	}
}

static int valid_kind(const char *v)
{
	for (const char *c = v; *c; c++)
		if (!islower((unsigned char)*c) && *c != '_')
			return 0;
	return *v != '\0';
}

static void constant_key(struct parser *p, const char *key, const char *v)
{
	int i = prop_of_key(p, key, "constants");
	double d;
	if (i < 0)
		return;
	struct mapping_prop_spec *s = &p->m->prop[i];
	if (s->nfields || s->constant) {
		perr(p, p->lineno, "%s: already set on line %d", key, s->line);
		return;
	}
	if (mapping_prop_is_number(i) && parse_double(v, &d) < 0) {
		perr(p, p->lineno, "%s: \"%s\" is not a number", key, v);
		return;
	}
	if (i == MP_FIXED && strcmp(v, "0") != 0 && strcmp(v, "1") != 0) {
		perr(p, p->lineno, "fixed: \"%s\" is not 0 or 1", v);
		return;
	}
	if (i == MP_KIND && !valid_kind(v)) {
		perr(p, p->lineno, "kind: \"%s\" must be lower-case letters and _", v);
		return;
	}
	s->line = p->lineno;
	set_string(p, &s->constant, v);
}

static void value_key(struct parser *p, const char *key, const char *v)
{
	struct mapping_prop_spec *s = &p->m->prop[p->values_of];
	for (size_t i = 0; i < s->nvalues; i++)
		if (strcmp(s->values[i].from, key) == 0) {
			perr(p, p->lineno, "%s: listed twice in [values %s]", key,
			     prop_names[p->values_of]);
			return;
		}
	if (p->values_of == MP_KIND && !valid_kind(v) && strcmp(v, "*") != 0) {
		perr(p, p->lineno, "%s: kind \"%s\" must be lower-case letters and _", key, v);
		return;
	}
	struct mapping_value *nv = realloc(s->values, (s->nvalues + 1) * sizeof *nv);
	if (!nv) {
		perr(p, p->lineno, "out of memory");
		return;
	}
	s->values = nv;
	nv[s->nvalues].from = strdup(key);
	nv[s->nvalues].to = strdup(v);
	if (!nv[s->nvalues].from || !nv[s->nvalues].to) {
		free(nv[s->nvalues].from);
		free(nv[s->nvalues].to);
		perr(p, p->lineno, "out of memory");
		return;
	}
	s->nvalues++;
}

static void section_line(struct parser *p, char *line)
{
	char *close = strchr(line, ']');
	if (!close || trim(close + 1)[0]) {
		perr(p, p->lineno, "expected \"[section]\", got \"%s\"", line);
		p->sec = SEC_BAD;
		return;
	}
	*close = '\0';
	char *name = trim(line + 1);
	p->sec = SEC_BAD;
	if (strcmp(name, "source") == 0)
		p->sec = SEC_SOURCE;
	else if (strcmp(name, "fields") == 0)
		p->sec = SEC_FIELDS;
	else if (strcmp(name, "constants") == 0)
		p->sec = SEC_CONSTANTS;
	else if (strncmp(name, "values", 6) == 0 && isspace((unsigned char)name[6])) {
		char *prop = trim(name + 7);
		int i = find_prop(prop);
		if (i < 0 || mapping_prop_is_number(i) || i == MP_FIXED) {
			perr(p, p->lineno, "[values %s]: %s", prop, i < 0 ? "unknown property"
			     : "value maps are for text properties (id, name, kind, subkind, code)");
		} else if (p->values_at[i]) {
			perr(p, p->lineno, "[values %s]: given twice", prop);
		} else {
			p->sec = SEC_VALUES;
			p->values_of = i;
			p->values_at[i] = p->lineno;
		}
	} else
		perr(p, p->lineno, "unknown section [%s] (known: [source], [fields], [constants], "
		     "[values PROPERTY])", name);
}

static void key_line(struct parser *p, char *line)
{
	char *eq = strchr(line, '=');
	if (!eq) {
		perr(p, p->lineno, "expected \"key = value\", got \"%s\"", line);
		return;
	}
	*eq = '\0';
	char *key = trim(line), *v = trim(eq + 1);
	if (!*key) {
		perr(p, p->lineno, "expected \"key = value\", got no key before '='");
		return;
	}
	if (!*v) {
		perr(p, p->lineno, "%s: empty value", key);
		return;
	}
	switch (p->sec) {
	case SEC_SOURCE: source_key(p, key, v); break;
	case SEC_FIELDS: field_key(p, key, v); break;
	case SEC_CONSTANTS: constant_key(p, key, v); break;
	case SEC_VALUES: value_key(p, key, v); break;
	case SEC_NONE: perr(p, p->lineno, "%s: key before the first [section]", key); break;
	default: break;              /* inside a bad section: reported once at its header */
	}
}

static void parse_line(struct parser *p, char *raw)
{
	char *line = trim(raw);
	if (!*line || *line == ';' || *line == '#')
		return;
	cut_comment(line);
	line = trim(line);
	if (*line == '[')
		section_line(p, line);
	else
		key_line(p, line);
}

/* A property's line, or the target line / 1 when it was never set. */
static int line_of(const struct parser *p, enum mapping_prop i)
{
	return p->m->prop[i].line ? p->m->prop[i].line : p->target_line ? p->target_line : 1;
}

static int is_set(const struct mapping *m, enum mapping_prop i)
{
	return m->prop[i].nfields || m->prop[i].constant;
}

static void check_target(struct parser *p)
{
	struct mapping *m = p->m;
	int sites = m->target == MAPPING_SITES;
	for (int i = 0; i < MP_COUNT; i++) {
		if (!is_set(m, i) || i == MP_NAME || (is_site_prop(i) == sites))
			continue;
		perr(p, line_of(p, i), "%s: not a property of target %s", prop_names[i],
		     sites ? "sites" : "ref_areas");
	}
	static const enum mapping_prop site_need[] = {MP_NAME, MP_KIND};
	static const enum mapping_prop ref_need[] = {MP_CODE, MP_RESIDENTS};
	const enum mapping_prop *need = sites ? site_need : ref_need;
	for (int i = 0; i < 2; i++)
		if (!is_set(m, need[i]))
			perr(p, p->target_line ? p->target_line : 1, "%s: required for target %s "
			     "(in [fields]%s)", prop_names[need[i]], sites ? "sites" : "ref_areas",
			     need[i] == MP_KIND ? " or [constants]" : "");
	if (!sites && !m->ref_layer)
		perr(p, p->target_line ? p->target_line : 1,
		     "ref_layer: required in [source] for target ref_areas");
	if (is_set(m, MP_RESIDENTS_65PLUS) && is_set(m, MP_PCT_65PLUS))
		perr(p, line_of(p, MP_PCT_65PLUS), "pct_65plus: give residents_65plus or "
		     "pct_65plus, not both");
}

static void check_values(struct parser *p)
{
	for (int i = 0; i < MP_COUNT; i++) {
		const struct mapping_prop_spec *s = &p->m->prop[i];
		if (!p->values_at[i])
			continue;
		if (!s->nvalues)
			perr(p, p->values_at[i], "[values %s]: no \"source value = stored value\" "
			     "lines", prop_names[i]);
		else if (!s->nfields)
			perr(p, p->values_at[i], "[values %s]: %s has no field in [fields]",
			     prop_names[i], prop_names[i]);
	}
}

static void parse_text(struct parser *p, const char *text, size_t len)
{
	char line[MAX_LINE + 1];
	size_t pos = 0;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - (text + pos)) : len - pos;
		p->lineno++;
		if (n > MAX_LINE) {
			perr(p, p->lineno, "line longer than %d bytes", MAX_LINE);
		} else if (memchr(text + pos, '\0', n)) {
			perr(p, p->lineno, "NUL byte in the line");
		} else {
			memcpy(line, text + pos, n);
			line[n] = '\0';
			parse_line(p, line);
		}
		pos += n + 1;
	}
}

static char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');
	char *name = strdup(slash ? slash + 1 : path);
	size_t n = name ? strlen(name) : 0;
	if (n > 4 && strcasecmp(name + n - 4, ".ini") == 0)
		name[n - 4] = '\0';
	return name;
}

int mapping_parse(const char *path, const char *text, size_t len, struct mapping **out,
		  char *err, size_t errlen)
{
	struct mapping *m = calloc(1, sizeof *m);
	struct parser p = {.m = m, .name = path, .err = err, .errlen = errlen};
	*out = NULL;
	if (errlen)
		err[0] = '\0';
	if (!m || !(m->path = strdup(path)) || !(m->name = base_name(path))) {
		mapping_free(m);
		snprintf(err, errlen, "%s: out of memory", path);
		return -ENOMEM;
	}
	parse_text(&p, text, len);
	if (p.nerr == 0) {
		check_values(&p);
		check_target(&p);
	}
	if (p.nerr) {
		mapping_free(m);
		return -EINVAL;
	}
	*out = m;
	return 0;
}

int mapping_load(const char *path, struct mapping **out, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *text = NULL;
	long len = -1;
	*out = NULL;
	if (!f) {
		int rc = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) >= 0 && len <= (1L << 20) &&
	    fseek(f, 0, SEEK_SET) == 0 && (text = malloc((size_t)len + 1)) &&
	    fread(text, 1, (size_t)len, f) == (size_t)len) {
		fclose(f);
		int rc = mapping_parse(path, text, (size_t)len, out, err, errlen);
		free(text);
		return rc;
	}
	fclose(f);
	free(text);
	snprintf(err, errlen, "%s: %s", path, len > (1L << 20) ? "larger than 1 MiB"
		 : "cannot read the file");
	return -EIO;
}

void mapping_free(struct mapping *m)
{
	if (!m)
		return;
	for (int i = 0; i < MP_COUNT; i++) {
		struct mapping_prop_spec *s = &m->prop[i];
		for (size_t k = 0; k < s->nfields; k++)
			free(s->field[k]);
		for (size_t k = 0; k < s->nvalues; k++) {
			free(s->values[k].from);
			free(s->values[k].to);
		}
		free(s->values);
		free(s->constant);
	}
	free(m->path);
	free(m->name);
	free(m->file);
	free(m->layer);
	free(m->source);
	free(m->ref_layer);
	free(m);
}

int mapping_matches(const struct mapping *m, const char *path, const char *layer)
{
	if (!m->file)
		return 0;
	size_t n = strlen(path), k = strlen(m->file);
	if (k > n || strcmp(path + n - k, m->file) != 0 || (k < n && path[n - k - 1] != '/'))
		return 0;
	return !layer || !m->layer || strcmp(layer, m->layer) == 0;
}

const char *mapping_map_value(const struct mapping *m, enum mapping_prop p, const char *value)
{
	const struct mapping_prop_spec *s = &m->prop[p];
	const char *any = NULL;
	if (!s->values)
		return value;
	for (size_t i = 0; i < s->nvalues; i++) {
		if (strcmp(s->values[i].from, value) == 0)
			return s->values[i].to;
		if (strcmp(s->values[i].from, "*") == 0)
			any = s->values[i].to;
	}
	return any && strcmp(any, "*") == 0 ? value : any;
}

int mapping_is_unknown(const struct mapping *m, double v)
{
	for (size_t i = 0; i < m->nunknown; i++)
		if (m->unknown[i] == v)
			return 1;
	return 0;
}

static int set_add(struct mapping_set *set, struct mapping *m, char *err, size_t errlen)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct mapping *o = set->items[i];
		if (m->file && o->file && strcmp(m->file, o->file) == 0 &&
		    (!m->layer || !o->layer || strcmp(m->layer, o->layer) == 0)) {
			snprintf(err, errlen, "%s: file %s%s%s is already mapped by %s", m->path,
				 m->file, m->layer ? " layer " : "", m->layer ? m->layer : "",
				 o->path);
			mapping_free(m);
			return -EEXIST;
		}
	}
	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 8;
		struct mapping **items = realloc(set->items, cap * sizeof *items);
		if (!items) {
			mapping_free(m);
			snprintf(err, errlen, "out of memory");
			return -ENOMEM;
		}
		set->items = items;
		set->cap = cap;
	}
	set->items[set->n++] = m;
	return 0;
}

int mapping_set_load_file(struct mapping_set *set, const char *path, char *err, size_t errlen)
{
	struct mapping *m = NULL;
	int rc = mapping_load(path, &m, err, errlen);
	return rc < 0 ? rc : set_add(set, m, err, errlen);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_ini_suffix(const char *name)
{
	size_t n = strlen(name);
	return name[0] != '.' && n > 4 && strcasecmp(name + n - 4, ".ini") == 0;
}

int mapping_set_load_dir(struct mapping_set *set, const char *dir, char *err, size_t errlen)
{
	struct dirent **list = NULL;
	int n = scandir(dir, &list, NULL, NULL), rc = 0;
	if (n < 0) {
		rc = -errno;
		snprintf(err, errlen, "mappings folder %s: %s", dir, strerror(errno));
		return rc;
	}
	char **names = calloc((size_t)n + 1, sizeof *names);
	size_t k = 0;
	for (int i = 0; i < n; i++) {
		if (names && has_ini_suffix(list[i]->d_name))
			names[k++] = strdup(list[i]->d_name);
		free(list[i]);
	}
	free(list);
	if (!names) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	qsort(names, k, sizeof *names, by_name);
	for (size_t i = 0; i < k && rc == 0; i++) {
		char path[4096];
		if (!names[i]) {
			snprintf(err, errlen, "out of memory");
			rc = -ENOMEM;
			break;
		}
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		rc = mapping_set_load_file(set, path, err, errlen);
	}
	for (size_t i = 0; i < k; i++)
		free(names[i]);
	free(names);
	return rc;
}

const struct mapping *mapping_set_find(const struct mapping_set *set, const char *path,
				       const char *layer)
{
	for (size_t i = 0; i < set->n; i++)
		if (mapping_matches(set->items[i], path, layer))
			return set->items[i];
	return NULL;
}

void mapping_set_free(struct mapping_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		mapping_free(set->items[i]);
	free(set->items);
	memset(set, 0, sizeof *set);
}
