/* LSD radix sort of 64-bit keys in six 11-bit digits, and the distance keys of
 * util/sort.h. Pure: no allocation (the caller gives the scratch), no I/O. */
#include "util/sort.h"

#include <string.h>

#define DIGIT_BITS 11
#define BUCKETS (1u << DIGIT_BITS)

/* One counting pass on the digit at shift: from src into dst. 0 when every key has the
 * same digit there (nothing moved), else 1. */
static int radix_pass(const uint64_t *src, uint64_t *dst, size_t n, unsigned shift,
		      size_t *count)
{
	memset(count, 0, BUCKETS * sizeof *count);
	for (size_t k = 0; k < n; k++)
		count[(src[k] >> shift) & (BUCKETS - 1)]++;
	if (count[(src[0] >> shift) & (BUCKETS - 1)] == n)
		return 0;
	size_t sum = 0;
	for (size_t b = 0; b < BUCKETS; b++) {
		size_t c = count[b];
		count[b] = sum;
		sum += c;
	}
	for (size_t k = 0; k < n; k++)
		dst[count[(src[k] >> shift) & (BUCKETS - 1)]++] = src[k];
	return 1;
}

static void insertion_sort(uint64_t *v, size_t n)
{
	for (size_t k = 1; k < n; k++) {
		uint64_t x = v[k];
		size_t j = k;
		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

void sort_u64(uint64_t *v, uint64_t *tmp, size_t n)
{
	size_t count[BUCKETS];
	if (n < 64) {
		insertion_sort(v, n);
		return;
	}
	uint64_t *src = v, *dst = tmp;
	for (unsigned shift = 0; shift < 64; shift += DIGIT_BITS)
		if (radix_pass(src, dst, n, shift, count)) {
			uint64_t *t = src;
			src = dst;
			dst = t;
		}
	if (src != v)
		memcpy(v, src, n * sizeof *v);
}

uint64_t sort_key_dist(float dist, uint32_t i)
{
	uint32_t bits;
	dist = dist > 0 ? dist : 0.0f;      /* -0.0 and NaN would break the bit order */
	memcpy(&bits, &dist, sizeof bits);
	return (uint64_t)bits << 32 | i;
}

float sort_key_dist_value(uint64_t key)
{
	uint32_t bits = (uint32_t)(key >> 32);
	float d;
	memcpy(&d, &bits, sizeof d);
	return d;
}

uint32_t sort_key_index(uint64_t key)
{
	return (uint32_t)key;
}
