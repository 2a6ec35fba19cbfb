/* The report's map: an inline SVG in RD New (y flipped) whose user units are the rounding
 * step (100 m nationally, 10 m for a region, finer below), with the areas shaded by
 * coverage class, the uncovered places hatched, boundaries, batteries, sites, the sites
 * added and removed since the previous plan, and a side
 * panel with legend, scale bar, north arrow and attribution. Rings come from
 * geom_rings_each (simplified to the step); this file never opens files or the database. */
#include "maps/report.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "geo/geom_rings.h"
#include "util/fmt.h"
#include "util/strbuf.h"

#define MAP_PX 900.0          /* the map's longer side at the page's design width */
#define PANEL_PX 270.0        /* the side panel's width */
#define PANEL_H_PX 700.0      /* the side panel's height */
#define FEW_RESIDENTS 50      /* areas with fewer residents are drawn paler */

struct view {
	double x0, y0;            /* RD of the map's top-left corner */
	double step;              /* metres per user unit */
	double k;                 /* user units per design pixel */
	long mapw, maph, w, h;    /* map and whole viewBox, user units */
};

struct drawer {
	struct report_out *o;
	struct view v;
	struct strbuf b;
	char *wijk_has_buurt;     /* [nareas]: 1 when a buurt of the wijk is drawn */
	int cells;                /* 1 when 100 m cells are shaded over a neutral base */
};

static void sb_num(struct strbuf *b, long v, int sep)
{
	char t[32];
	int n = snprintf(t, sizeof t, sep && v >= 0 ? " %ld" : "%ld", v);
	strbuf_put(b, t, (size_t)n);
}

static long ux(const struct view *v, double x)
{
	return lround((x - v->x0) / v->step);
}

static long uy(const struct view *v, double y)
{
	return lround((v->y0 - y) / v->step);
}

/* Appends one ring as "M x y l dx dy ... z"; nothing when it collapses to < 3 points.
 * A geom_rings_each callback: never stops the walk (a failed append shows in d->b). */
static int ring_path(void *user, const double *xy, size_t n, int hole)
{
	struct drawer *d = user;
	(void)hole;
	if (n < 4)
		return 0;
	size_t start = d->b.len;
	long px = 0, py = 0, kept = 0;
	for (size_t i = 0; i + 1 < n; i++) {
		long qx = ux(&d->v, xy[2 * i]), qy = uy(&d->v, xy[2 * i + 1]);
		if (kept && qx == px && qy == py)
			continue;
		if (kept == 0) {
			strbuf_put(&d->b, "M", 1);
			sb_num(&d->b, qx, 0);
			sb_num(&d->b, qy, 1);
		} else {
			if (kept == 1)
				strbuf_put(&d->b, "l", 1);
			sb_num(&d->b, qx - px, kept > 1);
			sb_num(&d->b, qy - py, 1);
		}
		px = qx;
		py = qy;
		kept++;
	}
	if (kept < 3 && !d->b.failed)
		d->b.s[d->b.len = start] = 0;
	else
		strbuf_put(&d->b, "z", 1);
	return 0;
}

/* Fills d->b with the path data of wkb, simplified to tol metres (0: as it is). */
static int wkb_path(struct drawer *d, const struct map_geom *mg, double tol)
{
	struct report_out *o = d->o;
	strbuf_clear(&d->b);
	int rc = geom_rings_each(o->m->s->g, mg->wkb, mg->len, tol, ring_path, d, o->err,
				 o->errlen);
	if (rc < 0)
		return rc;
	if (d->b.failed) {
		snprintf(o->err, o->errlen, "out of memory");
		return -ENOMEM;
	}
	return 0;
}

static void area_title(struct report_out *o, int32_t a)
{
	const struct served_area *ar = &o->m->s->areas[a];
	const struct served_result *r = &ar->r;
	char n1[32], n2[32], n3[32], n4[32];
	report_printf(o, "<title>");
	report_text(o, ar->name);
	report_printf(o, " (%s): ", ar->code);
	if (!r->has || r->residents <= 0) {
		report_printf(o, "%s</title>", r->has ? RT(o, RT_NO_RESIDENTS) : RT(o, RT_NOT_IN_PLAN));
		return;
	}
	report_printf(o, RT(o, RT_AREA_TITLE),
		      report_num(o, n1, sizeof n1, 100 * r->covered / r->residents, 2),
		      report_num(o, n2, sizeof n2, r->residents, 0),
		      report_num(o, n3, sizeof n3, r->uncovered, 0),
		      report_num(o, n4, sizeof n4, r->vulnerable_uncovered, 0));
	report_printf(o, "</title>");
}

