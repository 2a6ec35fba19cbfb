/* LSD radix sort of 64-bit keys in six 11-bit digits (quicksort for short arrays), and
 * the distance keys of util/sort.h. Pure: no allocation (the caller gives the scratch), no I/O. */
#include "util/sort.h"

#include <string.h>

#define DIGIT_BITS 11
#define BUCKETS (1u << DIGIT_BITS)
#define QUICK_MAX 2048        /* fewer keys: quicksort (the result is the same) */

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

/* Quicksort (median of three, the smaller side recursed) down to insertion sort: faster
 * than the radix passes for a few hundred keys, whose bucket counts cost more than the
 * keys. Keys are distinct or not: equal keys go to either side. */
static void quick_sort(uint64_t *v, size_t n)
{
	while (n > 24) {
		uint64_t a = v[0], b = v[n / 2], c = v[n - 1];
		uint64_t piv = a < b ? (b < c ? b : a < c ? c : a) : (a < c ? a : b < c ? c : b);
		size_t i = 0, j = n - 1;
		for (;;) {
			while (v[i] < piv)
				i++;
			while (v[j] > piv)
				j--;
			if (i >= j)
				break;
			uint64_t t = v[i];
			v[i++] = v[j];
			v[j--] = t;
		}
		size_t left = j + 1;                 /* [0, left) <= piv <= [left, n) */
		if (left < n - left) {
			quick_sort(v, left);
			v += left;
			n -= left;
		} else {
			quick_sort(v + left, n - left);
			n = left;
		}
	}
	insertion_sort(v, n);
}

void sort_u64(uint64_t *v, uint64_t *tmp, size_t n)
{
	size_t count[BUCKETS];
	if (n < QUICK_MAX) {
		quick_sort(v, n);
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
