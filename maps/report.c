/* The report page: coverage classes, escaped output helpers, the page head and style, the
 * headline figures, the plan's parameters, its bound and gap, and the data's date; the
 * map comes from report_svg.c and the tables and script from report_table.c. The page
 * loads nothing from outside. Written to a temporary file beside the target and renamed
 * only when complete; never prints and never opens the database. */
#include "maps/report.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "plan/params.h"
#include "util/fmt.h"

/* YlOrBr, 7 classes, lightest for the best coverage; grey for no residents. */
static const char *const class_color[REPORT_NCLASS] = {
	"#d4d4d4", "#ffffd4", "#fee391", "#fec44f", "#fe9929", "#ec7014", "#cc4c02", "#8c2d04"};
static const char *const class_label[2][REPORT_NCLASS] = {
	{LANG_PICK(LANG_EN, RT_CLASS_0), LANG_PICK(LANG_EN, RT_CLASS_1),
	 LANG_PICK(LANG_EN, RT_CLASS_2), LANG_PICK(LANG_EN, RT_CLASS_3),
	 LANG_PICK(LANG_EN, RT_CLASS_4), LANG_PICK(LANG_EN, RT_CLASS_5),
	 LANG_PICK(LANG_EN, RT_CLASS_6), LANG_PICK(LANG_EN, RT_CLASS_7)},
	{LANG_PICK(LANG_NL, RT_CLASS_0), LANG_PICK(LANG_NL, RT_CLASS_1),
	 LANG_PICK(LANG_NL, RT_CLASS_2), LANG_PICK(LANG_NL, RT_CLASS_3),
	 LANG_PICK(LANG_NL, RT_CLASS_4), LANG_PICK(LANG_NL, RT_CLASS_5),
	 LANG_PICK(LANG_NL, RT_CLASS_6), LANG_PICK(LANG_NL, RT_CLASS_7)}};
static const double class_floor[REPORT_NCLASS] = {0, 99.9, 99.5, 99, 98, 95, 90, -1};

int report_class(const struct served_result *r)
{
	if (!r->has || !(r->residents > 0))
		return 0;
	double pct = 100 * r->covered / r->residents;
	for (int k = 1; k < REPORT_NCLASS - 1; k++)
		if (pct >= class_floor[k])
			return k;
	return REPORT_NCLASS - 1;
}

const char *report_class_color(int k)
{
	return class_color[k >= 0 && k < REPORT_NCLASS ? k : 0];
}

const char *report_class_label(int k, enum lang l)
{
	return class_label[l == LANG_NL][k >= 0 && k < REPORT_NCLASS ? k : 0];
}

const char *report_num(const struct report_out *o, char *buf, size_t len, double v,
		       int decimals)
{
	return fmt_number(buf, len, v, decimals, o->lang);
}

void report_printf(struct report_out *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(o->f, fmt, ap);
	va_end(ap);
}

void report_text(struct report_out *o, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", o->f); break;
		case '<': fputs("&lt;", o->f); break;
		case '>': fputs("&gt;", o->f); break;
		case '"': fputs("&quot;", o->f); break;
		case '\'': fputs("&#39;", o->f); break;
		default: fputc(*s, o->f);
		}
	}
}

/* ---- headline figures ---- */

struct totals {
	double residents, covered, uncovered, vulnerable, vul_uncovered, blackout, twice;
	long local, backup, regional, batteries;
};

static void add_area(struct totals *t, const struct served_result *r)
{
	if (!r->has)
		return;
	t->residents += r->residents;
	t->covered += r->covered;
	t->uncovered += r->uncovered;
	t->vulnerable += r->vulnerable;
	t->vul_uncovered += r->vulnerable_uncovered;
	t->blackout += r->blackout_covered;   /* NaN for a plan made before blackout coverage */
	t->twice += r->twice_covered;         /* NaN for a plan made before backup coverage */
}

