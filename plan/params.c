/* The plan-parameter schema and its JSON pair. The table is the only place a stored key is
 * spelled: the plan store writes with plan_params_to_json, the served model reads with
 * plan_params_from_json and the report labels from the table. Changing a key, a type or
 * the number formatting changes every stored plan's text: keep them as they are. */
#include "plan/params.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define AT(field) offsetof(struct plan_params, field)

const struct plan_param plan_param_table[] = {
	{"scope", PLAN_PARAM_SCOPE, 0, "", "plan scope", 1, 0, 0,
	 "", "reikwijdte van het plan"},
	{"local_mode", PLAN_PARAM_MODE, AT(mode), "",
	 "local mode (target: fewest points for the target; budget: a fixed number)", 1, 0, 0,
	 "", "lokale modus (target: zo min mogelijk punten voor het doel; budget: een vast aantal)"},
	{"coverage_target_pct", PLAN_PARAM_REAL, AT(target_pct), "% of weighted residents",
	 "coverage target per gemeente", 1, 0, 0,
	 "% van de gewogen inwoners", "dekkingsdoel per gemeente"},
	{"max_residents_per_site", PLAN_PARAM_REAL, AT(capacity), "",
	 "capacity: most residents per point", 1, 0, 0,
	 "", "capaciteit: hoogstens zoveel inwoners per punt"},
	{"local_sites", PLAN_PARAM_SIZE, AT(local_sites), "", "local points in budget mode", 1, 0, 0,
	 "", "lokale noodsteunpunten in budgetmodus"},
	{"regional_sites", PLAN_PARAM_SIZE, AT(regional_sites), "", "regional points, at most", 1,
	 0, 0,
	 "", "hoofdsteunpunten, hoogstens"},
	{"seed", PLAN_PARAM_SEED, AT(seed), "", "random seed", 0, 0, 0,
	 "", "startwaarde van het toeval"},
	{"local_radius_m", PLAN_PARAM_RADII, AT(local_radius_m), "m", "local radius", 1, 1, 0,
	 "m", "lokaal bereik"},
	{"regional_radius_m", PLAN_PARAM_RADII, AT(regional_radius_m), "m", "regional radius", 1,
	 1, 0,
	 "m", "regionaal bereik"},
	{"detour_factor", PLAN_PARAM_REAL, AT(detour_factor), "",
	 "detour factor (route / straight line)", 1, 1, 0,
	 "", "omrijfactor (route / hemelsbreed)"},
	{"sample_spacing_urban_m", PLAN_PARAM_WHOLE, AT(demand.spacing_urban_m), "m",
	 "demand sample spacing, classes 1–3", 0, 1, 0,
	 "m", "afstand tussen vraagpunten, klassen 1–3"},
	{"sample_spacing_rural_m", PLAN_PARAM_WHOLE, AT(demand.spacing_rural_m), "m",
	 "demand sample spacing, classes 4–5", 0, 1, 0,
	 "m", "afstand tussen vraagpunten, klassen 4–5"},
	{"spread_layer", PLAN_PARAM_LAYER, AT(demand.spread_layer), "",
	 "layer spreading wijken without buurten (auto, none or a layer)", 0, 0, 0,
	 "", "laag die wijken zonder buurten spreidt (auto, none of een laag)"},
	{"weight_65plus", PLAN_PARAM_REAL, AT(demand.weight_65plus), "",
	 "extra weight per resident aged 65+", 1, 0, 0,
	 "", "extra gewicht per 65-plusser"},
	{"weight_no_car", PLAN_PARAM_REAL, AT(demand.weight_no_car), "",
	 "extra weight per resident without a car (classes 4–5)", 1, 0, 0,
	 "", "extra gewicht per inwoner zonder auto (klassen 4–5)"},
	{"weight_medical", PLAN_PARAM_REAL, AT(weight_medical), "",
	 "extra weight per resident on medical equipment", 1, 0, 0,
	 "", "extra gewicht per inwoner met medische apparatuur"},
	{"generate_candidates", PLAN_PARAM_INT, AT(generate_candidates), "",
	 "generated candidate positions (1 = yes)", 0, 0, 0,
	 "", "gegenereerde kandidaatlocaties (1 = ja)"},
	{"candidate_block_m", PLAN_PARAM_WHOLE, AT(block_m), "m", "candidate block", 0, 1, 0,
	 "m", "blok voor kandidaatlocaties"},
	{"regional_block_m", PLAN_PARAM_WHOLE, AT(regional_block_m), "m", "regional demand block",
	 0, 1, 0,
	 "m", "blok voor de regionale vraag"},
	{"bound_iterations", PLAN_PARAM_INT, AT(bound_iterations), "", "bound: subgradient steps",
	 0, 0, 0,
	 "", "bovengrens: subgradiëntstappen"},
	{"search_time_s", PLAN_PARAM_WHOLE, AT(time_limit_s), "s", "local search per level", 0, 0, 0,
	 "s", "lokaal zoeken per niveau"},
	{"exact_regions", PLAN_PARAM_KINDS, AT(exact_regions), "",
	 "safety regions with an exact bound (CBC)", 0, 0, 1,
	 "", "veiligheidsregio's met een exacte bovengrens (CBC)"},
	{"exact_time_limit_s", PLAN_PARAM_WHOLE, AT(exact_time_limit_s), "s",
	 "exact solve per safety region", 0, 0, 1,
	 "s", "exacte oplossing per veiligheidsregio"},
	{"local_kinds", PLAN_PARAM_KINDS, AT(local_kinds), "", "site kinds for local points", 1,
	 0, 1,
	 "", "soorten locaties voor lokale noodsteunpunten"},
	{"regional_kinds", PLAN_PARAM_KINDS, AT(regional_kinds), "",
	 "site kinds for regional points", 1, 0, 1,
	 "", "soorten locaties voor hoofdsteunpunten"},
	{"backup_sites", PLAN_PARAM_SIZE, AT(backup_sites), "",
	 "extra local points for backup coverage (within reach of two)", 1, 0, 1,
	 "", "extra lokale noodsteunpunten voor dubbele dekking (twee binnen bereik)"},
	{"hazard_exclude", PLAN_PARAM_KINDS, AT(hazard_exclude), "",
	 "hazard layers whose candidates are excluded", 1, 0, 1,
	 "", "risicokaarten waarbinnen kandidaatlocaties vervallen"},
	{"hazard_flag", PLAN_PARAM_KINDS, AT(hazard_flag), "",
	 "hazard layers whose chosen sites inside are flagged", 1, 0, 1,
	 "", "risicokaarten waarbinnen gekozen locaties gemarkeerd worden"},
	{"care_kva", PLAN_PARAM_REAL, AT(backup.care_kva), "kVA",
	 "smallest generator of a care institution", 1, 0, 1,
	 "kVA", "kleinste noodstroomaggregaat van een zorginstelling"},
	{"care_kva_per_person", PLAN_PARAM_REAL, AT(backup.care_kva_per_person), "kVA",
	 "care generator per bed or intramural client", 1, 0, 1,
	 "kVA", "aggregaat van een zorginstelling per bed of intramurale cliënt"},
	{"care_weight", PLAN_PARAM_REAL, AT(backup.care_weight), "households",
	 "weight of a care bed or client in the ranking", 1, 0, 1,
	 "huishoudens", "gewicht van een zorgbed of cliënt in de rangorde"},
	{"generator_eur_per_kva", PLAN_PARAM_REAL, AT(backup.generator_eur_per_kva), "EUR",
	 "generator with 72 h of fuel, per kVA", 1, 0, 1,
	 "EUR", "noodstroomaggregaat met brandstof voor 72 uur, per kVA"},
};

