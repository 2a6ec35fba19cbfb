/* Fuzz target: the input as an import mapping file through mapping_parse (config/mapping.c);
 * a parsed mapping is matched and its value maps applied once, then freed. */
#include "fuzz/fuzz.h"

#include "config/mapping.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct mapping *m = NULL;
	char err[4096];
	if (mapping_parse("fuzz.ini", (const char *)data, size, &m, err, sizeof err) == 0) {
		(void)mapping_matches(m, "x/instellingen/a.geojson", "layer");
		for (int p = 0; p < MP_COUNT; p++)
			(void)mapping_map_value(m, p, "Brandweerkazerne_vrijwillig");
		(void)mapping_is_unknown(m, -99997);
	}
	mapping_free(m);
	return 0;
}