/* The level an area is shaded at: 0 = not drawn. */
static int draws_area(const struct drawer *d, int32_t a)
{
	const struct map_model *m = d->o->m;
	int level = m->s->areas[a].level;
	if (!m->area[a].wkb)
		return 0;
	if (m->nation)
		return level == 1;
	if (level == 3)
		return 1;
	return level == 2 && !d->wijk_has_buurt[a];
}

static int draw_areas(struct drawer *d)
{
	struct report_out *o = d->o;
	const struct served *s = o->m->s;
	report_printf(o, "<g id=\"areas\">\n");
	for (size_t a = 0; a < s->nareas; a++) {
		if (!draws_area(d, (int32_t)a))
			continue;
		int rc = wkb_path(d, &o->m->area[a], 1.5 * d->v.step);
		if (rc < 0)
			return rc;
		if (!d->b.len)
			continue;
		int k = report_class(&s->areas[a].r);
		if (d->cells)
			report_printf(o, "<path class=\"base\" d=\"%s\">", d->b.s);
		else
			report_printf(o, "<path class=\"c%d%s\" d=\"%s\">", k, k &&
				      s->areas[a].r.residents < FEW_RESIDENTS ? " few" : "", d->b.s);
		area_title(o, (int32_t)a);
		report_printf(o, "</path>\n");
		o->info->areas_drawn++;
		if (s->areas[a].level > o->info->area_level)
			o->info->area_level = s->areas[a].level;
	}
	report_printf(o, "</g>\n");
	return 0;
}

/* 100 m (or 500 m) cells in scope, one path per class, straight from their envelopes. */
static int draw_cells(struct drawer *d)
{
	struct report_out *o = d->o;
	const struct served *s = o->m->s;
	struct strbuf cls[REPORT_NCLASS] = {{0}};
	int rc = 0;
	for (size_t a = 0; a < s->nareas; a++) {
		const struct map_geom *g = &o->m->area[a];
		if (s->areas[a].level < 4 || !g->wkb)
			continue;
		struct strbuf *b = &cls[report_class(&s->areas[a].r)];
		long x = ux(&d->v, g->env[0]), y = uy(&d->v, g->env[3]);
		long w = ux(&d->v, g->env[1]) - x, h = uy(&d->v, g->env[2]) - y;
		strbuf_put(b, "M", 1);
		sb_num(b, x, 0);
		sb_num(b, y, 1);
		strbuf_put(b, "h", 1);
		sb_num(b, w, 0);
		strbuf_put(b, "v", 1);
		sb_num(b, h, 0);
		strbuf_put(b, "h", 1);
		sb_num(b, -w, 0);
		strbuf_put(b, "z", 1);
		o->info->areas_drawn++;
		o->info->area_level = s->areas[a].level;
	}
	report_printf(o, "<g id=\"cells\">\n");
	for (int k = 0; k < REPORT_NCLASS; k++) {
		if (cls[k].failed)
			rc = -ENOMEM;
		else if (cls[k].len)
			report_printf(o, "<path class=\"c%d\" d=\"%s\"/>\n", k, cls[k].s);
		strbuf_free(&cls[k]);
	}
	report_printf(o, "</g>\n");
	if (rc < 0)
		snprintf(o->err, o->errlen, "out of memory");
	return rc;
}

