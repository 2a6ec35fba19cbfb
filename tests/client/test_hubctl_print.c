/* Unit tests for hubctl's printers (client/hubctl_print.c, hubctl_print_plan.c,
 * hubctl_resilience.c): hubctl's readable rendering of JSON-RPC results. Each printer writes
 * into a memory stream and the text is checked: no raw JSON in human output, numbers with
 * thousands separators, "-" for what is missing; in Dutch, Dutch words and number format,
 * and none of the catalog's English-only text on the fixtures of print_fixtures.json. */
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "client/hubctl_print.h"
#include "client/hubctl_resilience.h"
#include "util/lang.h"

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

/* render in Dutch; the language is English again afterwards. */
static char *render_nl(void (*printer)(json_t *, FILE *), const char *result_json)
{
	ctl_print_set_lang(LANG_NL);
	char *text = render(printer, result_json);
	ctl_print_set_lang(LANG_EN);
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

/* ---- Dutch ---- */

/* Backup power in Dutch: Dutch words, '.' between thousands, ',' before decimals, one
 * battery area in the singular; the key column is wider for the longer Dutch labels. */
static void test_nl_coverage(void **state)
{
	(void)state;
	char *t = render_nl(ctl_print_coverage, COVERAGE_HEAD "\"backup_power\":{\"areas\":1,"
			    "\"households\":2412.0,\"wijk_batteries\":3,\"wijk_kwh\":1234.5,"
			    "\"wijk_kw\":300.0,\"home_batteries\":0,\"home_kwh\":0.0,"
			    "\"protected_households\":2100.0,\"funded_households\":2100.0,"
			    "\"cost_eur\":1234567,\"funded_cost_eur\":1234567,\"funded_areas\":1}}");
	assert_non_null(strstr(t, "veiligheidsregio           VR09 Utrecht\n"));
	assert_non_null(strstr(t, "noodstroom                 2.412 huishoudens in 1 batterijgebied\n"));
	assert_non_null(strstr(t, "3 wijkbatterijen: 1.234,5 kWh, 300,0 kW\n"));
	assert_non_null(strstr(t, "0 thuisbatterijen: 0,0 kWh\n"));
	assert_non_null(strstr(t, "kosten EUR 1.234.567, waarvan gefinancierd EUR 1.234.567 "
			       "(1 van 1 gebied)\n"));
	assert_non_null(strstr(t, "NIVEAU "));
	assert_non_null(strstr(t, "lokaal     ja        750 m"));
	assert_non_null(strstr(t, "regionaal  nee     5.000 m"));
	assert_non_null(strstr(t, "(geen punten)"));
	assert_null(strstr(t, "households"));
	free(t);
}

/* gaps in Dutch: percentages with a decimal comma, twice-covered as "dubbel gedekt", an
 * older plan's unknown blackout coverage in words. */
static void test_nl_gaps(void **state)
{
	(void)state;
	char *t = render_nl(ctl_print_gaps, "{\"region\":\"VR17\",\"residents\":1364470.0,"
			    "\"covered\":1320152.0,\"covered_pct\":96.752,\"uncovered\":44318.0,"
			    "\"twice\":{\"covered\":612.0,\"uncovered\":388.0,\"covered_pct\":61.2}}");
	assert_non_null(strstr(t, "selectie                   VR17\n"));
	assert_non_null(strstr(t, "inwoners                      1.364.470\n"));
	assert_non_null(strstr(t, "gedekt                        1.320.152  96,75%\n"));
	assert_non_null(strstr(t, "niet gedekt                      44.318\n"));
	assert_non_null(strstr(t, "dubbel gedekt                       612  61,20%\n"));
	assert_non_null(strstr(t, "onbekend (plan van vóór de dekking bij stroomuitval)"));
	assert_non_null(strstr(t, "geen (iedereen is gedekt)"));
	free(t);
}

/* Site statuses in Dutch: the status values in words, yes as "ja". */
static void test_nl_statuses(void **state)
{
	(void)state;
	char *t = render_nl(ctl_print_status_change, "{\"status\":\"rejected\",\"previous\":"
			    "\"designated\",\"site\":{\"id\":7,\"source\":\"s.csv\",\"source_id\":"
			    "\"7\",\"name\":\"De Hoeksteen\",\"x\":1.0,\"y\":2.0,\"distance_m\":"
			    "1234.0},\"stored\":{\"set_by\":\"uid 998\",\"set_at\":\"2026-12-02\","
			    "\"note\":\"verkocht\"},\"in_served_plan\":true}");
	assert_non_null(strstr(t, "status                     afgewezen (was aangewezen)\n"));
	assert_non_null(strstr(t, "vanaf de gegeven plek      1.234 m\n"));
	assert_non_null(strstr(t, "gezet door                 uid 998 op 2026-12-02\n"));
	assert_non_null(strstr(t, "in het actieve plan        ja\n"));
	free(t);
	t = render_nl(ctl_print_statuses, "{\"region\":\"NL\",\"designated\":1,\"rejected\":0,"
		      "\"statuses\":[{\"source\":\"a.csv\",\"source_id\":\"2\",\"status\":"
		      "\"designated\",\"set_by\":\"x\",\"set_at\":\"y\",\"note\":null,"
		      "\"site_id\":null,\"name\":\"B\",\"x\":3.0,\"y\":4.0}]}");
	assert_non_null(strstr(t, "NL: 1 aangewezen, 0 afgewezen\n"));
	assert_non_null(strstr(t, "STATUS      PUNT  BRON:ID"));
	assert_non_null(strstr(t, "aangewezen   weg  a.csv:2"));
	free(t);
}

/* whatif with a failed area and the sites count in Dutch, plurals included; the count in
 * English in the singular. */
static void test_nl_whatif_sites(void **state)
{
	(void)state;
	char *t = render_nl(ctl_print_whatif, "{\"gained\":0.0,\"lost\":12345.6,\"net\":-12345.6,"
			    "\"areas\":[{\"code\":\"GM0599\",\"name\":\"Rotterdam\",\"level\":"
			    "\"gemeente\",\"change\":-12345.6}],\"failed\":{\"local_sites\":12,"
			    "\"regional_sites\":1,\"regional_lost\":2500.0,\"replacements\":"
			    "[{\"candidate\":77,\"point\":{\"x\":92000.0,\"y\":437000.0,\"lat\":51.92,"
			    "\"lon\":4.48},\"gain_residents\":4321.0,\"gain_weight\":5000.0}]}}");
	assert_non_null(strstr(t, "inwoners kwijt                   12.346\n"));
	assert_non_null(strstr(t, "netto verandering               -12.346\n"));
	assert_non_null(strstr(t, "uitgevallen punten         12 lokaal, 1 regionaal\n"));
	assert_non_null(strstr(t, "hoofdsteunpunt verloren           2.500 inwoners\n"));
	assert_non_null(strstr(t, "51.9200000  4.4800000  92000, 437000"));
	assert_non_null(strstr(t, "samen 4.321 van de verloren inwoners weer gedekt\n"));
	assert_non_null(strstr(t, "GM0599  Rotterdam  gemeente      -12.346\n"));
	free(t);
	t = render_nl(ctl_print_sites_count, "{\"features\":[{\"properties\":{\"level\":\"local\","
		      "\"purpose\":\"backup\"}},{\"properties\":{\"level\":\"local\","
		      "\"purpose\":\"primary\"}},{\"properties\":{\"level\":\"regional\"}}]}");
	assert_string_equal(t, "3 punten (2 lokaal, waarvan 1 reservepunt, 1 regionaal)");
	free(t);
	t = render_nl(ctl_print_sites_count, "{\"features\":[{\"properties\":{\"level\":"
		      "\"regional\"}}]}");
	assert_string_equal(t, "1 punt (0 lokaal, 1 regionaal)");
	free(t);
	t = render(ctl_print_sites_count, "{\"features\":[{\"properties\":{\"level\":"
		   "\"local\"}}]}");
	assert_string_equal(t, "1 site (1 local, 0 regional)");
	free(t);
}

/* status while a recompute runs, in Dutch: "u" for hours, the percentage with a comma. */
static void test_nl_status(void **state)
{
	(void)state;
	char *t = render_nl(ctl_print_status, "{\"version\":\"0.1.0\",\"uptime_s\":7300,"
			    "\"plan\":null,\"recompute\":{\"running\":true,\"phase\":\"local\","
			    "\"pct\":42.5,\"left_s\":4000,\"started_at\":\"T0\",\"last_result\":"
			    "\"ok\",\"finished_at\":\"T1\",\"duration_s\":1234.5},\"requests\":"
			    "{\"total\":12345,\"errors\":1,\"clients\":1,\"accepted\":2,"
			    "\"rejected_full\":0,\"closed_slow\":0}}");
	assert_non_null(strstr(t, "daemon                     hubplannerd 0.1.0, draait 2 u 01 min\n"));
	assert_non_null(strstr(t, "plan                       geen geladen"));
	assert_non_null(strstr(t, "herberekening              bezig sinds T0: lokaal 42,5%, nog 1 u 06 min\n"));
	assert_non_null(strstr(t, "laatste herberekening      ok, klaar T1 na 1.234,5 s\n"));
	assert_non_null(strstr(t, "verzoeken                  12.345 (1 fouten)\n"));
	free(t);
}

/* resilience in Dutch: the row labels padded by characters, so "precies één punt" (two
 * two-byte letters) lines up with the others; shares with a decimal comma. */
static void test_nl_resilience(void **state)
{
	(void)state;
	const char *r = "{\"region\":\"VR17\",\"plan_id\":2,\"local_sites\":1201,\"sole_sites\":"
			"158,\"local\":{\"total\":{\"residents\":1364470},\"uncovered\":"
			"{\"residents\":44318,\"residents_pct\":3.248,\"vulnerable\":9355,"
			"\"weight\":48996},\"once\":{\"residents\":293329,\"residents_pct\":21.5,"
			"\"vulnerable\":63668,\"weight\":325188},\"twice_or_more\":{\"residents\":"
			"1026823,\"residents_pct\":75.25,\"vulnerable\":196679,\"weight\":1125533}},"
			"\"regional\":{},\"sites\":[]}";
	char *t = render_nl(ctl_print_resilience, r);
	assert_non_null(strstr(t, "selectie                   VR17 (plan #2)\n"));
	assert_non_null(strstr(t, "lokale punten binnen              1.201\n"));
	assert_non_null(strstr(t, "LOKAAL                 INWONERS   AANDEEL   KWETSBAAR      GEWICHT\n"));
	assert_non_null(strstr(t, "  geen punt              44.318     3,25%       9.355       48.996\n"));
	assert_non_null(strstr(t, "  precies één punt      293.329    21,50%      63.668      325.188\n"));
	assert_non_null(strstr(t, "  geen punt                   -         -           -            -\n"));
	free(t);
	t = render(ctl_print_resilience, r);
	assert_non_null(strstr(t, "  exactly one site      293,329    21.50%      63,668      325,188\n"));
	assert_non_null(strstr(t, "local sites inside            1,201\n"));
	free(t);
}

/* diff in Dutch: levels and headers in words, Dutch percentages. */
static void test_nl_changes(void **state)
{
	(void)state;
	char *t = render_nl(ctl_print_changes, "{\"from\":{\"plan_id\":1,\"created_at\":\"A\"},"
			    "\"to\":{\"plan_id\":2,\"created_at\":\"B\"},\"levels\":{\"local\":"
			    "{\"added\":0,\"removed\":1075,\"kept\":201},\"total\":{\"added\":0,"
			    "\"removed\":1075,\"kept\":218}},\"regions\":[{\"code\":\"VR17\",\"name\":"
			    "\"R\",\"local\":{\"added\":0,\"removed\":1075,\"kept\":201},\"coverage\":"
			    "{\"before\":{\"covered_pct\":99.69},\"after\":{\"covered_pct\":96.75}}}],"
			    "\"gemeenten\":[],\"added\":[],\"removed\":[{\"level\":\"local\","
			    "\"gemeente\":\"GM0599\",\"region\":\"VR17\",\"lat\":51.9,\"lon\":4.4,"
			    "\"x\":1.0,\"y\":2.0}],\"truncated\":true}");
	assert_non_null(strstr(t, "wijzigingen                plan #1 (A) -> plan #2 (B)\n"));
	assert_non_null(strstr(t, "NIVEAU  TOEGEVOEGD  VERWIJDERD  BEHOUDEN\n"));
	assert_non_null(strstr(t, "lokaal           0       1.075       201\n"));
	assert_non_null(strstr(t, "totaal           0       1.075       218\n"));
	assert_non_null(strstr(t, "+0 -1.075 =201"));
	assert_non_null(strstr(t, "99,69% -> 96,75%"));
	assert_non_null(strstr(t, "geen gemeente met een toegevoegd of verwijderd punt"));
	assert_non_null(strstr(t, "\nverwijderde punten (1)\n"));
	assert_non_null(strstr(t, "(gegenereerd)"));
	assert_non_null(strstr(t, "(lijsten afgekapt bij de limiet"));
	free(t);
}

/* ---- no English-only catalog text in a Dutch rendering ---- */

/* The English-only pieces of the catalog from tests/check_text.py --foreign nl (its rule:
 * the stretches between conversions that no Dutch text holds), as a new reference. */
static json_t *load_english_pieces(void)
{
	char cmd[2048];
	json_error_t je;
	snprintf(cmd, sizeof cmd, "python3 '%s/tests/check_text.py' HT_ '%s/client/hubctl_text.h'"
		 " --foreign nl", HUB_SOURCE_DIR, HUB_SOURCE_DIR);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	json_t *pieces = json_loadf(p, 0, &je);
	assert_int_equal(pclose(p), 0);
	assert_true(json_is_array(pieces));
	return pieces;
}

/* piece in text as a whole word (no letter just before or after). */
static int has_word(const char *text, const char *piece)
{
	size_t n = strlen(piece);
	for (const char *p = strstr(text, piece); p; p = strstr(p + 1, piece))
		if ((p == text || !isalpha((unsigned char)p[-1])) && !isalpha((unsigned char)p[n]))
			return 1;
	return 0;
}

static const struct {
	const char *name;
	void (*print)(json_t *, FILE *);
} printers[] = {
	{"coverage", ctl_print_coverage}, {"gaps", ctl_print_gaps}, {"stats", ctl_print_stats},
	{"whatif", ctl_print_whatif}, {"suggest", ctl_print_suggest},
	{"status", ctl_print_status}, {"status_change", ctl_print_status_change},
	{"statuses", ctl_print_statuses}, {"changes", ctl_print_changes},
	{"sites_count", ctl_print_sites_count}, {"resilience", ctl_print_resilience},
};

/* Every printer on every fixture of tests/client/print_fixtures.json, in lang, as one
 * malloc'd text. */
static char *render_fixtures(json_t *fixtures, enum lang lang)
{
	char *text = NULL;
	size_t len = 0, i;
	json_t *r;
	FILE *out = open_memstream(&text, &len);
	assert_non_null(out);
	ctl_print_set_lang(lang);
	for (size_t k = 0; k < sizeof printers / sizeof printers[0]; k++) {
		json_t *list = json_object_get(fixtures, printers[k].name);
		assert_true(json_array_size(list) > 0);
		json_array_foreach(list, i, r)
			printers[k].print(r, out);
	}
	ctl_print_set_lang(LANG_EN);
	fclose(out);
	return text;
}

/* The Dutch rendering of every printer holds none of the English-only catalog text, while
 * the English rendering of the same results holds most of it (so the check has teeth). */
static void test_nl_no_english_left(void **state)
{
	(void)state;
	char path[1024];
	json_error_t je;
	json_t *p, *pieces = load_english_pieces();
	size_t i, in_en = 0;
	snprintf(path, sizeof path, "%s/tests/client/print_fixtures.json", HUB_SOURCE_DIR);
	json_t *fixtures = json_load_file(path, 0, &je);
	assert_non_null(fixtures);
	char *nl = render_fixtures(fixtures, LANG_NL), *en = render_fixtures(fixtures, LANG_EN);
	json_array_foreach(pieces, i, p) {
		const char *piece = json_string_value(json_object_get(p, "piece"));
		if (has_word(nl, piece))
			fail_msg("English \"%s\" (%s) in the Dutch rendering", piece,
				 json_string_value(json_object_get(p, "key")));
		in_en += (size_t)has_word(en, piece);
	}
	print_message("%zu English-only pieces, %zu of them in the English rendering\n",
		      json_array_size(pieces), in_en);
	assert_true(json_array_size(pieces) > 100);
	assert_true(in_en * 10 >= json_array_size(pieces) * 8);
	free(nl);
	free(en);
	json_decref(pieces);
	json_decref(fixtures);
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
		cmocka_unit_test(test_nl_coverage),
		cmocka_unit_test(test_nl_gaps),
		cmocka_unit_test(test_nl_statuses),
		cmocka_unit_test(test_nl_whatif_sites),
		cmocka_unit_test(test_nl_status),
		cmocka_unit_test(test_nl_resilience),
		cmocka_unit_test(test_nl_changes),
		cmocka_unit_test(test_nl_no_english_left),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
