/* Institutions in the serving model: hospitals and fire stations (the nearest of each to a
 * point, for coverage) and care institutions with the generator the plan gives them (for
 * gaps and the report). Built at load from the plan input's sites and the plan's
 * generators; read-only afterwards. */
#ifndef HUB_SERVED_PLACES_H
#define HUB_SERVED_PLACES_H

#include <stddef.h>
#include <stdint.h>

#include "data/store.h"
#include "model/plan_input.h"
#include "model/selection.h"
#include "model/served.h"

struct served_inst {
	double x, y;                  /* RD */
	int32_t gemeente;             /* area index, -1 */
	double beds, ic_beds, clients;   /* NaN = unknown */
	int has_generator, funded;    /* care: in the plan's generators; funded in budget_eur */
	double kva, cost_eur;
	char *json;                   /* {"name","kind","subkind","beds",...,"lat","lon"} */
};

/* Fills s->hospitals, s->fire_stations and s->care from in's sites (kinds hospital,
 * fire_station, care) and the generators of plan s->plan_id in st. 0 or negative errno
 * with err. */
int served_places_load(struct served *s, struct store *st, const struct plan_input *in,
		       char *err, size_t errlen);
void served_places_free(struct served *s);

/* The institution of set nearest to (x, y) within max_m (its distance in *dist_m), or
 * NULL. */
const struct served_inst *served_nearest_inst(const struct served_insts *set, double x,
					      double y, double max_m, double *dist_m);

/* 1 when institution i lies in the selection. */
int served_inst_in(const struct served *s, const struct selection *sel,
		   const struct served_inst *i);

#endif
