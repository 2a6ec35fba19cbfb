/* Unit tests for client/hubctl_print.c: hubctl's readable rendering of JSON-RPC results.
 * Each printer writes into a memory stream and the text is checked: no raw JSON in human
 * output, numbers with thousands separators, "-" for what is missing. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/hubctl_print.h"

/* What printer(result) writes, malloc'd. */
static char *render(void (*printer)(json_t *, FILE *), const char *result_json)
{
	json_error_t je;
	json_t *r = json_loads(result_json, 0, &je);
	char *text = NULL;
	size_t len = 0;
	assert_non_null(r);
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	printer(r, out);
	fclose(out);
	json_decref(r);
	return text;
}

#define COVERAGE_HEAD \
	"{\"point\":{\"x\":136783.7,\"y\":455860.1,\"lat\":52.0907,\"lon\":5.1214}," \
	"\"gemeente\":{\"code\":\"GM0344\",\"name\":\"Utrecht\",\"level\":\"gemeente\"}," \
	"\"wijk\":null,\"buurt\":null,\"safety_region\":{\"code\":\"VR09\",\"name\":\"Utrecht\"}," \
	"\"urbanity\":1,\"local\":{\"covered\":true,\"radius_m\":750.0,\"nearest\":[]}," \
	"\"regional\":{\"covered\":false,\"radius_m\":5000.0,\"nearest\":[]},"

/* The coverage printer shows backup power as lines of figures, not as a JSON object. */
static void test_coverage_backup_power_readable(void **state)
{
	(void)state;
	char *t = render(ctl_print_coverage, COVERAGE_HEAD "\"backup_power\":{\"areas\":1,"
			 "\"households\":2412.0,\"wijk_batteries\":3,\"wijk_kwh\":1234.5,"
			 "\"wijk_kw\":300.0,\"home_batteries\":0,\"home_kwh\":0.0,"
			 "\"protected_households\":2100.0,\"funded_households\":2100.0,"
			 "\"cost_eur\":1234567,\"funded_cost_eur\":1234567,\"funded_areas\":1}}");
	assert_null(strchr(t, '{'));
	assert_null(strstr(t, "\"households\""));
	assert_non_null(strstr(t, "2,412 households in 1 battery area\n"));
	assert_non_null(strstr(t, "3 wijkbatterijen: 1,234.5 kWh, 300.0 kW"));
	assert_non_null(strstr(t, "0 home batteries: 0.0 kWh"));
	assert_non_null(strstr(t, "cost EUR 1,234,567, of which funded EUR 1,234,567 (1 of 1 area)"));
	assert_non_null(strstr(t, "2,100 households protected when funded, 2,100 funded now"));
	free(t);
}

/* No battery area at the point: said in words. */
static void test_coverage_backup_power_null(void **state)
{
	(void)state;
	char *t = render(ctl_print_coverage, COVERAGE_HEAD "\"backup_power\":null}");
	assert_non_null(strstr(t, "backup power           not planned yet\n"));
	free(t);
}

/* A member missing from the object prints "-", never a crash or "nan". */
static void test_backup_power_missing_members(void **state)
{
	(void)state;
	char *t = render(ctl_print_coverage, COVERAGE_HEAD "\"backup_power\":{\"areas\":2}}");
	assert_non_null(strstr(t, "- households in 2 battery areas"));
	assert_null(strstr(t, "nan"));
	free(t);
}

/* designate's reply: the site, the status with what it was, who, the note, when it counts. */
static void test_status_change(void **state)
{
	(void)state;
	char *t = render(ctl_print_status_change, "{\"status\":\"rejected\",\"previous\":"
			 "\"designated\",\"site\":{\"id\":7,\"source\":\"scholen.csv\","
			 "\"source_id\":\"7\",\"name\":\"De Hoeksteen\",\"x\":155000.4,"
			 "\"y\":463000.0,\"distance_m\":12.5},\"stored\":{\"set_by\":"
			 "\"uid 998 (alice)\",\"set_at\":\"2026-12-02T14:00:00Z\",\"note\":"
			 "\"sold\"},\"in_served_plan\":true,\"takes_effect\":\"at the next "
			 "recompute\"}");
	assert_null(strchr(t, '{'));
	assert_non_null(strstr(t, "7 scholen.csv:7\n"));
	assert_non_null(strstr(t, "x=155000 y=463000\n"));
	assert_non_null(strstr(t, "rejected (was designated)\n"));
	assert_non_null(strstr(t, "uid 998 (alice) at 2026-12-02T14:00:00Z\n"));
	assert_non_null(strstr(t, "sold\n"));
	assert_non_null(strstr(t, "at the next recompute\n"));
	free(t);
	t = render(ctl_print_status_change, "{\"status\":\"released\",\"previous\":null,"
		   "\"site\":{\"id\":7},\"stored\":null,\"in_served_plan\":false}");
	assert_non_null(strstr(t, "released\n"));
	assert_null(strstr(t, "set by"));
	free(t);
}