const size_t plan_param_count = sizeof plan_param_table / sizeof plan_param_table[0];

const struct plan_param *plan_param_find(const char *key)
{
	for (size_t i = 0; key && i < plan_param_count; i++)
		if (strcmp(plan_param_table[i].key, key) == 0)
			return &plan_param_table[i];
	return NULL;
}

int plan_kinds_match(const char *list, const char *kind, const char *subkind)
{
	size_t nk = kind ? strlen(kind) : 0;
	if (!list[0])
		return 1;
	for (const char *p = list; *p;) {
		size_t n = strcspn(p, ","), slash = strcspn(p, "/");
		if (slash >= n && n == nk && strncmp(p, kind, n) == 0)
			return 1;
		if (slash < n && slash == nk && kind && strncmp(p, kind, slash) == 0 && subkind &&
		    strlen(subkind) == n - slash - 1 && strncmp(p + slash + 1, subkind, n - slash - 1) == 0)
			return 1;
		p += n + (p[n] == ',');
	}
	return 0;
}

void plan_params_init(struct plan_params *p)
{
	memset(p, 0, sizeof *p);
	p->demand.assign_max_m = PLAN_ASSIGN_MAX_M;
}

/* ---- to JSON ---- */

static json_t *radii_json(const double r[5])
{
	json_t *a = json_array();
	for (int k = 0; a && k < 5; k++)
		if (json_array_append_new(a, json_real(r[k])) < 0) {
			json_decref(a);
			return NULL;
		}
	return a;
}