static void count_totals(const struct map_model *m, struct totals *t)
{
	const struct served *s = m->s;
	memset(t, 0, sizeof *t);
	if (!m->nation && m->sel.kind == SEL_AREA)
		add_area(t, &s->areas[m->sel.index].r);
	for (size_t a = 0; (m->nation || m->sel.kind == SEL_REGION) && a < s->nareas; a++)
		if (s->areas[a].level == 1 && map_area_in_scope(m, (int32_t)a))
			add_area(t, &s->areas[a].r);
	for (size_t i = 0; i < s->nsites; i++)
		if (map_site_in_scope(m, &s->sites[i]))
			*(s->sites[i].level == 1 ? &t->local : &t->regional) += 1;
	for (size_t i = 0; i < s->nsites; i++)
		t->backup += s->sites[i].backup && map_site_in_scope(m, &s->sites[i]);
	t->batteries = (long)m->nbat;
}

static void figure(struct report_out *o, const char *value, const char *label)
{
	report_printf(o, "<div class=\"fig\"><b>%s</b><span>", value);
	report_text(o, label);
	report_printf(o, "</span></div>\n");
}

/* "99.87 %" (part of whole, 2 decimals; 0 when whole is 0) into buf. */
static const char *share(const struct report_out *o, char *buf, size_t len, double part,
			 double whole)
{
	char n[32];
	snprintf(buf, len, "%s %%", report_num(o, n, sizeof n, whole > 0 ? 100 * part / whole : 0,
						2));
	return buf;
}

static void headline(struct report_out *o)
{
	struct totals t;
	char n[64];
	count_totals(o->m, &t);
	report_printf(o, "<section id=\"figures\" class=\"figs\">\n");
	figure(o, report_num(o, n, sizeof n, t.residents, 0), RT(o, RT_RESIDENTS));
	figure(o, share(o, n, sizeof n, t.covered, t.residents), RT(o, RT_FIG_COVERED));
	figure(o, report_num(o, n, sizeof n, t.uncovered, 0), RT(o, RT_FIG_UNCOVERED));
	figure(o, report_num(o, n, sizeof n, t.vul_uncovered, 0), RT(o, RT_FIG_UNCOVERED_65));
	if (isfinite(t.blackout))
		figure(o, share(o, n, sizeof n, t.blackout, t.residents), RT(o, RT_FIG_BLACKOUT));
	if (isfinite(t.twice))
		figure(o, share(o, n, sizeof n, t.twice, t.residents), RT(o, RT_FIG_TWICE));
	if (t.backup)
		figure(o, report_num(o, n, sizeof n, (double)t.backup, 0), RT(o, RT_FIG_BACKUP));
	figure(o, report_num(o, n, sizeof n, (double)t.local, 0), RT(o, RT_LOCAL_POINTS));
	figure(o, report_num(o, n, sizeof n, (double)t.regional, 0), RT(o, RT_REGIONAL_POINTS));
	figure(o, report_num(o, n, sizeof n, (double)t.batteries, 0), RT(o, RT_WIJKBATTERIJEN));
	report_printf(o, "</section>\n");
}

/* ---- the plan's parameters ---- */

/* A stored key's label from the plan-parameter schema, with its unit; an unknown key (a
 * plan stored by a newer version) is shown as it is. */
static void param_label(struct report_out *o, const char *key)
{
	const struct plan_param *e = plan_param_find(key);
	int nl = o->lang == LANG_NL;
	report_text(o, !e ? key : nl ? e->label_nl : e->label);
	if (e && e->unit[0]) {
		report_text(o, ", ");
		report_text(o, nl ? e->unit_nl : e->unit);
	}
}

static void json_value(struct report_out *o, const json_t *v)
{
	if (json_is_string(v)) {
		report_text(o, json_string_value(v));
		return;
	}
	if (json_is_null(v)) {
		report_text(o, RT(o, RT_PARAM_NATION));
		return;
	}
	char *t = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT | JSON_REAL_PRECISION(10));
	report_text(o, t ? t : "?");
	free(t);
}