static int draw_uncovered(struct drawer *d)
{
	struct report_out *o = d->o;
	const struct map_model *m = o->m;
	char n1[32], n2[32];
	report_printf(o, "<g id=\"uncovered\">\n");
	for (size_t a = 0; a < m->s->nareas; a++) {
		if (!m->uncovered[a].wkb)
			continue;
		int rc = wkb_path(d, &m->uncovered[a], d->v.step);
		if (rc < 0)
			return rc;
		if (!d->b.len)
			continue;
		report_printf(o, "<path class=\"unc\" d=\"%s\"><title>%s", d->b.s,
			      RT(o, RT_UNCOVERED_IN));
		report_text(o, m->s->areas[a].name);
		report_printf(o, RT(o, RT_UNCOVERED_TITLE),
			      report_num(o, n1, sizeof n1, m->unc_residents[a], 0),
			      report_num(o, n2, sizeof n2, m->unc_vulnerable[a], 0));
		report_printf(o, "</title></path>\n");
	}
	report_printf(o, "</g>\n");
	return 0;
}

/* Outlines without fill: the gemeenten (below the national scale) and the regions. */
static int draw_outlines(struct drawer *d, const struct map_geom *g, size_t n, int level,
			 const char *id, const char *cls)
{
	struct report_out *o = d->o;
	report_printf(o, "<g id=\"%s\" class=\"%s\">\n", id, cls);
	for (size_t a = 0; a < n; a++) {
		if (!g[a].wkb || (level && o->m->s->areas[a].level != level))
			continue;
		int rc = wkb_path(d, &g[a], 1.5 * d->v.step);
		if (rc < 0)
			return rc;
		if (d->b.len)
			report_printf(o, "<path d=\"%s\"/>\n", d->b.s);
	}
	report_printf(o, "</g>\n");
	return 0;
}

/* All batteries as one path of zero-length segments drawn with square caps. On the
 * national map they start hidden (42,000 squares would cover the cities); the checkbox
 * under the map shows them. */
static int draw_batteries(struct drawer *d)
{
	struct report_out *o = d->o;
	const struct map_model *m = o->m;
	char n1[32];
	long px = 0, py = 0;
	strbuf_clear(&d->b);
	for (size_t i = 0; i < m->nbat; i++) {
		long x = ux(&d->v, m->bat[i].x), y = uy(&d->v, m->bat[i].y);
		strbuf_put(&d->b, i ? "m" : "M", 1);
		sb_num(&d->b, x - px, 0);
		sb_num(&d->b, y - py, 1);
		strbuf_put(&d->b, "h0", 2);
		px = x;
		py = y;
	}
	if (d->b.failed) {
		snprintf(o->err, o->errlen, "out of memory");
		return -ENOMEM;
	}
	o->info->batteries_drawn = (long)m->nbat;
	if (m->nbat) {
		report_printf(o, "<path id=\"bat\"%s d=\"%s\"><title>", m->nation ?
			      " style=\"display:none\"" : "", d->b.s);
		report_printf(o, RT(o, RT_BATTERIES_TITLE),
			      report_num(o, n1, sizeof n1, (double)m->nbat, 0));
		report_printf(o, "</title></path>\n");
	}
	return 0;
}

static void site_title(struct report_out *o, const struct served_site *t)
{
	const char *const origins[] = {RT(o, RT_ORIGIN_CANDIDATE), RT(o, RT_ORIGIN_AREA),
				       RT(o, RT_ORIGIN_BLOCK)};
	const struct served *s = o->m->s;
	report_printf(o, "<title>");
	if (t->level == 1)
		report_printf(o, RT(o, RT_SITE_LOCAL), t->seq);
	else
		report_printf(o, RT(o, RT_SITE_REGIONAL), t->seq);
	report_text(o, t->name ? t->name : origins[t->origin >= 0 && t->origin < 3 ?
						   t->origin : 0]);
	if (t->kind) {
		report_printf(o, " (");
		report_text(o, report_kind_label(o, t->kind));
		report_printf(o, ")");
	}
	if (t->gemeente >= 0) {
		report_printf(o, ", ");
		report_text(o, s->areas[t->gemeente].name);
	}
	report_printf(o, "%s</title>", t->fixed ? ", fixed" : "");
}

