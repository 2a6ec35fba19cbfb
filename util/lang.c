/* Picking the output language from an option or the locale variables. Reads the
 * environment only; never calls setlocale, so number formatting stays the C locale's. */
#include "util/lang.h"

#include <errno.h>
#include <stdlib.h>
#include <strings.h>

int lang_parse(const char *s, enum lang *out)
{
	if (s && strcasecmp(s, "en") == 0)
		*out = LANG_EN;
	else if (s && strcasecmp(s, "nl") == 0)
		*out = LANG_NL;
	else
		return -EINVAL;
	return 0;
}

enum lang lang_from_env(void)
{
	static const char *const vars[] = {"LC_ALL", "LC_MESSAGES", "LANG"};
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++) {
		const char *v = getenv(vars[i]);
		if (v && *v)
			return strncasecmp(v, "nl", 2) == 0 ? LANG_NL : LANG_EN;
	}
	return LANG_EN;
}

const char *lang_code(enum lang l)
{
	return l == LANG_NL ? "nl" : "en";
}
