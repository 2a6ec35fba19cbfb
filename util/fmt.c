/* Thousands separators and decimal rounding in English or Dutch number format, by our own
 * rules rather than the C library's locale, so output is the same on every machine. Knows
 * nothing of what the numbers are. */
#include "util/fmt.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

double fmt_round(double v, int decimals)
{
	double f = pow(10, decimals);
	return round(v * f) / f;
}

const char *fmt_thousands(char *buf, size_t len, double v, int decimals)
{
	return fmt_number(buf, len, v, decimals, LANG_EN);
}

const char *fmt_number(char *buf, size_t len, double v, int decimals, enum lang l)
{
	char thousands = l == LANG_NL ? '.' : ',', point = l == LANG_NL ? ',' : '.';
	char raw[352];
	if (len == 0)
		return buf;
	if (!isfinite(v)) {
		snprintf(buf, len, "-");
		return buf;
	}
	v = fmt_round(v, decimals);
	if (v == 0)
		v = 0;                        /* no "-0" */
	snprintf(raw, sizeof raw, "%.*f", decimals, v);
	size_t intlen = strcspn(raw, "."), o = 0;
	size_t digits = intlen - (raw[0] == '-');
	for (size_t i = 0; raw[i] && o + 1 < len; i++) {
		buf[o++] = raw[i] == '.' ? point : raw[i];
		if (i < intlen && raw[i] >= '0' && raw[i] <= '9' && --digits > 0 &&
		    digits % 3 == 0 && o + 1 < len)
			buf[o++] = thousands;
	}
	buf[o] = '\0';
	return buf;
}
