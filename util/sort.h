/* Sorting many 64-bit keys fast: a least-significant-digit radix sort, for the coverage
 * lists where qsort's comparator calls dominated building a model (a distance's float bits
 * in the high half, an index in the low half sort as distance, then index). */
#ifndef HUB_UTIL_SORT_H
#define HUB_UTIL_SORT_H

#include <stddef.h>
#include <stdint.h>

/* Sorts v[0..n) ascending, stably, using tmp[0..n) (caller's, any contents) as scratch;
 * the result is in v. Passes whose digit is the same for every key are skipped. */
void sort_u64(uint64_t *v, uint64_t *tmp, size_t n);

/* The key of a non-negative float distance and an index: ascending keys order by
 * distance, then by index. */
uint64_t sort_key_dist(float dist, uint32_t i);

/* The distance and the index back from a key of sort_key_dist. */
float sort_key_dist_value(uint64_t key);
uint32_t sort_key_index(uint64_t key);

#endif