/* The value of entry e in p (scope given apart), as the stored plans have always had it:
 * sizes, seeds and whole numbers go through int. */
static json_t *value_json(const struct plan_param *e, const struct plan_params *p,
			  const char *scope)
{
	const char *at = (const char *)p + e->offset;
	switch (e->type) {
	case PLAN_PARAM_REAL: return json_real(*(const double *)at);
	case PLAN_PARAM_WHOLE: return json_integer((int)*(const double *)at);
	case PLAN_PARAM_INT: return json_integer(*(const int *)at);
	case PLAN_PARAM_SIZE: return json_integer((int)*(const size_t *)at);
	case PLAN_PARAM_SEED: return json_integer((int)*(const uint32_t *)at);
	case PLAN_PARAM_MODE:
		return json_string(*(const enum plan_mode *)at == PLAN_MODE_BUDGET ? "budget" : "target");
	case PLAN_PARAM_RADII: return radii_json((const double *)at);
	case PLAN_PARAM_SCOPE: return scope ? json_string(scope) : json_null();
	case PLAN_PARAM_KINDS: return json_string(at);
	case PLAN_PARAM_LAYER: return json_string(at);
	}
	return NULL;
}

int plan_params_to_json(const struct plan_params *p, const char *scope, json_t **out)
{
	json_t *o = json_object();
	for (size_t i = 0; o && i < plan_param_count; i++) {
		const struct plan_param *e = &plan_param_table[i];
		/* a plan without hazard exclusion keeps the text plans always had */
		if ((e->offset == AT(hazard_exclude) && !p->hazard_exclude[0]) ||
		    (e->offset == AT(hazard_flag) && !p->hazard_flag[0]))
			continue;
		if (json_object_set_new(o, e->key, value_json(e, p, scope)) < 0) {
			json_decref(o);
			o = NULL;
		}
	}
	*out = o;
	return o ? 0 : -ENOMEM;
}

/* ---- from JSON ---- */

static int bad(char *err, size_t errlen, const char *key, const char *what)
{
	snprintf(err, errlen, "%s: %s", key, what);
	return -EINVAL;
}

/* A number of entry e, checked against its type and minimum. */
static int read_number(const struct plan_param *e, const json_t *v, double *x, char *err,
		       size_t errlen)
{
	int whole = e->type != PLAN_PARAM_REAL && e->type != PLAN_PARAM_WHOLE &&
		    e->type != PLAN_PARAM_RADII;
	if (whole ? !json_is_integer(v) : !json_is_number(v))
		return bad(err, errlen, e->key, whole ? "not an integer" : "not a number");
	*x = json_number_value(v);
	if (!isfinite(*x) || *x < e->min) {
		snprintf(err, errlen, "%s: %.17g is below %g", e->key, *x, e->min);
		return -EINVAL;
	}
	if (e->type == PLAN_PARAM_SEED && *x > UINT32_MAX)
		return bad(err, errlen, e->key, "out of range for a seed");
	return 0;
}

