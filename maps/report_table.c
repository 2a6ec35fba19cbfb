/* The report's tables and its one inline script: a sortable row per gemeente in scope
 * (figures from the plan's per-area results, points and wijkbatterijen counted per
 * gemeente), a row per safety region with its bound and gap, and the script that sorts
 * (click a header, or #sort=key / #sort=-key in the address) and marks the page ready.
 * Each gemeente row says how its demand was placed (which layer spread which areas).
 * Writes HTML only; never opens files. */
#include "maps/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "util/fmt.h"

/* A numeric cell: the shown text and the exact value the script sorts on. */
static void num_cell(struct report_out *o, double v, int decimals)
{
	char n[48];
	report_printf(o, "<td class=\"n\" data-v=\"%.*f\">%s</td>", decimals,
		      isfinite(v) ? v : -1, report_num(o, n, sizeof n, v, decimals));
}

/* Opens a sortable table: its id and a header per column {key, label}. */
static void header_row(struct report_out *o, const char *id, const char *const cols[][2],
		       size_t n)
{
	report_printf(o, "<table id=\"%s\" class=\"sortable small\"><thead><tr>", id);
	for (size_t i = 0; i < n; i++)
		report_printf(o, "<th data-key=\"%s\">%s</th>", cols[i][0], cols[i][1]);
	report_printf(o, "</tr></thead><tbody>\n");
}

static void text_cell(struct report_out *o, const char *s)
{
	report_printf(o, "<td>");
	report_text(o, s);
	report_printf(o, "</td>");
}

struct counts {
	long *local, *regional, *batteries;   /* [nareas] at gemeente indices */
};

static int32_t gemeente_of(const struct served *s, int32_t a)
{
	return a < 0 ? -1 : s->areas[a].level == 1 ? a : s->areas[a].gemeente;
}

static int count(const struct map_model *m, struct counts *c)
{
	const struct served *s = m->s;
	c->local = calloc(s->nareas + 1, sizeof *c->local);
	c->regional = calloc(s->nareas + 1, sizeof *c->regional);
	c->batteries = calloc(s->nareas + 1, sizeof *c->batteries);
	if (!c->local || !c->regional || !c->batteries)
		return -ENOMEM;
	for (size_t i = 0; i < s->nsites; i++) {
		const struct served_site *t = &s->sites[i];
		if (t->gemeente >= 0 && map_site_in_scope(m, t))
			(t->level == 1 ? c->local : c->regional)[t->gemeente]++;
	}
	for (size_t i = 0; i < m->nbat; i++) {
		int32_t gm = gemeente_of(s, m->bat[i].area);
		if (gm >= 0)
			c->batteries[gm]++;
	}
	return 0;
}

/* "12 buurten_2015, 2 even" for the demand areas of gemeente gm (grid cells as "cells"
 * through the areas they lie in: their own label "own" is not listed); "-" when none. */
static void spread_cell(struct report_out *o, int32_t gm)
{
	const struct served *s = o->m->s;
	const char *labels[16];
	long n[16];
	size_t k = 0;
	for (size_t i = 0; i < s->nareas && gm >= 0; i++) {
		const struct served_area *x = &s->areas[i];
		size_t j = 0;
		if (!x->spread[0] || strcmp(x->spread, "own") == 0 || gemeente_of(s, (int32_t)i) != gm)
			continue;
		while (j < k && strcmp(labels[j], x->spread) != 0)
			j++;
		if (j == k && k < 16) {
			labels[k] = x->spread;
			n[k++] = 0;
		}
		if (j < k)
			n[j]++;
	}
	report_printf(o, "<td>");
	for (size_t j = 0; j < k; j++) {
		report_printf(o, "%s%ld ", j ? ", " : "", n[j]);
		report_text(o, labels[j]);
	}
	report_printf(o, "%s</td>", k ? "" : "-");
}

