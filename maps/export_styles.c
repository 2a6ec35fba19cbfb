/* The QGIS style (QML) of each exported layer, stored as its default in the GeoPackage so
 * that QGIS opens the layers styled: coverage classes with the report's colours and labels,
 * sites by level and kind, batteries by funding, uncovered places hatched, region
 * outlines, changes. Rule-based renderers, so every legend entry says what it means, in
 * English or Dutch (maps/report_text.h). Builds text only: no I/O, no database. */
#include "maps/export_styles.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "maps/report.h"

struct rule {
	const char *filter;           /* QGIS expression, raw (escaped here) */
	const char *label;            /* the legend's text */
	const char *symbol;           /* a <layer> element: see fill(), marker() */
};

/* XML attribute text. */
static void attr(struct strbuf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': strbuf_str(b, "&amp;"); break;
		case '<': strbuf_str(b, "&lt;"); break;
		case '>': strbuf_str(b, "&gt;"); break;
		case '"': strbuf_str(b, "&quot;"); break;
		default: strbuf_put(b, s, 1);
		}
	}
}

static void prop(struct strbuf *b, const char *k, const char *v)
{
	strbuf_fmt(b, "<prop k=\"%s\" v=\"", k);
	attr(b, v);
	strbuf_str(b, "\"/>");
}

/* "#rrggbb" as QGIS's "r,g,b,a". */
static void rgba(char *out, size_t len, const char *hex, int alpha)
{
	unsigned r = 0, g = 0, bl = 0;
	if (hex[0] == '#' && strlen(hex) == 7) {
		char part[3] = {0};
		memcpy(part, hex + 1, 2); r = (unsigned)strtoul(part, NULL, 16);
		memcpy(part, hex + 3, 2); g = (unsigned)strtoul(part, NULL, 16);
		memcpy(part, hex + 5, 2); bl = (unsigned)strtoul(part, NULL, 16);
	}
	snprintf(out, len, "%u,%u,%u,%d", r, g, bl, alpha);
}

/* A fill symbol: style solid, no, b_diagonal, ...; outline width in mm. */
static void fill(struct strbuf *b, int n, const char *color, const char *style,
		 const char *outline, const char *outline_mm)
{
	char c[32], o[32];
	rgba(c, sizeof c, color, 255);
	rgba(o, sizeof o, outline, 255);
	strbuf_fmt(b, "<symbol type=\"fill\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" "
		   "force_rhr=\"0\"><layer class=\"SimpleFill\" enabled=\"1\" pass=\"0\" "
		   "locked=\"0\">", n);
	prop(b, "color", c);
	prop(b, "style", style);
	prop(b, "outline_color", o);
	prop(b, "outline_style", "solid");
	prop(b, "outline_width", outline_mm);
	prop(b, "outline_width_unit", "MM");
	prop(b, "joinstyle", "bevel");
	strbuf_str(b, "</layer></symbol>");
}

/* A marker symbol: name circle, diamond, square, cross2, ...; size in mm; color "" for
 * no fill. */
static void marker(struct strbuf *b, int n, const char *name, const char *color,
		   const char *outline, const char *size_mm)
{
	char c[32], o[32];
	if (*color)
		rgba(c, sizeof c, color, 255);
	else
		snprintf(c, sizeof c, "0,0,0,0");
	rgba(o, sizeof o, outline, 255);
	strbuf_fmt(b, "<symbol type=\"marker\" name=\"%d\" alpha=\"1\" clip_to_extent=\"1\" "
		   "force_rhr=\"0\"><layer class=\"SimpleMarker\" enabled=\"1\" pass=\"0\" "
		   "locked=\"0\">", n);
	prop(b, "name", name);
	prop(b, "color", c);
	prop(b, "outline_color", o);
	prop(b, "outline_style", "solid");
	prop(b, "outline_width", strcmp(name, "cross2") == 0 ? "0.5" : "0.3");
	prop(b, "outline_width_unit", "MM");
	prop(b, "size", size_mm);
	prop(b, "size_unit", "MM");
	prop(b, "angle", "0");
	prop(b, "offset", "0,0");
	prop(b, "scale_method", "diameter");
	strbuf_str(b, "</layer></symbol>");
}

static void begin(struct strbuf *b)
{
	strbuf_str(b, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n"
		   "<qgis version=\"3.22.0\" styleCategories=\"Symbology|Legend\">\n"
		   "<renderer-v2 type=\"RuleRenderer\" forceraster=\"0\" symbollevels=\"0\" "
		   "enableorderby=\"0\" referencescale=\"-1\">\n<rules key=\"{root}\">\n");
}

static void rules(struct strbuf *b, const char *const *filters, const char *const *labels,
		  int n)
{
	for (int k = 0; k < n; k++) {
		strbuf_fmt(b, "<rule key=\"{r%d}\" symbol=\"%d\" label=\"", k, k);
		attr(b, labels[k]);
		strbuf_str(b, "\" filter=\"");
		attr(b, filters[k]);
		strbuf_str(b, "\"/>\n");
	}
	strbuf_str(b, "</rules>\n<symbols>\n");
}

static void end(struct strbuf *b)
{
	strbuf_str(b, "\n</symbols>\n</renderer-v2>\n<blendMode>0</blendMode>\n"
		   "<featureBlendMode>0</featureBlendMode>\n<layerOpacity>1</layerOpacity>\n"
		   "</qgis>\n");
}

