/* The doubling rule of util/grow.h. Only realloc; never frees the caller's array. */
#include "util/grow.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int grow_reserve(void *pp, size_t *cap, size_t need, size_t size, size_t min_cap)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap : (min_cap ? min_cap : 1);
	while (n < need) {
		if (n > SIZE_MAX / 2)
			return -ENOMEM;
		n *= 2;
	}
	if (size && n > SIZE_MAX / size)
		return -ENOMEM;
	void *old, *p;
	memcpy(&old, pp, sizeof old);
	if (!(p = realloc(old, n * size)))
		return -ENOMEM;
	memcpy(pp, &p, sizeof p);
	*cap = n;
	return 0;
}
