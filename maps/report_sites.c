/* The report's section on where the points stand and who has power of their own: the
 * chosen sites by kind per level, the regional points at generated positions (no fire
 * station reaches there), the care institutions without a funded generator and the
 * hospitals, all in the report's scope. Writes HTML only. */
#include "maps/report.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "model/served_places.h"
#include "util/fmt.h"

#define KINDS_MAX 32

struct kind_row {
	const char *kind;
	size_t n[2];
};

/* The open sites in scope per kind and level ("generated" for generated positions). */
static size_t count_kinds(const struct map_model *m, struct kind_row *rows, size_t total[2])
{
	size_t n = 0;
	total[0] = total[1] = 0;
	for (size_t k = 0; k < m->s->nsites; k++) {
		const struct served_site *st = &m->s->sites[k];
		const char *kind = st->site_id < 0 ? "generated" : st->kind ? st->kind : "other";
		size_t r = 0;
		if (!map_site_in_scope(m, st))
			continue;
		while (r < n && strcmp(rows[r].kind, kind) != 0)
			r++;
		if (r == n && n < KINDS_MAX)
			rows[n++] = (struct kind_row){kind, {0, 0}};
		if (r < n)
			rows[r].n[st->level == 2]++;
		total[st->level == 2]++;
	}
	return n;
}

const char *report_kind_label(const struct report_out *o, const char *kind)
{
	const char *const names[][2] = {
		{"generated", RT(o, RT_KIND_GENERATED)}, {"other", RT(o, RT_KIND_OTHER)},
		{"school", RT(o, RT_KIND_SCHOOL)}, {"fire_station", RT(o, RT_KIND_FIRE_STATION)},
		{"town_hall", RT(o, RT_KIND_TOWN_HALL)},
		{"ambulance_post", RT(o, RT_KIND_AMBULANCE_POST)},
		{"community_centre", RT(o, RT_KIND_COMMUNITY_CENTRE)},
		{"church", RT(o, RT_KIND_CHURCH)}};
	for (size_t i = 0; kind && i < sizeof names / sizeof names[0]; i++)
		if (strcmp(kind, names[i][0]) == 0)
			return names[i][1];
	return kind;
}

static void kinds_table(struct report_out *o)
{
	struct kind_row rows[KINDS_MAX];
	size_t total[2], n = count_kinds(o->m, rows, total);
	char pct[32];
	report_printf(o, "<table id=\"kinds-table\" class=\"small\"><thead><tr><th>%s</th>"
		      "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
		      RT(o, RT_KIND), RT(o, RT_LOCAL_POINTS), RT(o, RT_SHARE),
		      RT(o, RT_REGIONAL_POINTS), RT(o, RT_SHARE));
	for (size_t r = 0; r < n; r++) {
		report_printf(o, "<tr data-kind=\"%s\"><td>", rows[r].kind);
		report_text(o, report_kind_label(o, rows[r].kind));
		for (int l = 0; l < 2; l++)
			report_printf(o, "</td><td class=\"n\">%zu</td><td class=\"n\">%s%%", rows[r].n[l],
				      report_num(o, pct, sizeof pct, total[l] ? 100.0 *
						 (double)rows[r].n[l] / (double)total[l] : 0, 1));
		report_printf(o, "</td></tr>\n");
	}
	report_printf(o, "</tbody></table>\n");
}

/* The regional points at generated positions, each a row: no site of regional_kinds
 * (fire stations by default) reaches the residents there. */
