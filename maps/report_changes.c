/* The report's section on what changed since the previous plan: the counts per level and a
 * table of the sites added and removed in the report's scope (the map marks the same
 * sites), or a note that this is the first plan. Writes HTML only. */
#include "maps/report.h"

#include "util/fmt.h"

static void change_row(struct report_out *o, const struct changes_site *t)
{
	const char *change = t->added ? "added" : "removed";
	report_printf(o, "<tr data-change=\"%s\"><td>%s</td><td>%s</td><td>", change, change,
		      t->level == 1 ? "local" : "regional");
	report_text(o, t->name ? t->name : "(generated position)");
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
		report_printf(o, "%s%s: %s added, %s removed, %s kept", l ? "; " : " Nationally, ",
			      l ? "regional" : "local",
			      fmt_thousands(a, sizeof a, (double)n->added, 0),
			      fmt_thousands(r, sizeof r, (double)n->removed, 0),
			      fmt_thousands(k, sizeof k, (double)n->kept, 0));
	}
	report_printf(o, ".");
}

void report_changes(struct report_out *o)
{
	const struct plan_changes *c = o->m->changes;
	long added = 0, removed = 0;
	report_printf(o, "<section id=\"changes\"><h2>Changes since the previous plan</h2>\n");
	if (c->from_id <= 0) {
		report_printf(o, "<p>This is the first plan: there is no previous plan to compare "
			      "it with.</p>\n</section>\n");
		return;
	}
	for (size_t i = 0; i < c->nsites; i++)
		if (map_change_in_scope(o->m, &c->sites[i]))
			*(c->sites[i].added ? &added : &removed) += 1;
	report_printf(o, "<p>Compared with plan %lld (computed %s): %ld site%s added and %ld "
		      "removed in ", (long long)c->from_id, c->from_created_at, added,
		      added == 1 ? "" : "s", removed);
	report_text(o, o->m->scope_name);
	report_printf(o, ", matched by position (within 1 m).");
	if (o->m->nation)
		national_counts(o, c);
	report_printf(o, " The map marks them: a green ring for an added site, a grey cross for "
		      "a removed one.</p>\n");
	if (added + removed == 0) {
		report_printf(o, "</section>\n");
		return;
	}
	report_printf(o, "<table id=\"changes-table\" class=\"small\"><thead><tr><th>change</th>"
		      "<th>level</th><th>name</th><th>gemeente</th><th>region</th><th>RD x, y</th>"
		      "</tr></thead><tbody>\n");
	for (size_t i = 0; i < c->nsites; i++)
		if (map_change_in_scope(o->m, &c->sites[i]))
			change_row(o, &c->sites[i]);
	report_printf(o, "</tbody></table>\n</section>\n");
}
