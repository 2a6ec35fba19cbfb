/* Unit tests for the lists of config/: site kinds (plan.local_kinds, plan.regional_kinds)
 * and safety regions (plan.exact_regions): every malformed list is an error naming file,
 * line and key with why; valid lists are kept as written; a failed set leaves the old
 * value; the dump round trip keeps them.
 * Touches no files; needs no data. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"

#define ERR_MAX 4096
#define DUMP_MAX 65536

static int parse(struct config *cfg, const char *text, char *err)
{
	config_defaults(cfg);
	return config_parse_string(cfg, "k.conf", text, err, ERR_MAX);
}

struct err_case {
	const char *text;
	const char *err;
};

static void test_kinds_errors(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
		{ "[plan]\nlocal_kinds = school,,church\n",
		  "k.conf:2: local_kinds: an empty item in the list" },
		{ "[plan]\nregional_kinds = ,fire_station\n",
		  "k.conf:2: regional_kinds: an empty item in the list" },
		{ "[plan]\n\nlocal_kinds = school,\n",
		  "k.conf:3: local_kinds: an empty item at the end of the list" },
		{ "[plan]\nlocal_kinds = School\n",
		  "k.conf:2: local_kinds: \"School\" is not a site kind (lower-case letters, digits "
		  "and _, optionally /subkind)" },
		{ "[plan]\nregional_kinds = fire_station/Beroeps\n",
		  "k.conf:2: regional_kinds: \"fire_station/Beroeps\" is not a site kind "
		  "(lower-case letters, digits and _, optionally /subkind)" },
		{ "[plan]\nlocal_kinds = school, church\n",
		  "k.conf:2: local_kinds: \" church\" is not a site kind (lower-case letters, digits "
		  "and _, optionally /subkind)" },
		{ "[plan]\nlocal_kinds = town hall\n",
		  "k.conf:2: local_kinds: \"town hall\" is not a site kind (lower-case letters, "
		  "digits and _, optionally /subkind)" },
		{ "[plan]\nregional_kinds = /vrijwillig\n",
		  "k.conf:2: regional_kinds: \"/vrijwillig\" is not a site kind (lower-case "
		  "letters, digits and _, optionally /subkind)" },
		{ "[plan]\nregional_kinds = school,fire_station/\n",
		  "k.conf:2: regional_kinds: \"fire_station/\" is not a site kind (lower-case "
		  "letters, digits and _, optionally /subkind)" },
		{ "[plan]\nregional_kinds = a/b/c\n",
		  "k.conf:2: regional_kinds: \"a/b/c\" is not a site kind (lower-case letters, "
		  "digits and _, optionally /subkind)" },
		{ "[plan]\nlocal_kinds = school;church\n",
		  "k.conf:2: local_kinds: \"school;church\" is not a site kind (lower-case "
		  "letters, digits and _, optionally /subkind)" },
		{ "[plan]\nlocal_kinds = school-x\n",
		  "k.conf:2: local_kinds: \"school-x\" is not a site kind (lower-case letters, "
		  "digits and _, optionally /subkind)" },
		{ "[plan]\nlocal_kinds =\n", "k.conf:2: local_kinds: missing value" },
		{ "[plan]\nlocal_kinds = a\nlocal_kinds = b\n",
		  "k.conf:3: local_kinds: set twice (first on line 2)" },
		{ "[backup]\nlocal_kinds = school\n",
		  "k.conf:2: unknown key \"local_kinds\" in section [backup]" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config c;
		char err[ERR_MAX];
		print_message("case %zu\n", i);
		assert_int_equal(parse(&c, cases[i].text, err), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
}

/* 127 bytes fit the 128-byte field, 128 do not (both lines stay under the line limit). */
static void test_kinds_length(void **state)
{
	(void)state;
	char value[160], text[256], err[ERR_MAX];
	struct config c;
	memset(value, 'a', sizeof value);
	value[127] = '\0';
	snprintf(text, sizeof text, "[plan]\nlocal_kinds = %s\n", value);
	assert_int_equal(parse(&c, text, err), 0);
	assert_string_equal(c.local_kinds, value);
	value[127] = 'a';
	value[128] = '\0';
	snprintf(text, sizeof text, "[plan]\nlocal_kinds = %s\n", value);
	assert_int_equal(parse(&c, text, err), -EINVAL);
	assert_string_equal(err, "k.conf:2: local_kinds: is 128 bytes, the limit is 127");
	/* config_set: the same limit, named section.key, and the old value stays. */
	config_defaults(&c);
	assert_int_equal(config_set(&c, "plan", "regional_kinds", value, err, sizeof err),
			 -EINVAL);
	assert_string_equal(err, "plan.regional_kinds: is 128 bytes, the limit is 127");
	assert_string_equal(c.regional_kinds, "fire_station/vrijwillig,fire_station/beroeps");
	assert_int_equal(config_set(&c, "plan", "regional_kinds", "x,", err, sizeof err), -EINVAL);
	assert_string_equal(err, "plan.regional_kinds: an empty item at the end of the list");
	assert_string_equal(c.regional_kinds, "fire_station/vrijwillig,fire_station/beroeps");
}

