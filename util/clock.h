/* Clocks for timing phases and measuring durations. */
#ifndef HUB_UTIL_CLOCK_H
#define HUB_UTIL_CLOCK_H

/* Seconds on the monotonic clock (an arbitrary origin; only differences mean anything). */
double clock_now_s(void);

#endif
