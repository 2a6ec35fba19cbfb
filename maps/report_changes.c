/* The report's section on what changed since the previous plan: the counts per level and a
 * table of the sites added and removed in the report's scope (the map marks the same
 * sites), or a note that this is the first plan. Writes HTML only. */
#include "maps/report.h"

#include "util/fmt.h"

static void change_row(struct report_out *o, const struct changes_site *t)
{
	report_printf(o, "<tr data-change=\"%s\"><td>%s</td><td>%s</td><td>",
		      t->added ? "added" : "removed", t->added ? RT(o, RT_ADDED) : RT(o, RT_REMOVED),
		      t->level == 1 ? RT(o, RT_LEVEL_LOCAL) : RT(o, RT_LEVEL_REGIONAL));
	report_text(o, t->name ? t->name : RT(o, RT_GENERATED_PAREN));
	report_printf(o, "</td><td>%s ", t->gemeente_code);
	report_text(o, t->gemeente_name);
	report_printf(o, "</td><td>%s</td><td>%.0f, %.0f</td></tr>\n", t->region_code, t->x_rd,
		      t->y_rd);
}

/* "local 3 added, 1 removed, 40 kept; regional ..." for the nation. */
static void national_counts(struct report_out *o, const struct plan_changes *c)
{
	char a[32], r[32], k[32];
	for (int l = 0; l < 2; l++) {
		const struct changes_count *n = &c->level[l];
		report_printf(o, "%s", l ? "; " : RT(o, RT_CHANGES_NATION));
		report_printf(o, RT(o, RT_CHANGES_LEVEL),
			      l ? RT(o, RT_LEVEL_REGIONAL) : RT(o, RT_LEVEL_LOCAL),
			      report_num(o, a, sizeof a, (double)n->added, 0),
			      report_num(o, r, sizeof r, (double)n->removed, 0),
			      report_num(o, k, sizeof k, (double)n->kept, 0));
	}
	report_printf(o, ".");
}

void report_changes(struct report_out *o)
{
	const struct plan_changes *c = o->m->changes;
	long added = 0, removed = 0;
	report_printf(o, "<section id=\"changes\"><h2>%s</h2>\n", RT(o, RT_CHANGES));
	if (c->from_id <= 0) {
		report_printf(o, "<p>%s</p>\n</section>\n", RT(o, RT_CHANGES_FIRST));
		return;
	}
	for (size_t i = 0; i < c->nsites; i++)
		if (map_change_in_scope(o->m, &c->sites[i]))
			*(c->sites[i].added ? &added : &removed) += 1;
	report_printf(o, "<p>");
	report_printf(o, RT(o, RT_CHANGES_COMPARED), (long long)c->from_id, c->from_created_at,
		      added, added == 1 ? "" : "s", removed);
	report_text(o, o->m->scope_name);
	report_printf(o, "%s", RT(o, RT_CHANGES_MATCHED));
	if (o->m->nation)
		national_counts(o, c);
	report_printf(o, "%s</p>\n", RT(o, RT_CHANGES_MARKS));
	if (added + removed == 0) {
		report_printf(o, "</section>\n");
		return;
	}
	report_printf(o, "<table id=\"changes-table\" class=\"small\"><thead><tr><th>%s</th>"
		      "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>\n",
		      RT(o, RT_CHANGE), RT(o, RT_LEVEL), RT(o, RT_NAME), RT(o, RT_GEMEENTE),
		      RT(o, RT_REGION), RT(o, RT_RD_XY));
	for (size_t i = 0; i < c->nsites; i++)
		if (map_change_in_scope(o->m, &c->sites[i]))
			change_row(o, &c->sites[i]);
	report_printf(o, "</tbody></table>\n</section>\n");
}
