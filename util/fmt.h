/* Number formatting shared by the readable outputs (hubctl, the import summary, the HTML
 * report), in English (1,234.5) or Dutch (1.234,5), and rounding for stable JSON and
 * GeoPackage values. Pure functions; never the C library's locale. */
#ifndef HUB_UTIL_FMT_H
#define HUB_UTIL_FMT_H

#include <stddef.h>

#include "util/lang.h"

/* v rounded to decimals (halves away from zero), with ',' between thousands, into buf
 * ("17,942,942", "1,166.2", never "-0"); "-" when v is NaN or infinite. Returns buf,
 * truncated to len - 1 characters. */
const char *fmt_thousands(char *buf, size_t len, double v, int decimals);

/* The same in the number format of l: English as fmt_thousands, Dutch with '.' between
 * thousands and ',' before the decimals ("17.942.942", "1.166,2"). */
const char *fmt_number(char *buf, size_t len, double v, int decimals, enum lang l);

/* v rounded to a fixed number of decimals, halves away from zero. */
double fmt_round(double v, int decimals);

#endif
