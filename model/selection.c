/* Selections of the served model: resolving a code to a region or area, and membership of
 * areas, demand points and sites. Knows nothing of JSON or of the requests that name them. */
#include "model/selection.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

int selection_from_code(const struct served *s, const char *code, struct selection *sel)
{
	memset(sel, 0, sizeof *sel);
	snprintf(sel->label, sizeof sel->label, "%s", code);
	sel->kind = SEL_REGION;
	if ((sel->index = served_find_region(s, code)) >= 0)
		return 0;
	sel->kind = SEL_AREA;
	if ((sel->index = served_find_code(s, code)) >= 0 && s->areas[sel->index].level <= 3)
		return 0;
	return -ENOENT;
}

void selection_from_box(const double box[4], struct selection *sel)
{
	memset(sel, 0, sizeof *sel);
	sel->kind = SEL_BBOX;
	memcpy(sel->box, box, sizeof sel->box);
	snprintf(sel->label, sizeof sel->label, "bbox");
}

int selection_area_in(const struct served *s, int32_t area, int32_t target)
{
	const struct served_area *a = &s->areas[area];
	if (area == target)
		return 1;
	switch (s->areas[target].level) {
	case 1:
		return a->gemeente == target;
	case 2:
		return a->wijk == target;
	case 3:
		return a->buurt == target;
	default:
		return 0;
	}
}

int selection_has_area(const struct served *s, const struct selection *sel, int32_t a)
{
	if (sel->kind == SEL_REGION)
		return s->areas[a].region == sel->index;
	if (sel->kind == SEL_AREA)
		return selection_area_in(s, a, sel->index);
	return 0;
}

int selection_has_point(const struct served *s, const struct selection *sel, size_t i)
{
	const struct demand *d = &s->demand;
	switch (sel->kind) {
	case SEL_REGION:
		return d->region[i] == sel->index;
	case SEL_AREA:
		return selection_area_in(s, d->area[i], sel->index);
	default:
		return d->xy[2 * i] >= sel->box[0] && d->xy[2 * i] <= sel->box[2] &&
		       d->xy[2 * i + 1] >= sel->box[1] && d->xy[2 * i + 1] <= sel->box[3];
	}
}

int selection_has_site(const struct served *s, const struct selection *sel,
		       const struct served_site *site)
{
	if (sel->kind == SEL_BBOX)
		return site->x >= sel->box[0] && site->x <= sel->box[2] && site->y >= sel->box[1] &&
		       site->y <= sel->box[3];
	if (site->gemeente < 0)
		return 0;
	if (sel->kind == SEL_REGION)
		return s->areas[site->gemeente].region == sel->index;
	if (s->areas[sel->index].level == 1)
		return site->gemeente == sel->index;
	if (site->gemeente != s->areas[sel->index].gemeente)
		return 0;
	struct served_place p;
	served_locate(s, site->x, site->y, &p);
	return p.wijk == sel->index || p.buurt == sel->index;
}