static void test_kinds_valid(void **state)
{
	(void)state;
	static const char *const good[] = {
		"school",
		"fire_station/vrijwillig",
		"school,town_hall,care/vvt,fire_station/beroeps",
		"a",
		"a/b",
		"k9,kind_2/sub_3",
	};
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		struct config c;
		char text[256], err[ERR_MAX];
		print_message("case %zu\n", i);
		snprintf(text, sizeof text, "[plan]\nlocal_kinds = %s\nregional_kinds = %s\n",
			 good[i], good[i]);
		assert_int_equal(parse(&c, text, err), 0);
		assert_string_equal(c.local_kinds, good[i]);
		assert_string_equal(c.regional_kinds, good[i]);
	}
	/* inih trims around the value; the list itself is kept as written. */
	struct config c;
	char err[ERR_MAX];
	assert_int_equal(parse(&c, "[plan]\nlocal_kinds =   school,church   \n", err), 0);
	assert_string_equal(c.local_kinds, "school,church");
}

static void test_kinds_defaults(void **state)
{
	(void)state;
	struct config c;
	config_defaults(&c);
	assert_string_equal(c.local_kinds, "school,town_hall,community_centre,church,other");
	assert_string_equal(c.regional_kinds, "fire_station/vrijwillig,fire_station/beroeps");
}

static void test_kinds_dump_round_trip(void **state)
{
	(void)state;
	struct config a, b;
	char err[ERR_MAX];
	char *buf = malloc(DUMP_MAX);
	assert_non_null(buf);
	config_defaults(&a);
	assert_int_equal(config_set(&a, "plan", "local_kinds", "care/vvt,school", err, sizeof err),
			 0);
	assert_int_equal(config_set(&a, "plan", "regional_kinds", "school", err, sizeof err), 0);
	int n = config_dump(&a, buf, DUMP_MAX);
	assert_true(n > 0);
	assert_non_null(strstr(buf, "\nlocal_kinds = care/vvt,school\n"));
	assert_non_null(strstr(buf, "\nregional_kinds = school\n"));
	config_defaults(&b);
	assert_int_equal(config_parse_string(&b, "dump", buf, err, sizeof err), 0);
	assert_string_equal(b.local_kinds, "care/vvt,school");
	assert_string_equal(b.regional_kinds, "school");
	/* and the defaults back on top of those */
	config_defaults(&a);
	assert_true(config_dump(&a, buf, DUMP_MAX) > 0);
	assert_int_equal(config_parse_string(&b, "dump", buf, err, sizeof err), 0);
	assert_string_equal(b.local_kinds, a.local_kinds);
	assert_string_equal(b.regional_kinds, a.regional_kinds);
	free(buf);
}

/* exact_regions: empty, all, or VRnn codes; anything else names the item. */
static void test_regions_lists(void **state)
{
	(void)state;
	static const struct err_case cases[] = {
		{ "[plan]\nexact_regions = VR1\n", "k.conf:2: exact_regions: \"VR1\" is not a safety "
		  "region code (VR and two digits, like VR17) nor \"all\"" },
		{ "[plan]\nexact_regions = vr17\n", "k.conf:2: exact_regions: \"vr17\" is not a "
		  "safety region code (VR and two digits, like VR17) nor \"all\"" },
		{ "[plan]\nexact_regions = all,VR17\n", "k.conf:2: exact_regions: \"all\" is not a "
		  "safety region code (VR and two digits, like VR17) nor \"all\"" },
		{ "[plan]\nexact_regions = VR17,,VR01\n", "k.conf:2: exact_regions: \"\" is not a "
		  "safety region code (VR and two digits, like VR17) nor \"all\"" },
		{ "[plan]\nexact_regions = VR17,VR01,VR17\n",
		  "k.conf:2: exact_regions: VR17 is listed twice" },
		{ "[plan]\nexact_regions = VR17,\n",
		  "k.conf:2: exact_regions: an empty item at the end of the list" },
		{ "[plan]\nexact_time_limit_s = 0\n",
		  "k.conf:2: exact_time_limit_s: 0 is out of range 1..3600" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct config c;
		char err[ERR_MAX];
		print_message("case %zu\n", i);
		assert_int_equal(parse(&c, cases[i].text, err), -EINVAL);
		assert_string_equal(err, cases[i].err);
	}
	static const char *const good[] = {"", "all", "VR17", "VR01,VR25,VR17"};
	char *buf = malloc(DUMP_MAX);
	assert_non_null(buf);
	for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
		struct config c, d;
		char text[256], err[ERR_MAX];
		snprintf(text, sizeof text, "[plan]\nexact_regions = %s\n", good[i]);
		assert_int_equal(parse(&c, text, err), 0);
		assert_string_equal(c.exact_regions, good[i]);
		assert_true(config_dump(&c, buf, DUMP_MAX) > 0);
		config_defaults(&d);
		assert_int_equal(config_parse_string(&d, "dump", buf, err, sizeof err), 0);
		assert_string_equal(d.exact_regions, good[i]);
	}
	free(buf);
	struct config c;
	config_defaults(&c);
	assert_string_equal(c.exact_regions, "");
	assert_int_equal(c.exact_time_limit_s, 60);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_regions_lists),
		cmocka_unit_test(test_kinds_errors),
		cmocka_unit_test(test_kinds_length),
		cmocka_unit_test(test_kinds_valid),
		cmocka_unit_test(test_kinds_defaults),
		cmocka_unit_test(test_kinds_dump_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