static int read_radii(const struct plan_param *e, const json_t *v, double *r, char *err,
		      size_t errlen)
{
	if (!json_is_array(v) || json_array_size(v) != 5)
		return bad(err, errlen, e->key, "not an array of 5 numbers");
	for (size_t k = 0; k < 5; k++) {
		int rc = read_number(e, json_array_get(v, k), &r[k], err, errlen);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int read_mode(const struct plan_param *e, const json_t *v, enum plan_mode *m,
		     char *err, size_t errlen)
{
	const char *s = json_string_value(v);
	if (s && strcmp(s, "target") == 0)
		*m = PLAN_MODE_TARGET;
	else if (s && strcmp(s, "budget") == 0)
		*m = PLAN_MODE_BUDGET;
	else
		return bad(err, errlen, e->key, "not \"target\" or \"budget\"");
	return 0;
}

static int read_scope(const struct plan_param *e, const json_t *v, char **scope, char *err,
		      size_t errlen)
{
	if (!v || json_is_null(v))
		return 0;             /* plans stored before scopes existed: the nation */
	if (!json_is_string(v))
		return bad(err, errlen, e->key, "not a string or null");
	if (!(*scope = strdup(json_string_value(v)))) {
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static int read_kinds(const struct plan_param *e, const json_t *v, char *at, char *err,
		      size_t errlen)
{
	const char *s = json_string_value(v);
	if (!s)
		return bad(err, errlen, e->key, "not a string");
	if (strlen(s) >= sizeof ((struct plan_params *)0)->local_kinds)
		return bad(err, errlen, e->key, "longer than 127 bytes");
	strcpy(at, s);
	return 0;
}

static int read_layer(const struct plan_param *e, const json_t *v, char *at, char *err,
		      size_t errlen)
{
	const char *s = v ? json_string_value(v) : "none";
	if (!s)
		return bad(err, errlen, e->key, "not a string");
	if (strlen(s) >= DEMAND_LAYER_LEN)
		return bad(err, errlen, e->key, "longer than a layer name");
	snprintf(at, DEMAND_LAYER_LEN, "%s", s);
	return 0;
}

static int read_value(const struct plan_param *e, const json_t *v, struct plan_params *p,
		      char *err, size_t errlen)
{
	char *at = (char *)p + e->offset;
	double x = 0;
	int rc = 0;
	if (e->type == PLAN_PARAM_KINDS)
		return read_kinds(e, v, at, err, errlen);
	if (e->type == PLAN_PARAM_LAYER)
		return read_layer(e, v, at, err, errlen);
	if (e->type == PLAN_PARAM_MODE)
		return read_mode(e, v, (enum plan_mode *)at, err, errlen);
	if (e->type == PLAN_PARAM_RADII)
		return read_radii(e, v, (double *)at, err, errlen);
	if ((rc = read_number(e, v, &x, err, errlen)) < 0)
		return rc;
	switch (e->type) {
	case PLAN_PARAM_INT:
		if (x > INT32_MAX)
			return bad(err, errlen, e->key, "out of range for an integer");
		*(int *)at = (int)x;
		break;
	case PLAN_PARAM_SIZE: *(size_t *)at = (size_t)x; break;
	case PLAN_PARAM_SEED: *(uint32_t *)at = (uint32_t)x; break;
	default: *(double *)at = x;
	}
	return 0;
}

int plan_params_from_json(const json_t *j, struct plan_params *p, char **scope, char *err,
			  size_t errlen)
{
	plan_params_init(p);
	*scope = NULL;
	if (!json_is_object(j)) {
		snprintf(err, errlen, "not a JSON object");
		return -EINVAL;
	}
	for (size_t i = 0; i < plan_param_count; i++) {
		const struct plan_param *e = &plan_param_table[i];
		const json_t *v = json_object_get(j, e->key);
		int rc;
		if (e->type == PLAN_PARAM_SCOPE)
			rc = read_scope(e, v, scope, err, errlen);
		else if (e->type == PLAN_PARAM_LAYER && !v)
			rc = read_layer(e, v, (char *)p + e->offset, err, errlen);
		else if (e->optional && !v)
			rc = 0;       /* a plan stored before the key existed */
		else
			rc = v ? read_value(e, v, p, err, errlen) : bad(err, errlen, e->key, "missing");
		if (rc < 0) {
			free(*scope);
			*scope = NULL;
			return rc;
		}
	}
	return 0;
}
