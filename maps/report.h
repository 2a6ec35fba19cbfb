/* The HTML coverage report: one self-contained page (no external resources; works
 * offline) with an SVG map of a map model's scope (areas shaded by coverage, sites and
 * batteries as symbols, the sites added and removed since the previous plan, region
 * outline, legend, scale bar, north arrow, attribution), the headline figures, the list of
 * those changes, a sortable table per gemeente, the plan's parameters, its bound and
 * gap, and the date of the data. Written to a temporary file and renamed. Prints nothing. */
#ifndef HUB_REPORT_H
#define HUB_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "maps/map_model.h"
#include "maps/report_text.h"
#include "util/lang.h"

struct report_info {
	size_t bytes;                 /* size of the written file */
	long areas_drawn, sites_drawn, batteries_drawn;
	long changes_drawn;           /* sites added or removed since the previous plan */
	int area_level;               /* the level shaded on the map (1 gemeente .. 5) */
	double map_step_m;            /* map coordinates are rounded to this many metres */
};

/* Writes the report of m to path, its text in lang. 0 or negative errno with err naming
 * what failed (in English: it goes to the log or stderr); info may be NULL. */
int report_write(const struct map_model *m, enum lang lang, const char *path,
		 struct report_info *info, char *err, size_t errlen);

/* ---- internal to report.c, report_svg.c and report_table.c ---- */

/* The coverage classes: 0 is "no residents / not in the plan", 1 (>= 99.9 %) to
 * REPORT_NCLASS - 1 (< 90 %) ever less covered. */
#define REPORT_NCLASS 8
int report_class(const struct served_result *r);
const char *report_class_color(int k);
/* The class's legend label in l ("99.9 % or more"). Static storage. */
const char *report_class_label(int k, enum lang l);

/* An open report page. Write errors are sticky in the FILE and checked at the end. */
struct report_out {
	FILE *f;
	const struct map_model *m;
	enum lang lang;
	struct report_info *info;
	char *err;
	size_t errlen;
};

/* The text of a catalog entry (maps/report_text.h) in the page's language. */
#define RT(o, ...) LANG_PICK((o)->lang, __VA_ARGS__)

void report_printf(struct report_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* v in the page's number format (1,234.5 or 1.234,5) into buf; returns buf. */
const char *report_num(const struct report_out *o, char *buf, size_t len, double v,
		       int decimals);
/* Writes s (NULL = "") escaped for HTML text and attribute values. */
void report_text(struct report_out *o, const char *s);
/* The map as an inline <svg>. 0 or negative errno with o->err. */
int report_svg_map(struct report_out *o);
/* The per-gemeente and per-region tables and the page script. */
void report_table_gemeenten(struct report_out *o);
void report_table_regions(struct report_out *o);
/* The section on the sites added and removed since the previous plan (report_changes.c). */
void report_changes(struct report_out *o);
/* The section on the chosen sites by kind, the regional points at generated positions,
 * and the care institutions without funded power and the hospitals (report_sites.c). */
void report_sites(struct report_out *o);
/* A site kind as the reader says it ("fire_station": "fire station", "brandweerkazerne");
 * a kind the catalog does not know as it is. Static storage or kind itself. */
const char *report_kind_label(const struct report_out *o, const char *kind);
void report_script(struct report_out *o);

#endif
