/* Number formatting shared by the readable outputs (hubctl, the import summary, the HTML
 * report) and rounding for stable JSON and GeoPackage values. Pure functions; no locale. */
#ifndef HUB_UTIL_FMT_H
#define HUB_UTIL_FMT_H

#include <stddef.h>

/* v rounded to decimals (halves away from zero), with ',' between thousands, into buf
 * ("17,942,942", "1,166.2", never "-0"); "-" when v is NaN or infinite. Returns buf,
 * truncated to len - 1 characters. */
const char *fmt_thousands(char *buf, size_t len, double v, int decimals);

/* v rounded to a fixed number of decimals, halves away from zero. */
double fmt_round(double v, int decimals);

#endif
