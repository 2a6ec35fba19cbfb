/* hubctl's readable output: one printer per JSON-RPC result (docs/protocol.md), in English
 * or Dutch with that language's number format (hubctl_print.c, hubctl_print_plan.c). Used by
 * the client only. The printers read the result and never keep or free it; a missing member
 * prints as "-". Single-threaded: the language is a setting of the process. */
#ifndef HUB_HUBCTL_PRINT_H
#define HUB_HUBCTL_PRINT_H

#include <jansson.h>
#include <stddef.h>
#include <stdio.h>

#include "util/lang.h"

/* The language of every printer from now on (English until called). */
void ctl_print_set_lang(enum lang l);

/* The member at a dotted path ("recompute.phase") or NULL. Borrowed reference. */
json_t *ctl_get(json_t *o, const char *path);

/* The number at path, or NaN when it is missing or not a number. */
double ctl_getnum(json_t *o, const char *path);

/* The string at path, or "-" when it is missing, null or not a string. */
const char *ctl_getstr(json_t *o, const char *path);

/* A machine value of a result in words of the language set: levels ("local", "regional",
 * "total"), site statuses ("designated", "rejected", "released") and recompute phases
 * ("demand", "candidates", ...); any other value (gemeente, wijk, buurt) as it is. Static
 * storage or value itself. */
const char *ctl_value_text(const char *value);

/* Readable renderings of each method's result. */
void ctl_print_coverage(json_t *r, FILE *out);
void ctl_print_gaps(json_t *r, FILE *out);
void ctl_print_stats(json_t *r, FILE *out);
void ctl_print_whatif(json_t *r, FILE *out);
void ctl_print_suggest(json_t *r, FILE *out);
void ctl_print_status(json_t *r, FILE *out);
/* designate, reject, release: the site, its status before and now, who and when. */
void ctl_print_status_change(json_t *r, FILE *out);
/* statuses: one row per stored status. */
void ctl_print_statuses(json_t *r, FILE *out);
void ctl_print_changes(json_t *r, FILE *out);

/* "12 sites (10 local, 2 regional)" for a sites FeatureCollection. */
void ctl_print_sites_count(json_t *r, FILE *out);

#endif