static void draw_sites(struct drawer *d, int level)
{
	struct report_out *o = d->o;
	const struct served *s = o->m->s;
	double r = (o->m->nation ? 3.5 : 5) * d->v.k;
	report_printf(o, "<g id=\"%s\">\n", level == 1 ? "local" : "regional");
	for (size_t i = 0; i < s->nsites; i++) {
		const struct served_site *t = &s->sites[i];
		if (t->level != level || !map_site_in_scope(o->m, t))
			continue;
		long x = ux(&d->v, t->x), y = uy(&d->v, t->y);
		if (level == 1)
			report_printf(o, "<path d=\"M%ld %ldh0\">", x, y);
		else
			report_printf(o, "<path d=\"M%ld %ldm0 %.1fl%.1f %.1f %.1f %.1f %.1f %.1fz\">",
				      x, y, -r, r, r, -r, r, -r, -r);
		site_title(o, t);
		report_printf(o, "</path>\n");
		o->info->sites_drawn++;
	}
	report_printf(o, "</g>\n");
}

/* The sites added (a green ring) and removed (a grey cross) since the previous plan. */
static void draw_changes(struct drawer *d)
{
	struct report_out *o = d->o;
	const struct plan_changes *c = o->m->changes;
	double r = 6 * d->v.k;
	report_printf(o, "<g id=\"chg\">\n");
	for (size_t i = 0; i < c->nsites; i++) {
		const struct changes_site *t = &c->sites[i];
		if (!map_change_in_scope(o->m, t))
			continue;
		long x = ux(&d->v, t->x_rd), y = uy(&d->v, t->y_rd);
		if (t->added)
			report_printf(o, "<circle class=\"chg-add\" cx=\"%ld\" cy=\"%ld\" r=\"%.1f\">",
				      x, y, r);
		else
			report_printf(o, "<path class=\"chg-rem\" d=\"M%ld %ldm%.1f %.1fl%.1f %.1fm0 %.1f"
				      "l%.1f %.1f\">", x, y, -r, -r, 2 * r, 2 * r, -2 * r, -2 * r, 2 * r);
		report_printf(o, "<title>%s %s: ", t->added ? RT(o, RT_ADDED) : RT(o, RT_REMOVED),
			      t->level == 1 ? RT(o, RT_LEVEL_LOCAL) : RT(o, RT_LEVEL_REGIONAL));
		report_text(o, t->name ? t->name : RT(o, RT_GENERATED_POSITION));
		report_printf(o, " (%s)</title></%s>\n", t->gemeente_code,
			      t->added ? "circle" : "path");
		o->info->changes_drawn++;
	}
	report_printf(o, "</g>\n");
}

/* ---- the side panel, drawn in design pixels ---- */

static void legend_row(struct report_out *o, double y, const char *swatch, const char *label)
{
	report_printf(o, "<g transform=\"translate(0 %.0f)\">%s<text x=\"30\" y=\"10\">", y,
		      swatch);
	report_text(o, label);
	report_printf(o, "</text></g>\n");
}

static double legend_classes(struct report_out *o, double y)
{
	char sw[160];
	report_printf(o, "<text class=\"h\" y=\"%.0f\">%s</text><text class=\"h\" y=\"%.0f\">"
		      "%s</text>\n", y, RT(o, RT_LEGEND_HEAD_1), y + 16, RT(o, RT_LEGEND_HEAD_2));
	y += 30;
	for (int k = 1; k <= REPORT_NCLASS; k++) {
		int c = k % REPORT_NCLASS;  /* the best class first, "no residents" last */
		snprintf(sw, sizeof sw, "<rect class=\"sw c%d\" width=\"22\" height=\"13\"/>", c);
		legend_row(o, y, sw, report_class_label(c, o->lang));
		y += 18;
	}
	return y + 4;
}

static double legend_changes(struct report_out *o, double y)
{
	const struct plan_changes *c = o->m->changes;
	char label[64];
	if (c->from_id <= 0) {
		legend_row(o, y, "", RT(o, RT_LEGEND_FIRST_PLAN));
		return y + 18;
	}
	snprintf(label, sizeof label, RT(o, RT_LEGEND_ADDED), (long long)c->from_id);
	legend_row(o, y, "<circle class=\"chg-add\" cx=\"11\" cy=\"6\" r=\"5\"/>", label);
	snprintf(label, sizeof label, RT(o, RT_LEGEND_REMOVED), (long long)c->from_id);
	legend_row(o, y + 18, "<path class=\"chg-rem\" d=\"M7 2l8 8m0-8l-8 8\"/>", label);
	return y + 36;
}

