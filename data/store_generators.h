/* The care institutions' generators of a stored plan: written with the plan (inside its
 * transaction) and read back with the institution as the current import holds it. */
#ifndef HUB_STORE_GENERATORS_H
#define HUB_STORE_GENERATORS_H

#include <stddef.h>
#include <stdint.h>

#include "data/store.h"

struct store_plan_generator {
	int seq;
	int64_t site_id;
	double people;                /* beds, else intramural clients; NaN = unknown */
	double kva, cost_eur, score;
	int funded;
	/* Read only: the site now (NULL / NaN when the import no longer holds it). */
	const char *name, *subkind;
	double x_rd, y_rd;
};

/* Inside a transaction. 0 or negative errno with err. */
int store_plan_put_generator(struct store *st, int64_t plan_id,
			     const struct store_plan_generator *g, char *err, size_t errlen);

/* fn for every generator of plan id, by seq (strings valid during the call); a non-zero
 * return stops and is returned. Store errors as negative errno with err. */
int store_each_plan_generator(struct store *st, int64_t id,
			      int (*fn)(void *user, const struct store_plan_generator *g),
			      void *user, char *err, size_t errlen);

#endif
