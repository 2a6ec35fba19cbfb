/* A part of the served model picked by a code or a box: a safety region, a gemeente, wijk or
 * buurt, or an RD bounding box; and the tests for whether an area, a demand point or a site
 * lies in it. Pure functions on the published model; they never change it. */
#ifndef HUB_MODEL_SELECTION_H
#define HUB_MODEL_SELECTION_H

#include <stddef.h>
#include <stdint.h>

#include "model/served.h"

enum selection_kind { SEL_REGION = 0, SEL_AREA = 1, SEL_BBOX = 2 };

struct selection {
	enum selection_kind kind;
	int32_t index;                /* region or area index */
	double box[4];                /* minx, miny, maxx, maxy (RD) */
	char label[64];
};

/* Resolves code (VRnn, GMnnnn, a wijk or buurt code) into sel. 0, or -ENOENT when the model
 * has no such region or area (grid cells are not selectable). */
int selection_from_code(const struct served *s, const char *code, struct selection *sel);

/* sel becomes the box (minx, miny, maxx, maxy in RD metres); the caller checks its order. */
void selection_from_box(const double box[4], struct selection *sel);

/* 1 when area (an index) is target or lies inside it (target a gemeente, wijk or buurt). */
int selection_area_in(const struct served *s, int32_t area, int32_t target);

/* 1 when area a lies in a region or area selection; 0 for a box (areas are not boxed). */
int selection_has_area(const struct served *s, const struct selection *sel, int32_t a);

/* 1 when demand point i lies in the selection. */
int selection_has_point(const struct served *s, const struct selection *sel, size_t i);

/* 1 when the site lies in the selection. */
int selection_has_site(const struct served *s, const struct selection *sel,
		       const struct served_site *site);

#endif