static double legend_symbols(struct drawer *d, double y)
{
	struct report_out *o = d->o;
	const struct map_model *m = o->m;
	legend_row(o, y, "<rect class=\"sw c7 few\" width=\"22\" height=\"13\"/>",
		   RT(o, RT_LEGEND_FEW));
	y += 18;
	legend_row(o, y, "<rect class=\"unc\" style=\"fill:url(#hatch-l)\" width=\"22\" "
		   "height=\"13\"/>", RT(o, RT_LEGEND_UNCOVERED));
	y += 18;
	if (d->cells) {
		legend_row(o, y, "<rect class=\"base\" width=\"22\" height=\"13\"/>",
			   RT(o, RT_LEGEND_BUURT));
		y += 18;
	}
	legend_row(o, y, "<path class=\"lsym\" d=\"M11 6h0\"/>", RT(o, RT_LEGEND_LOCAL));
	y += 18;
	legend_row(o, y, "<path class=\"rsym\" d=\"M11 1l5 5-5 5-5-5z\"/>",
		   RT(o, RT_LEGEND_REGIONAL));
	y += 18;
	legend_row(o, y, "<path class=\"bsym\" d=\"M11 6h0\"/>", m->nation ?
		   RT(o, RT_LEGEND_BATTERY_BOX) : RT(o, RT_LEGEND_BATTERY));
	y += 18;
	if (!m->nation) {
		legend_row(o, y, "<path class=\"gm\" d=\"M0 6h22\"/>", RT(o, RT_LEGEND_GEMEENTE));
		y += 18;
	}
	legend_row(o, y, "<path class=\"vr\" d=\"M0 6h22\"/>", RT(o, RT_LEGEND_REGION));
	return legend_changes(o, y + 18) + 12;
}

/* A bar of a round length near 120 px, in two halves. */
static double scale_bar(struct drawer *d, double y)
{
	double mpp = d->v.step * d->v.k, target = 160 * mpp;
	double p = pow(10, floor(log10(target))), len = p;
	if (5 * p <= target)
		len = 5 * p;
	else if (2 * p <= target)
		len = 2 * p;
	double px = len / mpp;
	struct report_out *o = d->o;
	report_printf(o, "<g id=\"scalebar\" transform=\"translate(0 %.0f)\">"
		      "<rect width=\"%.1f\" height=\"6\" fill=\"#222\"/>"
		      "<rect x=\"%.1f\" width=\"%.1f\" height=\"6\" fill=\"#fff\" stroke=\"#222\""
		      " stroke-width=\"1\" vector-effect=\"non-scaling-stroke\"/>"
		      "<text y=\"20\">0</text><text x=\"%.1f\" y=\"20\" text-anchor=\"end\">", y,
		      px / 2, px / 2, px / 2, px + 12);
	if (len >= 1000)
		report_printf(o, "%g km</text></g>\n", len / 1000);
	else
		report_printf(o, "%g m</text></g>\n", len);
	return y + 34;
}

static double north_arrow(struct report_out *o, double y)
{
	report_printf(o, "<g id=\"north\" transform=\"translate(12 %.0f)\">"
		      "<path d=\"M0 0l9 26-9-7-9 7z\" fill=\"#222\"/>"
		      "<text x=\"0\" y=\"40\" text-anchor=\"middle\" class=\"h\">N</text>"
		      "<text x=\"22\" y=\"18\">%s</text></g>\n", y, RT(o, RT_NORTH));
	return y + 60;
}

static void attribution(struct report_out *o, double y)
{
	const char *const lines[] = {
		"Bron: CBS, Kadaster (PDOK):",
		"Wijk- en Buurtkaart 2024,",
		"Vierkantstatistieken 2024,",
		"Gebiedsindelingen 2023.",
		"Scholen: DUO open onderwijsdata,",
		RT(o, RT_ATTR_GEOCODED),
		RT(o, RT_ATTR_SIMPLIFIED),
	};
	report_printf(o, "<g id=\"attribution\" class=\"small\">");
	for (size_t i = 0; i < sizeof lines / sizeof lines[0]; i++)
		report_printf(o, "<text y=\"%.0f\">%s</text>", y + 13.0 * (double)i, lines[i]);
	report_printf(o, "</g>\n");
}

