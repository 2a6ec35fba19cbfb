/* Fuzz target: the input as INI text through config_parse_string on top of the
 * defaults. The text is copied into a NUL-terminated buffer first. */
#include "fuzz/fuzz.h"

#include <stdlib.h>
#include <string.h>

#include "config/config.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct config cfg;
	char err[4096];
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	config_defaults(&cfg);
	config_parse_string(&cfg, "fuzz.conf", text, err, sizeof err);
	free(text);
	return 0;
}