/* statuses: a table with a row per status, "gone" for a site no longer imported. */
static void test_statuses_table(void **state)
{
	(void)state;
	char *t = render(ctl_print_statuses, "{\"region\":\"NL\",\"designated\":1,"
			 "\"rejected\":1,\"statuses\":[{\"source\":\"a.csv\",\"source_id\":"
			 "\"1\",\"status\":\"designated\",\"set_by\":\"uid 0\",\"set_at\":"
			 "\"2026-12-02T14:00:00Z\",\"note\":null,\"site_id\":4,\"name\":\"A\","
			 "\"x\":1.0,\"y\":2.0},{\"source\":\"a.csv\",\"source_id\":\"2\","
			 "\"status\":\"rejected\",\"set_by\":\"file:s.csv\",\"set_at\":\"x\","
			 "\"note\":\"sold\",\"site_id\":null,\"name\":\"B\",\"x\":3.0,"
			 "\"y\":4.0}]}");
	assert_non_null(strstr(t, "NL: 1 designated, 1 rejected\n"));
	assert_non_null(strstr(t, "STATUS "));
	assert_non_null(strstr(t, "gone"));
	assert_non_null(strstr(t, "a.csv:2"));
	assert_non_null(strstr(t, "sold\n"));
	assert_null(strstr(t, "null"));
	free(t);
}

/* whatif with a failed area: the failed sites, the regional loss and the replacements as
 * lines and a table; a point covered only by unfunded sites says so in coverage. */
static void test_whatif_failed(void **state)
{
	(void)state;
	char *t = render(ctl_print_whatif, "{\"gained\":0.0,\"lost\":12345.6,\"net\":-12345.6,"
			 "\"areas\":[],\"designated\":false,\"failed\":{\"local_sites\":12,"
			 "\"regional_sites\":1,\"sites\":[],\"regional_lost\":2500.0,"
			 "\"replacements\":[{\"candidate\":77,\"point\":{\"x\":92000.0,\"y\":437000.0,"
			 "\"lat\":51.92,\"lon\":4.48},\"gain_residents\":4321.0,"
			 "\"gain_weight\":5000.0}]}}");
	assert_null(strchr(t, '{'));
	assert_non_null(strstr(t, "12,346"));
	assert_non_null(strstr(t, "12 local, 1 regional"));
	assert_non_null(strstr(t, "2,500 residents"));
	assert_non_null(strstr(t, "replacements outside the failed area"));
	assert_non_null(strstr(t, "92000, 437000"));
	assert_non_null(strstr(t, "together 4,321 of the lost residents covered again"));
	free(t);
	t = render(ctl_print_coverage, "{\"point\":{\"x\":1.0,\"y\":2.0},\"urbanity\":1,"
		   "\"local\":{\"covered\":true,\"covered_in_blackout\":false,\"radius_m\":750.0,"
		   "\"nearest\":[]},\"regional\":{\"covered\":true,\"covered_in_blackout\":true,"
		   "\"radius_m\":5000.0,\"nearest\":[]},\"backup_power\":null}");
	assert_non_null(strstr(t, "yes, not in a blackout"));
	free(t);
}

/* Backup coverage: a point within reach of two local sites says so, gaps and region stats
 * show the twice-covered share, a plan made before backup coverage (twice null) says so,
 * and the site count names the backup sites. */
static void test_twice(void **state)
{
	(void)state;
	char *t = render(ctl_print_coverage, "{\"point\":{\"x\":1.0,\"y\":2.0},\"urbanity\":1,"
			 "\"local\":{\"covered\":true,\"covered_in_blackout\":true,"
			 "\"covered_twice\":true,\"sites_in_reach\":2,\"radius_m\":750.0,"
			 "\"nearest\":[]},\"regional\":{\"covered\":false,"
			 "\"radius_m\":5000.0,\"nearest\":[]},\"backup_power\":null}");
	assert_non_null(strstr(t, "yes, twice"));
	free(t);
	t = render(ctl_print_gaps, "{\"region\":\"VR17\",\"residents\":1000.0,\"covered\":900.0,"
		   "\"covered_pct\":90.0,\"twice\":{\"covered\":612.0,\"uncovered\":388.0,"
		   "\"covered_pct\":61.2}}");
	assert_non_null(strstr(t, "covered twice"));
	assert_non_null(strstr(t, "61.20%"));
	free(t);
	t = render(ctl_print_stats, "{\"plan_id\":3,\"region\":{\"code\":\"VR17\",\"name\":\"R\","
		   "\"residents\":10.0,\"twice\":null}}");
	assert_non_null(strstr(t, "unknown (plan made before backup coverage)"));
	free(t);
	t = render(ctl_print_sites_count, "{\"features\":[{\"properties\":{\"level\":\"local\","
		   "\"purpose\":\"backup\"}},{\"properties\":{\"level\":\"local\","
		   "\"purpose\":\"primary\"}},{\"properties\":{\"level\":\"regional\"}}]}");
	assert_string_equal(t, "3 sites (2 local, 1 of them backup, 1 regional)");
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whatif_failed),
		cmocka_unit_test(test_twice),
		cmocka_unit_test(test_coverage_backup_power_readable),
		cmocka_unit_test(test_coverage_backup_power_null),
		cmocka_unit_test(test_backup_power_missing_members),
		cmocka_unit_test(test_status_change),
		cmocka_unit_test(test_statuses_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