static void draw_panel(struct drawer *d)
{
	struct report_out *o = d->o;
	report_printf(o, "<g id=\"legend\" transform=\"translate(%ld 0) scale(%.5g)\">\n",
		      d->v.mapw + lround(12 * d->v.k), d->v.k);
	report_printf(o, "<rect x=\"-8\" y=\"0\" width=\"%.0f\" height=\"%.0f\" class=\"panel\"/>"
		      "\n", PANEL_PX, (double)d->v.h / d->v.k);
	double y = legend_classes(o, 22);
	y = legend_symbols(d, y);
	y = scale_bar(d, y);
	y = north_arrow(o, y);
	attribution(o, y);
	report_printf(o, "</g>\n");
}

/* ---- the frame ---- */

static void set_view(struct drawer *d)
{
	const struct map_model *m = d->o->m;
	const double *b = m->bbox;
	double ext = fmax(b[2] - b[0], b[3] - b[1]), margin = 0.02 * ext + 200;
	struct view *v = &d->v;
	if (m->nation)
		v->step = 100;
	else if (m->sel.kind == SEL_REGION)
		v->step = 10;
	else
		v->step = m->s->areas[m->sel.index].level == 1 ? 5 : 2;
	v->x0 = b[0] - margin;
	v->y0 = b[3] + margin;
	v->mapw = lround((b[2] - b[0] + 2 * margin) / v->step);
	v->maph = lround((b[3] - b[1] + 2 * margin) / v->step);
	v->k = (double)(v->mapw > v->maph ? v->mapw : v->maph) / MAP_PX;
	v->w = v->mapw + lround((PANEL_PX + 12) * v->k);
	v->h = v->maph > lround(PANEL_H_PX * v->k) ? v->maph : lround(PANEL_H_PX * v->k);
}

static void style(struct report_out *o, const struct view *v)
{
	report_printf(o, "<style>\n");
	for (int k = 0; k < REPORT_NCLASS; k++)
		report_printf(o, "#map .c%d{fill:%s}\n", k, report_class_color(k));
	report_printf(o, "#map path,#map rect{vector-effect:non-scaling-stroke;fill-rule:evenodd}\n"
		"#map #areas path{stroke:#fff;stroke-width:.4px}\n"
		"#map #areas path:hover{stroke:#000;stroke-width:1.5px}\n"
		"#map .base{fill:#ececec;stroke:#bbb}\n#map .few{fill-opacity:.4}\n"
		"#map #cells path{pointer-events:none}\n"
		"#map .unc{fill:url(#hatch);stroke:#54278f;stroke-width:.7px}\n"
		"#map .gm path,#map path.gm{fill:none;stroke:#555;stroke-width:.8px;"
		"pointer-events:none}\n"
		"#map .vr path,#map path.vr{fill:none;stroke:#111;stroke-width:2px;"
		"pointer-events:none}\n"
		"#map #bat,#map .bsym{fill:none;stroke:#1b7837;stroke-width:%.1fpx;"
		"stroke-linecap:square}\n"
		"#map #local path,#map .lsym{fill:none;stroke:#08306b;stroke-width:%.1fpx;"
		"stroke-linecap:round}\n"
		"#map #regional path,#map .rsym{fill:#111;stroke:#fff;stroke-width:1px}\n"
		"#map .chg-add{fill:none;stroke:#00b050;stroke-width:2.5px;"
		"vector-effect:non-scaling-stroke}\n"
		"#map .chg-rem{fill:none;stroke:#7a7a7a;stroke-width:2.5px;stroke-linecap:round}\n"
		"#map .sw{stroke:#999;stroke-width:.5px}\n"
		"#map .panel{fill:#fff;fill-opacity:.92}\n"
		"#map text{font:12px system-ui,sans-serif;fill:#222}\n"
		"#map text.h{font-weight:600}\n"
		"#map .small text{font-size:10.5px;fill:#444}\n"
		"</style>\n", 2.2, o->m->nation ? 2.6 : 5.0);
	report_printf(o, "<defs><pattern id=\"hatch\" patternUnits=\"userSpaceOnUse\" "
		"width=\"%.4g\" height=\"%.4g\" patternTransform=\"rotate(45)\"><rect "
		"width=\"%.4g\" height=\"%.4g\" fill=\"#54278f\" fill-opacity=\".3\"/><rect "
		"width=\"%.4g\" height=\"%.4g\" fill=\"#54278f\"/></pattern>"
		"<pattern id=\"hatch-l\" patternUnits=\"userSpaceOnUse\" width=\"5\" height=\"5\" "
		"patternTransform=\"rotate(45)\"><rect width=\"5\" height=\"5\" fill=\"#54278f\" "
		"fill-opacity=\".3\"/><rect width=\"1.8\" height=\"5\" fill=\"#54278f\"/></pattern>"
		"</defs>\n", 5 * v->k, 5 * v->k, 5 * v->k, 5 * v->k, 1.8 * v->k, 5 * v->k);
}

