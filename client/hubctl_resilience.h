/* hubctl resilience's readable output (hubctl_resilience.c). Used by hubctl.c only. */
#ifndef HUB_HUBCTL_RESILIENCE_H
#define HUB_HUBCTL_RESILIENCE_H

#include <jansson.h>
#include <stdio.h>

/* Prints a resilience result (docs/protocol.md) as tables to out; r is borrowed. */
void ctl_print_resilience(json_t *r, FILE *out);

#endif