static void radii(struct report_out *o, const json_t *p)
{
	const char *const cls[] = {RT(o, RT_URBANITY_1), RT(o, RT_URBANITY_2),
				   RT(o, RT_URBANITY_3), RT(o, RT_URBANITY_4), RT(o, RT_URBANITY_5)};
	const json_t *l = json_object_get(p, "local_radius_m");
	const json_t *r = json_object_get(p, "regional_radius_m");
	report_printf(o, "<table class=\"small\"><thead><tr><th>%s</th><th>",
		      RT(o, RT_URBANITY));
	param_label(o, "local_radius_m");
	report_printf(o, "</th><th>");
	param_label(o, "regional_radius_m");
	report_printf(o, "</th></tr></thead><tbody>\n");
	for (size_t i = 0; i < 5; i++)
		report_printf(o, "<tr><td>%s</td><td class=\"n\">%.0f</td><td class=\"n\">%.0f"
			      "</td></tr>\n", cls[i], json_number_value(json_array_get(l, i)),
			      json_number_value(json_array_get(r, i)));
	report_printf(o, "</tbody></table>\n");
}

static void parameters(struct report_out *o)
{
	json_t *p = json_loads(o->m->s->params_json ? o->m->s->params_json : "{}", 0, NULL);
	const char *key;
	json_t *v;
	report_printf(o, "<section id=\"params\"><h2>%s</h2>\n", RT(o, RT_PARAMS));
	if (!json_is_object(p)) {
		report_printf(o, "<p>%s</p></section>\n", RT(o, RT_PARAMS_UNREADABLE));
		json_decref(p);
		return;
	}
	radii(o, p);
	report_printf(o, "<table class=\"small\"><tbody>\n");
	json_object_foreach(p, key, v) {
		if (!strcmp(key, "local_radius_m") || !strcmp(key, "regional_radius_m"))
			continue;
		report_printf(o, "<tr><td>");
		param_label(o, key);
		report_printf(o, "</td><td class=\"n\">");
		json_value(o, v);
		report_printf(o, "</td></tr>\n");
	}
	report_printf(o, "</tbody></table></section>\n");
	json_decref(p);
}

/* ---- bound and gap ---- */

/* The number member key of lv in the page's format. */
static const char *member_num(const struct report_out *o, char *buf, size_t len,
			      const json_t *lv, const char *key, int decimals)
{
	return report_num(o, buf, len, json_number_value(json_object_get(lv, key)), decimals);
}

static void bound_row(struct report_out *o, const char *name, const json_t *lv)
{
	char n1[32], n2[32], n3[32], n4[32], n5[32];
	if (!json_is_object(lv))
		return;
	report_printf(o, "<tr><td>%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		      "<td class=\"n\">%s</td><td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		      name, member_num(o, n1, sizeof n1, lv, "sites", 0),
		      member_num(o, n2, sizeof n2, lv, "candidates", 0),
		      member_num(o, n3, sizeof n3, lv, "covered_weight", 0),
		      member_num(o, n4, sizeof n4, lv, "bound", 0),
		      member_num(o, n5, sizeof n5, lv, "gap_pct", 3));
}

static void bound(struct report_out *o)
{
	json_t *sm = json_loads(o->m->s->summary_json ? o->m->s->summary_json : "{}", 0, NULL);
	report_printf(o, "<section id=\"bound\"><h2>%s</h2>\n<p>", RT(o, RT_BOUND));
	report_text(o, RT(o, RT_BOUND_INTRO));
	report_printf(o, "</p>\n<table class=\"small\"><thead><tr><th>%s</th><th>%s</th>"
		      "<th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
		      RT(o, RT_BOUND_LEVEL), RT(o, RT_POINTS), RT(o, RT_CANDIDATES),
		      RT(o, RT_COVERED_WEIGHT), RT(o, RT_BOUND_COL), RT(o, RT_GAP_PCT));
	bound_row(o, RT(o, RT_LEVEL_LOCAL), json_object_get(sm, "local"));
	bound_row(o, RT(o, RT_LEVEL_REGIONAL), json_object_get(sm, "regional"));
	report_printf(o, "</tbody></table>\n");
	json_decref(sm);
	report_table_regions(o);
	report_printf(o, "</section>\n");
}