static void generated_regional(struct report_out *o)
{
	const struct served *s = o->m->s;
	size_t n = 0;
	for (size_t k = 0; k < s->nsites; k++)
		n += s->sites[k].level == 2 && s->sites[k].site_id < 0 &&
		     map_site_in_scope(o->m, &s->sites[k]);
	report_printf(o, "<p>");
	if (n == 1)
		report_printf(o, RT(o, RT_GENERATED_ONE), n);
	else
		report_printf(o, RT(o, RT_GENERATED_MANY), n);
	report_text(o, o->m->scope_name);
	report_printf(o, "%s", RT(o, RT_GENERATED_WHY));
	report_text(o, s->params.regional_kinds[0] ? s->params.regional_kinds : RT(o, RT_ANY_KIND));
	report_printf(o, "%s</p>\n", RT(o, RT_GENERATED_REACH));
	if (!n)
		return;
	report_printf(o, "<table id=\"generated-regional\" class=\"small\"><thead><tr>"
		      "<th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n", RT(o, RT_GEMEENTE),
		      RT(o, RT_RD_XY), RT(o, RT_LAT_LON));
	for (size_t k = 0; k < s->nsites; k++) {
		const struct served_site *st = &s->sites[k];
		if (st->level != 2 || st->site_id >= 0 || !map_site_in_scope(o->m, st))
			continue;
		report_printf(o, "<tr data-generated=\"regional\"><td>");
		report_text(o, st->gemeente >= 0 ? s->areas[st->gemeente].name : "");
		report_printf(o, "</td><td>%.0f, %.0f</td><td>%.5f, %.5f</td></tr>\n", st->x, st->y,
			      st->lat, st->lon);
	}
	report_printf(o, "</tbody></table>\n");
}

/* A text member of an institution's rendered JSON (NULL when absent). */
static const char *member(json_t *j, const char *key)
{
	return json_string_value(json_object_get(j, key));
}

static void care_row(struct report_out *o, const struct served_inst *i)
{
	json_t *j = json_loads(i->json, 0, NULL);
	double people = i->beds == i->beds && i->beds > 0 ? i->beds : i->clients;
	char p[32], k[32], c[32];
	report_printf(o, "<tr data-care=\"unfunded\"><td>");
	report_text(o, member(j, "name"));
	report_printf(o, "</td><td>");
	report_text(o, member(j, "subkind"));
	report_printf(o, "</td><td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s"
		      "</td></tr>\n", people == people ? report_num(o, p, sizeof p, people, 0) : "-",
		      report_num(o, k, sizeof k, i->kva, 0), report_num(o, c, sizeof c, i->cost_eur, 0));
	json_decref(j);
}

static void care(struct report_out *o)
{
	const struct served *s = o->m->s;
	struct selection *sel = o->m->nation ? NULL : (struct selection *)&o->m->sel;
	size_t n = 0, funded = 0, hosp = 0;
	double beds = 0, ic = 0;
	for (size_t k = 0; k < s->care.n; k++)
		if (!sel || served_inst_in(s, sel, &s->care.v[k])) {
			n++;
			funded += s->care.v[k].funded != 0;
		}
	for (size_t k = 0; k < s->hospitals.n; k++)
		if (!sel || served_inst_in(s, sel, &s->hospitals.v[k])) {
			hosp++;
			beds += s->hospitals.v[k].beds == s->hospitals.v[k].beds ? s->hospitals.v[k].beds : 0;
			ic += s->hospitals.v[k].ic_beds == s->hospitals.v[k].ic_beds
			      ? s->hospitals.v[k].ic_beds : 0;
		}
	report_printf(o, "<p id=\"care-summary\">");
	report_printf(o, RT(o, RT_CARE_SUMMARY), n, funded, hosp, beds, ic);
	report_printf(o, "</p>\n");
	if (funded == n)
		return;
	report_printf(o, "<table id=\"care-unfunded\" class=\"small\"><thead><tr><th>%s</th>"
		      "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
		      RT(o, RT_INSTITUTION), RT(o, RT_KIND), RT(o, RT_BEDS_CLIENTS),
		      RT(o, RT_GENERATOR_KVA), RT(o, RT_COST_EUR));
	for (size_t k = 0; k < s->care.n; k++)
		if ((!sel || served_inst_in(s, sel, &s->care.v[k])) && !s->care.v[k].funded)
			care_row(o, &s->care.v[k]);
	report_printf(o, "</tbody></table>\n");
}

void report_sites(struct report_out *o)
{
	report_printf(o, "<section id=\"sites-kinds\"><h2>%s</h2>\n", RT(o, RT_SITES));
	kinds_table(o);
	generated_regional(o);
	care(o);
	report_printf(o, "</section>\n");
}