static void gemeente_row(struct report_out *o, const struct counts *c, int32_t a)
{
	const struct served *s = o->m->s;
	const struct served_area *ar = &s->areas[a];
	const struct served_result *r = &ar->r;
	int32_t gm = gemeente_of(s, a);
	double pct = r->has && r->residents > 0 ? 100 * r->covered / r->residents : NAN;
	char n[32];
	report_printf(o, "<tr>");
	text_cell(o, ar->code);
	text_cell(o, ar->name);
	text_cell(o, map_region_code(o->m, a));
	num_cell(o, r->has ? r->residents : NAN, 0);
	report_printf(o, "<td class=\"n\" data-v=\"%.3f\"><span class=\"tsw\" style=\"background:"
		      "%s\"></span>%s</td>", isfinite(pct) ? pct : -1,
		      report_class_color(report_class(r)),
		      report_num(o, n, sizeof n, isfinite(pct) ? pct : 0, 2));
	num_cell(o, r->has && r->residents > 0 ? 100 * r->blackout_covered / r->residents : NAN, 2);
	num_cell(o, r->has && r->residents > 0 ? 100 * r->twice_covered / r->residents : NAN, 2);
	num_cell(o, r->has ? r->uncovered : NAN, 0);
	num_cell(o, r->has ? r->vulnerable_uncovered : NAN, 0);
	/* only what lies in scope is counted: for a wijk or buurt, what stands in it */
	num_cell(o, gm >= 0 ? (double)c->local[gm] : NAN, 0);
	num_cell(o, gm >= 0 ? (double)c->regional[gm] : NAN, 0);
	num_cell(o, gm >= 0 ? (double)c->batteries[gm] : NAN, 0);
	spread_cell(o, gm);
	report_printf(o, "</tr>\n");
}

static void gemeente_rows(struct report_out *o, const struct counts *c)
{
	const struct map_model *m = o->m;
	long rows = 0;
	for (size_t a = 0; a < m->s->nareas; a++) {
		if (m->s->areas[a].level != 1 || !map_area_in_scope(m, (int32_t)a))
			continue;
		gemeente_row(o, c, (int32_t)a);
		rows++;
	}
	if (!rows && !m->nation && m->sel.kind == SEL_AREA)
		gemeente_row(o, c, m->sel.index);  /* a wijk or buurt: its own row */
}

void report_table_gemeenten(struct report_out *o)
{
	const char *const cols[][2] = {
		{"code", RT(o, RT_CODE)}, {"name", RT(o, RT_GEMEENTE)}, {"region", RT(o, RT_REGION)},
		{"residents", RT(o, RT_RESIDENTS)}, {"covered", RT(o, RT_COVERED_PCT)},
		{"blackout", RT(o, RT_BLACKOUT_PCT)}, {"twice", RT(o, RT_TWICE_PCT)},
		{"uncovered", RT(o, RT_UNCOVERED)},
		{"uncovered65", RT(o, RT_UNCOVERED_65)}, {"local", RT(o, RT_LOCAL_POINTS)},
		{"regional", RT(o, RT_REGIONAL_POINTS)}, {"batteries", RT(o, RT_WIJKBATTERIJEN)},
		{"spread", RT(o, RT_SPREAD)}};
	struct counts c = {0};
	report_printf(o, "<section id=\"gemeenten\"><h2>%s</h2>\n<p class=\"small\">%s</p>\n",
		      RT(o, RT_PER_GEMEENTE), RT(o, RT_GEMEENTEN_INTRO));
	if (count(o->m, &c) < 0) {
		report_printf(o, "<p>%s</p>", RT(o, RT_OUT_OF_MEMORY));
	} else {
		header_row(o, "gm-table", cols, sizeof cols / sizeof cols[0]);
		gemeente_rows(o, &c);
		report_printf(o, "</tbody></table>\n");
	}
	report_printf(o, "</section>\n");
	free(c.local);
	free(c.regional);
	free(c.batteries);
}

static int region_shown(const struct map_model *m, size_t r)
{
	if (m->nation)
		return 1;
	if (m->sel.kind == SEL_REGION)
		return (int32_t)r == m->sel.index;
	return m->s->areas[m->sel.index].region == (int32_t)r;
}

