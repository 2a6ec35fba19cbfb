/* The incumbents of a stable recompute: the sites of the newest stored plan, per level,
 * with their municipalities found among the loaded areas. Reads the store; computes
 * nothing and prints nothing. */
#ifndef HUB_MODEL_INCUMBENTS_H
#define HUB_MODEL_INCUMBENTS_H

#include <stddef.h>

#include "data/store.h"
#include "model/plan_input.h"
#include "plan/stable.h"

struct incumbents {
	struct plan_incumbents set;   /* points into the arrays below */
	struct plan_incumbent *local, *regional;   /* owned */
	size_t nlocal, nregional, cap_local, cap_regional;
};

/* The plan of record: the newest stored plan's id in *plan_id (0 = none) and its scope in
 * *scope (malloc'd; NULL for a national plan or none; caller frees). 0 or negative errno
 * with err (a stored plan whose parameters do not parse names the key). */
int incumbents_latest(struct store *st, int64_t *plan_id, char **scope, char *err,
		      size_t errlen);

/* Loads the sites of plan plan_id (0: none) into *out; gemeente codes are matched to l's
 * municipalities (-1 when not loaded). Free with incumbents_free (also after an error).
 * 0 or negative errno with err. */
int incumbents_load(struct store *st, int64_t plan_id, const struct plan_input *l,
		    struct incumbents *out, char *err, size_t errlen);

void incumbents_free(struct incumbents *in);

#endif