/* ---- the data ---- */

static void files(struct report_out *o, const char *list)
{
	report_printf(o, "<ul class=\"small\">");
	while (list && *list) {
		size_t n = strcspn(list, "\n");
		const char *base = list;
		for (const char *c = list; c < list + n; c++)
			if (*c == '/')
				base = c + 1;
		char name[512];
		snprintf(name, sizeof name, "%.*s", (int)(list + n - base), base);
		if (*name) {
			report_printf(o, "<li>");
			report_text(o, name);
			report_printf(o, "</li>");
		}
		list += n + (list[n] == '\n');
	}
	report_printf(o, "</ul>\n");
}

static void data_section(struct report_out *o)
{
	const struct map_model *m = o->m;
	report_printf(o, "<section id=\"data\"><h2>%s</h2>\n<p>", RT(o, RT_DATA));
	report_printf(o, RT(o, RT_DATA_VERSION), m->s->data_version);
	report_text(o, *m->import.finished_at ? m->import.finished_at : RT(o, RT_UNKNOWN));
	report_printf(o, "%s</p>\n", RT(o, RT_DATA_FROM));
	files(o, m->import.files);
	report_printf(o, "<p class=\"small\">");
	report_printf(o, RT(o, RT_DATA_SOURCES), o->info->map_step_m);
	report_printf(o, "</p></section>\n");
}

/* ---- the page ---- */

/* Printed: A4 landscape; page 1 holds the title and date, the headline figures and the map
 * with its legend and scale bar (both inside the SVG); the sections follow on later pages.
 * Colours print as on screen. */
static const char print_css[] =
	"@page{size:A4 landscape;margin:9mm}\n"
	"@media print{body{max-width:none;padding:0;font-size:9pt;"
	"-webkit-print-color-adjust:exact;print-color-adjust:exact}\n"
	"h1{font-size:15pt;margin:0}\n.sub{font-size:8pt;margin:0 0 2mm}\n"
	".figs{flex-wrap:nowrap;gap:1.5mm}\n.fig{padding:1mm 1.5mm;min-width:0}\n"
	".fig b{font-size:11pt}\n.fig span{font-size:6.5pt;line-height:1.2}\n"
	"#map{width:auto;max-width:100%;height:145mm;margin:2mm auto 0;break-after:page}\n"
	"#map~p.small:has(#show-bat){display:none}\n"
	"h2{break-after:avoid}\ntr,.fig,figure{break-inside:avoid}\n"
	"table.sortable th{position:static}\nth[aria-sort]::after{content:none}}\n";

static void head(struct report_out *o)
{
	const struct map_model *m = o->m;
	report_printf(o, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
		      "<title>Noodsteunpunten: ", lang_code(o->lang));
	report_text(o, m->scope_name);
	report_printf(o, " (%s), plan %lld</title>\n<script>\n"
		"window.addEventListener('error',function(e){var s=document.getElementById("
		"'report-status');if(!s)return;s.setAttribute('data-errors',"
		"+s.getAttribute('data-errors')+1);s.textContent+=' error: '+e.message;});\n"
		"</script>\n<style>\n"
		"body{font:14px/1.45 system-ui,sans-serif;color:#222;margin:0 auto;max-width:1200px;"
		"padding:12px 20px}\nh1{font-size:22px;margin:4px 0}\nh2{font-size:17px;margin:22px 0 6px}"
		"\n.sub{color:#555;margin:0 0 10px}\n.figs{display:flex;flex-wrap:wrap;gap:8px}\n"
		".fig{border:1px solid #ddd;border-radius:6px;padding:6px 10px;flex:1 1 0;min-width:90px}\n"
		".fig b{display:block;font-size:20px}\n.fig span{color:#555;font-size:12px}\n"
		"#map{display:block;width:100%%;height:auto;border:1px solid #ccc;margin-top:12px}\n"
		"table{border-collapse:collapse;margin:6px 0}\n"
		"th,td{padding:2px 8px;border-bottom:1px solid #eee;text-align:left}\n"
		"td.n{text-align:right;font-variant-numeric:tabular-nums}\n"
		"table.sortable th{cursor:pointer;background:#f3f3f3;position:sticky;top:0}\n"
		"th[aria-sort=ascending]::after{content:' \\25B2'}\n"
		"th[aria-sort=descending]::after{content:' \\25BC'}\n"
		".tsw{display:inline-block;width:10px;height:10px;border:1px solid #999;"
		"margin-right:5px}\n.small{font-size:12.5px}\n#report-status{display:none}\n%s"
		"</style>\n</head>\n<body>\n", m->scope_code, (long long)m->s->plan_id, print_css);
}