/* Coverage per area: the report's classes (report_class) on covered_pct. */
static void coverage(struct strbuf *b, enum lang l)
{
	static const char *const filters[REPORT_NCLASS] = {
		"\"covered_pct\" IS NULL", "\"covered_pct\" >= 99.9",
		"\"covered_pct\" >= 99.5 AND \"covered_pct\" < 99.9",
		"\"covered_pct\" >= 99 AND \"covered_pct\" < 99.5",
		"\"covered_pct\" >= 98 AND \"covered_pct\" < 99",
		"\"covered_pct\" >= 95 AND \"covered_pct\" < 98",
		"\"covered_pct\" >= 90 AND \"covered_pct\" < 95", "\"covered_pct\" < 90"};
	const char *labels[REPORT_NCLASS];
	for (int k = 0; k < REPORT_NCLASS; k++)
		labels[k] = report_class_label(k, l);
	begin(b);
	rules(b, filters, labels, REPORT_NCLASS);
	for (int k = 0; k < REPORT_NCLASS; k++)
		fill(b, k, report_class_color(k), "solid", "#969696", "0.1");
	end(b);
}

/* A marker of a rule: see marker(). */
struct mark {
	const char *name, *color, *outline, *size_mm;
};

static void marker_rules(struct strbuf *b, const char *const *filters,
			 const char *const *labels, const struct mark *marks, int n)
{
	begin(b);
	rules(b, filters, labels, n);
	for (int k = 0; k < n; k++)
		marker(b, k, marks[k].name, marks[k].color, marks[k].outline, marks[k].size_mm);
	end(b);
}

static void sites(struct strbuf *b, enum lang l)
{
	static const char *const filters[] = {
		"\"level\" = 'regional' AND \"kind\" = 'fire_station'",
		"\"level\" = 'regional' AND coalesce(\"kind\", '') <> 'fire_station'",
		"\"level\" = 'local' AND \"kind\" = 'school'",
		"\"level\" = 'local' AND \"kind\" IS NOT NULL AND \"kind\" <> 'school'",
		"\"level\" = 'local' AND \"kind\" IS NULL"};
	const char *const labels[] = {
		LANG_PICK(l, RT_STYLE_REGIONAL_FIRE), LANG_PICK(l, RT_STYLE_REGIONAL_OTHER),
		LANG_PICK(l, RT_STYLE_LOCAL_SCHOOL), LANG_PICK(l, RT_STYLE_LOCAL_OTHER),
		LANG_PICK(l, RT_STYLE_LOCAL_GENERATED)};
	static const struct mark marks[] = {
		{"diamond", "#b2182b", "#ffffff", "4"}, {"diamond", "#f4a582", "#b2182b", "4"},
		{"circle", "#08306b", "#ffffff", "2.4"}, {"circle", "#2171b5", "#ffffff", "2.4"},
		{"circle", "", "#08306b", "2.4"}};
	marker_rules(b, filters, labels, marks, 5);
}

static void batteries(struct strbuf *b, enum lang l)
{
	static const char *const filters[] = {"\"funded\" = 1", "coalesce(\"funded\", 0) = 0"};
	const char *const labels[] = {LANG_PICK(l, RT_STYLE_BATTERY_FUNDED),
				      LANG_PICK(l, RT_STYLE_BATTERY_UNFUNDED)};
	static const struct mark marks[] = {{"square", "#1a9850", "#ffffff", "1.6"},
					    {"square", "", "#636363", "1.6"}};
	marker_rules(b, filters, labels, marks, 2);
}

static void one_fill(struct strbuf *b, const char *filter, const char *label,
		     const char *color, const char *style, const char *outline, const char *w)
{
	begin(b);
	rules(b, &filter, &label, 1);
	fill(b, 0, color, style, outline, w);
	end(b);
}

static void changes(struct strbuf *b, enum lang l)
{
	static const char *const filters[] = {"\"change\" = 'added'", "\"change\" = 'removed'"};
	const char *const labels[] = {LANG_PICK(l, RT_STYLE_ADDED), LANG_PICK(l, RT_STYLE_REMOVED)};
	static const struct mark marks[] = {{"circle", "", "#00b050", "4"},
					    {"cross2", "#7a7a7a", "#7a7a7a", "3.5"}};
	marker_rules(b, filters, labels, marks, 2);
}

int export_style_qml(const char *layer, enum lang l, struct strbuf *out)
{
	if (!strcmp(layer, "gemeenten") || !strcmp(layer, "wijken") || !strcmp(layer, "buurten") ||
	    !strncmp(layer, "cells_", 6))
		coverage(out, l);
	else if (!strcmp(layer, "sites"))
		sites(out, l);
	else if (!strcmp(layer, "batteries"))
		batteries(out, l);
	else if (!strcmp(layer, "uncovered"))
		one_fill(out, "TRUE", LANG_PICK(l, RT_STYLE_UNCOVERED), "#6a3d9a", "b_diagonal",
			 "#6a3d9a", "0.2");
	else if (!strcmp(layer, "regions"))
		one_fill(out, "TRUE", LANG_PICK(l, RT_LEGEND_REGION), "#000000", "no", "#000000",
			 "0.6");
	else if (!strcmp(layer, "changes"))
		changes(out, l);
	else
		return -ENOENT;
	return out->failed ? -ENOMEM : 0;
}