static int draw_layers(struct drawer *d)
{
	const struct map_model *m = d->o->m;
	report_printf(d->o, "<clipPath id=\"frame\"><rect width=\"%ld\" height=\"%ld\"/>"
		      "</clipPath>\n<g clip-path=\"url(#frame)\">\n", d->v.mapw, d->v.h);
	int rc = draw_areas(d);
	if (rc == 0 && d->cells)
		rc = draw_cells(d);
	if (rc == 0)
		rc = draw_uncovered(d);
	if (rc == 0 && !m->nation)
		rc = draw_outlines(d, m->area, m->s->nareas, 1, "gemeenten", "gm");
	if (rc == 0)
		rc = draw_outlines(d, m->region, m->s->nregions, 0, "regions", "vr");
	if (rc == 0)
		rc = draw_batteries(d);
	if (rc == 0) {
		draw_sites(d, 1);
		draw_sites(d, 2);
		draw_changes(d);
		report_printf(d->o, "</g>\n");
		draw_panel(d);
	}
	return rc;
}

/* Marks the wijken drawn through their buurten, and whether cells are shaded. */
static int plan_levels(struct drawer *d)
{
	const struct map_model *m = d->o->m;
	const struct served *s = m->s;
	d->wijk_has_buurt = calloc(s->nareas + 1, 1);
	if (!d->wijk_has_buurt) {
		snprintf(d->o->err, d->o->errlen, "out of memory");
		return -ENOMEM;
	}
	for (size_t a = 0; a < s->nareas; a++) {
		if (!m->area[a].wkb)
			continue;
		if (s->areas[a].level == 3 && s->areas[a].wijk >= 0)
			d->wijk_has_buurt[s->areas[a].wijk] = 1;
		if (s->areas[a].level >= 4 && !m->nation && m->sel.kind == SEL_AREA &&
		    s->areas[m->sel.index].level >= 2)
			d->cells = 1;
	}
	return 0;
}

int report_svg_map(struct report_out *o)
{
	struct drawer d = {.o = o};
	if (!isfinite(o->m->bbox[0]) || !isfinite(o->m->bbox[3])) {
		snprintf(o->err, o->errlen, "no area of %s has a polygon to draw", o->m->scope_code);
		return -ENOENT;
	}
	int rc = plan_levels(&d);
	if (rc < 0)
		return rc;
	set_view(&d);
	o->info->map_step_m = d.v.step;
	report_printf(o, "<svg id=\"map\" viewBox=\"0 0 %ld "
		      "%ld\" role=\"img\" aria-label=\"%s", d.v.w, d.v.h, RT(o, RT_MAP_LABEL));
	report_text(o, o->m->scope_name);
	report_printf(o, "\">\n");
	style(o, &d.v);
	report_printf(o, "<rect width=\"%ld\" height=\"%ld\" fill=\"#f4f8fb\"/>\n", d.v.mapw,
		      d.v.h);
	rc = draw_layers(&d);
	report_printf(o, "</svg>\n");
	if (rc == 0 && o->m->nation && o->m->nbat)
		report_printf(o, "<p class=\"small\"><label><input type=\"checkbox\" "
			      "id=\"show-bat\">%s</label></p>\n", RT(o, RT_SHOW_BATTERIES));
	strbuf_free(&d.b);
	free(d.wijk_has_buurt);
	return rc;
}