void report_table_regions(struct report_out *o)
{
	const struct served *s = o->m->s;
	const char *const cols[][2] = {
		{"code", RT(o, RT_SAFETY_REGION)}, {"name", RT(o, RT_NAME)},
		{"residents", RT(o, RT_RESIDENTS)}, {"covered", RT(o, RT_COVERED_PCT)},
		{"blackout", RT(o, RT_BLACKOUT_PCT)}, {"twice", RT(o, RT_TWICE_PCT)},
		{"local", RT(o, RT_LOCAL_POINTS)}, {"regional", RT(o, RT_REGIONAL_POINTS)},
		{"weight", RT(o, RT_COVERED_WEIGHT)}, {"bound", RT(o, RT_BOUND_COL)},
		{"gap", RT(o, RT_GAP_PCT)}, {"method", RT(o, RT_BOUND_BY)}};
	header_row(o, "vr-table", cols, sizeof cols / sizeof cols[0]);
	for (size_t r = 0; r < s->nregions; r++) {
		const struct served_region *g = &s->regions[r];
		if (!region_shown(o->m, r) || !(g->residents > 0))
			continue;
		report_printf(o, "<tr>");
		text_cell(o, g->code);
		text_cell(o, g->name);
		num_cell(o, g->residents, 0);
		num_cell(o, 100 * g->covered_residents / g->residents, 2);
		num_cell(o, 100 * g->blackout_covered / g->residents, 2);
		num_cell(o, 100 * g->twice_covered / g->residents, 2);
		num_cell(o, (double)g->local_sites, 0);
		num_cell(o, (double)g->regional_sites, 0);
		num_cell(o, g->covered_weight, 0);
		num_cell(o, g->bound, 0);
		num_cell(o, g->gap_pct, 3);
		text_cell(o, strcmp(g->bound_method, "optimum") == 0 ? RT(o, RT_BY_OPTIMUM)
			     : strcmp(g->bound_method, "mip") == 0 ? RT(o, RT_BY_MIP)
			     : strcmp(g->bound_method, "cover") == 0 ? RT(o, RT_BY_COVER)
			     : RT(o, RT_BY_LAGRANGE));
		report_printf(o, "</tr>\n");
	}
	report_printf(o, "</tbody></table>\n");
}

/* Sorting, the #sort= address, the battery checkbox (#bat=1 ticks it), and the ready
 * mark the test reads from the DOM. */
void report_script(struct report_out *o)
{
	report_printf(o, "<script>\n(function(){\n"
		"var st=document.getElementById('report-status');\n"
		"function key(td){var v=td.getAttribute('data-v');"
		"return v===null?td.textContent.toLowerCase():parseFloat(v);}\n"
		"function sortBy(t,th,asc){var i=th.cellIndex,b=t.tBodies[0],"
		"rows=Array.prototype.slice.call(b.rows);\n"
		"Array.prototype.forEach.call(t.tHead.rows[0].cells,function(h){"
		"h.removeAttribute('aria-sort');});\n"
		"th.setAttribute('aria-sort',asc?'ascending':'descending');\n"
		"rows.sort(function(a,c){var x=key(a.cells[i]),y=key(c.cells[i]);"
		"return (x<y?-1:x>y?1:0)*(asc?1:-1);});\n"
		"rows.forEach(function(r){b.appendChild(r);});}\n"
		"var tables=document.querySelectorAll('table.sortable');\n"
		"Array.prototype.forEach.call(tables,function(t){"
		"Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th){"
		"th.addEventListener('click',function(){"
		"sortBy(t,th,th.getAttribute('aria-sort')!=='ascending');});});});\n"
		"var m=/[#&]sort=(-?)([a-z0-9]+)/.exec(location.hash),g=document.getElementById("
		"'gm-table');\nif(m&&g){var th=g.querySelector('th[data-key=\"'+m[2]+'\"]');"
		"if(th)sortBy(g,th,m[1]!=='-');}\n"
		"var cb=document.getElementById('show-bat'),bat=document.getElementById('bat');\n"
		"function showBat(){bat.style.display=cb.checked?'':'none';}\n"
		"if(cb&&bat){cb.addEventListener('change',showBat);"
		"if(/[#&]bat=1/.test(location.hash)){cb.checked=true;showBat();}}\n"
		"var map=document.getElementById('map'),n=map?map.querySelectorAll("
		"'#areas path,#cells path').length:0,box=map?map.getBoundingClientRect():null;\n"
		"st.setAttribute('data-areas',n);st.setAttribute('data-rows',g?g.tBodies[0].rows."
		"length:0);\nst.setAttribute('data-sorted',m&&g?m[2]:'');\n"
		"st.setAttribute('data-state',n>0&&box&&box.width>100&&box.height>100?'ready':"
		"'no-map');\n})();\n</script>\n");
}
