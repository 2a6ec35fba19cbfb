/* Growing arrays that take items one at a time: the one doubling rule, with the overflow
 * checks, instead of a hand-written realloc loop at every such array. Knows nothing of
 * what the items are. */
#ifndef HUB_UTIL_GROW_H
#define HUB_UTIL_GROW_H

#include <stddef.h>

/* Makes room for at least need items of size bytes in the array *(void **)pp of
 * capacity *cap items: the capacity doubles, starting from min_cap (at least 1). The
 * array stays owned by the caller (free it as ever). 0, or -ENOMEM with *pp and *cap as
 * they were (also when need * size would overflow). */
int grow_reserve(void *pp, size_t *cap, size_t need, size_t size, size_t min_cap);

#endif