static void title(struct report_out *o)
{
	const struct map_model *m = o->m;
	report_printf(o, "<div id=\"report-status\" data-state=\"loading\" data-errors=\"0\">"
		      "</div>\n<h1>Noodsteunpunten: ");
	report_text(o, m->scope_name);
	report_printf(o, " (%s)</h1>\n<p class=\"sub\">", m->scope_code);
	report_printf(o, RT(o, RT_SUB_PLAN), (long long)m->s->plan_id, m->s->created_at);
	if (m->s->scope) {
		report_text(o, RT(o, RT_SUB_FOR));
		report_text(o, m->s->scope);
	}
	report_printf(o, RT(o, RT_SUB_DATA), m->s->data_version);
	report_text(o, *m->import.finished_at ? m->import.finished_at : RT(o, RT_UNKNOWN));
	report_printf(o, ".</p>\n");
}

static int page(struct report_out *o)
{
	head(o);
	title(o);
	headline(o);
	int rc = report_svg_map(o);
	if (rc < 0)
		return rc;
	report_changes(o);
	report_sites(o);
	report_table_gemeenten(o);
	bound(o);
	parameters(o);
	data_section(o);
	report_script(o);
	report_printf(o, "</body>\n</html>\n");
	return 0;
}

static int io_fail(const char *file, char *err, size_t errlen)
{
	int e = errno ? errno : EIO;
	snprintf(err, errlen, "%s: cannot write: %s", file, strerror(e));
	return -e;
}

static int finish(FILE *f, const char *tmp, const char *path, struct report_info *info,
		  char *err, size_t errlen)
{
	int rc = 0;
	errno = 0;
	if (ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0)
		rc = io_fail(tmp, err, errlen);
	long size = ftell(f);
	if (fclose(f) != 0 && rc == 0)
		rc = io_fail(tmp, err, errlen);
	if (rc == 0 && rename(tmp, path) != 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: cannot move into place: %s", path, strerror(-rc));
	}
	info->bytes = size > 0 ? (size_t)size : 0;
	return rc;
}

int report_write(const struct map_model *m, enum lang lang, const char *path,
		 struct report_info *info, char *err, size_t errlen)
{
	struct report_info local;
	char tmp[4200];
	info = info ? info : &local;
	memset(info, 0, sizeof *info);
	snprintf(tmp, sizeof tmp, "%s.tmp-%ld", path, (long)getpid());
	errno = 0;
	FILE *f = fopen(tmp, "w");
	if (!f) {
		int e = errno ? errno : EIO;
		snprintf(err, errlen, "%s: cannot create: %s", tmp, strerror(e));
		return -e;
	}
	struct report_out o = {f, m, lang, info, err, errlen};
	int rc = page(&o);
	if (rc < 0) {
		char detail[1024];
		snprintf(detail, sizeof detail, "%s", err);
		snprintf(err, errlen, "%s: %s", path, detail);
		fclose(f);
		unlink(tmp);
		return rc;
	}
	if ((rc = finish(f, tmp, path, info, err, errlen)) < 0)
		unlink(tmp);
	return rc;
}
