/* hubplannerd: the hubplanner daemon's program. Offline subcommands run here: import of the
 * CBS/PDOK data, the database summary and the configuration check. It parses the command
 * line, loads the configuration and prints results; the work is done by the libraries. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/cli.h"
#include "config/config.h"
#include "daemon/daemon.h"
#include "daemon/log.h"
#include "data/store.h"
#include "jobs/hazard_import.h"
#include "jobs/import.h"
#include "jobs/import_status.h"
#include "jobs/plan_run.h"
#include "jobs/progress.h"
#include "jobs/solve.h"

#define ERRLEN 8192

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hubplannerd [OPTIONS] [COMMAND [ARGS]]\n"
		"Plans emergency support points (noodsteunpunten) for the Netherlands.\n"
		"Without a command: serve coverage queries on the Unix socket ([daemon] socket\n"
		"or --socket, or the socket systemd passes) until SIGTERM; SIGHUP reloads the\n"
		"configuration and the newest plan. Protocol: docs/protocol.md.\n"
		"\n"
		"Commands:\n"
		"  import [--mappings DIR] [--mapping FILE]... DIR|FILE...\n"
		"                       load CBS Wijk- en Buurtkaart and Vierkantstatistieken\n"
		"                       GeoPackages, safety regions (GeoPackage layer and\n"
		"                       membership CSV) and sites (GeoPackage, GeoJSON, CSV)\n"
		"                       as one transaction, then print a summary. Files in\n"
		"                       their publishers' layouts are read through mapping\n"
		"                       files (docs/mappings.md): those in --mappings DIR\n"
		"                       (default %s)\n"
		"                       and each --mapping FILE; one without `file` applies\n"
		"                       to the files named on the command line\n"
		"  summary              print what the database holds\n"
		"  statuses FILE        set site statuses (designated, rejected, released) from\n"
		"                       a CSV or GeoJSON file (docs/statuses.md), all or\n"
		"                       nothing; they take effect at the next plan\n"
		"  hazard-import [--layer L] [--where FIELD>=VALUE] NAME FILE\n"
		"                       store the polygons of FILE (GeoPackage layer L, or\n"
		"                       GeoJSON) as hazard layer NAME, replacing a layer of\n"
		"                       that name, all or nothing; --where keeps the features\n"
		"                       whose numeric FIELD passes (>=, >, <=, <, =). Every\n"
		"                       polygon must be valid and inside the Netherlands.\n"
		"                       Plans use layers through [plan] hazard_exclude\n"
		"                       (docs/hazards.md)\n"
		"  hazard-list          list the stored hazard layers\n"
		"  hazard-drop NAME     delete hazard layer NAME\n"
		"  plan [--fresh] [--scope CODES] [--exact-regions all|CODES]\n"
		"       [--export-instance FILE]\n"
		"                       compute the national plan (both levels, bounds, per-area\n"
		"                       results) and store it; a failed run keeps the old plan.\n"
		"                       Starts from the newest stored plan and changes a site\n"
		"                       only where that pays ([plan] change_cost); --fresh\n"
		"                       plans from scratch. Progress goes to stderr; the\n"
		"                       summary to stdout.\n"
		"                       --export-instance FILE also writes the local level's\n"
		"                       optimisation instance (docs/instance-format.md);\n"
		"                       --scope GM0599,VR17 replans only those municipalities\n"
		"                       and safety regions and keeps the rest of the national\n"
		"                       plan as it is; with --fresh, or without a national\n"
		"                       plan, plans only them;\n"
		"                       --exact-regions VR17,VR14 (or all) has CBC prove or\n"
		"                       tighten those safety regions' local bound within\n"
		"                       [plan] exact_time_limit_s each ([plan] exact_regions)\n"
		"  solve [--format auto|instance|points|cfl] [--p N | --target PCT]\n"
		"        [--radius M] [--capacity C] [--seed S] [--starts K]\n"
		"        [--time-limit S] [--no-aggregate] [--exact] [--json FILE]\n"
		"        INPUT [CANDIDATES]\n"
		"                       solve a coverage instance with the planner's solver\n"
		"                       and print the chosen sites, the covered weight, the\n"
		"                       bound and the gap (docs/solve.md). INPUT is a\n"
		"                       hubplanner-instance file (docs/instance-format.md),\n"
		"                       a demand CSV x,y,weight with a candidate CSV\n"
		"                       x,y[,fixed,capacity,cost,radius] (points), or a\n"
		"                       Cordeau-Furini-Ljubic file (cfl). --p N: maximal\n"
		"                       coverage with N sites (default: the instance's p);\n"
		"                       --target PCT: fewest sites covering PCT %% of the\n"
		"                       weight; --radius M: coverage radius for points\n"
		"                       without a radius column and for cfl; --capacity C:\n"
		"                       weight each site can serve; --seed S (default\n"
		"                       [plan] seed); --starts K: K seeds from S, the best\n"
		"                       kept (default 1); --time-limit S: search time\n"
		"                       (default [plan] search_time_s); points of identical\n"
		"                       coverage are merged first unless --no-aggregate (or\n"
		"                       capacities) is given: --no-aggregate with one start\n"
		"                       gives the plan's answer; --exact then solves the\n"
		"                       problem (--p or --target, capacities ignored)\n"
		"                       exactly with CBC, warm-started, within --time-limit\n"
		"                       (default 60 s), and says whether the optimum is\n"
		"                       proven, else the bound CBC proved; --json FILE also\n"
		"                       writes the report as JSON\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE    configuration file (default %s if present)\n"
		"      --db PATH        database, overrides [store] database\n"
		"      --socket PATH    socket, overrides [daemon] socket\n"
		"      --check-config   check the configuration, print \"configuration OK\" or\n"
		"                       the errors, and exit\n"
		"      --dump-config    print the effective configuration and exit\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"Exit status: 0 success, 1 the command failed (bad input, I/O; nothing stored\n"
		"is changed), 2 bad command line, 3 invalid configuration.\n",
		HUB_MAPPINGS_DIR, CLI_DEFAULT_CONFIG);
}

struct args {
	struct cli_common common;
	int check_config, dump_config;
	const char *export_path;      /* plan --export-instance FILE */
	const char *scope;            /* plan --scope CODES */
	int fresh;                    /* plan --fresh */
	const char *exact_regions;    /* plan --exact-regions CODES */
	const char *mappings_dir;     /* import --mappings DIR; NULL = HUB_MAPPINGS_DIR */
	const char *layer;            /* hazard-import --layer L */
	const char *where;            /* hazard-import --where FIELD>=VALUE */
	struct solve_options solve;   /* solve --format, --p, ... */
	const char *mapping_files[64]; /* import --mapping FILE... */
	size_t nmapping_files;
	int argc;                     /* remaining words: command and its arguments */
	char **argv;
};

static int parse_args(int argc, char **argv, struct args *a)
{
	enum { OPT_DB = 256, OPT_SOCKET, OPT_CHECK, OPT_DUMP, OPT_EXPORT, OPT_SCOPE, OPT_FRESH,
	       OPT_MAPPINGS, OPT_MAPPING, OPT_SOLVE, OPT_EXACT_REGIONS, OPT_LAYER, OPT_WHERE };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"db", required_argument, NULL, OPT_DB},
		{"socket", required_argument, NULL, OPT_SOCKET},
		{"check-config", no_argument, NULL, OPT_CHECK},
		{"dump-config", no_argument, NULL, OPT_DUMP}, {"help", no_argument, NULL, 'h'},
		{"export-instance", required_argument, NULL, OPT_EXPORT},
		{"scope", required_argument, NULL, OPT_SCOPE},
		{"fresh", no_argument, NULL, OPT_FRESH},
		{"exact-regions", required_argument, NULL, OPT_EXACT_REGIONS},
		{"mappings", required_argument, NULL, OPT_MAPPINGS},
		{"mapping", required_argument, NULL, OPT_MAPPING},
		{"layer", required_argument, NULL, OPT_LAYER},
		{"where", required_argument, NULL, OPT_WHERE},
		{"format", required_argument, NULL, OPT_SOLVE},
		{"p", required_argument, NULL, OPT_SOLVE},
		{"target", required_argument, NULL, OPT_SOLVE},
		{"radius", required_argument, NULL, OPT_SOLVE},
		{"capacity", required_argument, NULL, OPT_SOLVE},
		{"seed", required_argument, NULL, OPT_SOLVE},
		{"starts", required_argument, NULL, OPT_SOLVE},
		{"no-aggregate", no_argument, NULL, OPT_SOLVE},
		{"exact", no_argument, NULL, OPT_SOLVE},
		{"time-limit", required_argument, NULL, OPT_SOLVE},
		{"json", required_argument, NULL, OPT_SOLVE},
		{"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0},
	};
	char err[256];
	int c, at;
	while ((c = getopt_long(argc, argv, "c:hV", opts, &at)) != -1) {
		switch (c) {
		case 'c': a->common.config_path = optarg; break;
		case OPT_DB: a->common.db = optarg; break;
		case OPT_SOCKET: a->common.socket = optarg; break;
		case OPT_CHECK: a->check_config = 1; break;
		case OPT_DUMP: a->dump_config = 1; break;
		case OPT_EXPORT: a->export_path = optarg; break;
		case OPT_SCOPE: a->scope = optarg; break;
		case OPT_FRESH: a->fresh = 1; break;
		case OPT_EXACT_REGIONS: a->exact_regions = optarg; break;
		case OPT_MAPPINGS: a->mappings_dir = optarg; break;
		case OPT_LAYER: a->layer = optarg; break;
		case OPT_WHERE: a->where = optarg; break;
		case OPT_MAPPING:
			if (a->nmapping_files == sizeof a->mapping_files / sizeof a->mapping_files[0]) {
				fprintf(stderr, "hubplannerd: more than 64 --mapping files\n");
				return -EINVAL;
			}
			a->mapping_files[a->nmapping_files++] = optarg;
			break;
		case OPT_SOLVE:
			if (solve_option_set(&a->solve, opts[at].name, optarg, err, sizeof err) < 0) {
				fprintf(stderr, "hubplannerd: %s\n", err);
				return -EINVAL;
			}
			break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': printf("hubplannerd %s\n", HUB_VERSION); exit(EXIT_OK);
		default: return -EINVAL;
		}
	}
	a->argc = argc - optind;
	a->argv = argv + optind;
	return 0;
}

static int cmd_import(const struct config *cfg, const struct args *a, int argc, char **argv)
{
	struct import_report rep;
	struct import_options opt = {
		.grid_dir = cfg->proj_grid_dir,
		.mappings_dir = a->mappings_dir ? a->mappings_dir : HUB_MAPPINGS_DIR,
		.mappings_dir_optional = !a->mappings_dir,
		.mapping_files = a->mapping_files, .nmapping_files = a->nmapping_files,
	};
	struct store_summary sum;
	struct store *st = NULL;
	char err[ERRLEN];

	if (argc < 1) {
		fprintf(stderr, "hubplannerd import: name at least one folder or file\n");
		return EXIT_USAGE;
	}
	if (import_paths(cfg->database, (const char *const *)argv, (size_t)argc, &opt, &rep, err,
			 sizeof err) < 0) {
		fprintf(stderr, "hubplannerd import: %s\nhubplannerd import: nothing was changed "
			"in %s\n", err, cfg->database);
		return EXIT_FAILURE_RUN;
	}
	import_report_print(&rep, stdout);
	import_report_free(&rep);
	if (store_open(cfg->database, STORE_READONLY, &st, err, sizeof err) < 0 ||
	    store_summary(st, &sum, err, sizeof err) < 0) {
		fprintf(stderr, "hubplannerd import: %s\n", err);
		store_close(st);
		return EXIT_FAILURE_RUN;
	}
	store_close(st);
	import_summary_print(&sum, stdout);
	return EXIT_OK;
}

static int cmd_summary(const struct config *cfg)
{
	struct store *st = NULL;
	struct store_summary sum;
	char err[ERRLEN];
	if (store_open(cfg->database, STORE_READONLY, &st, err, sizeof err) < 0 ||
	    store_summary(st, &sum, err, sizeof err) < 0) {
		fprintf(stderr, "hubplannerd summary: %s\n", err);
		store_close(st);
		return EXIT_FAILURE_RUN;
	}
	store_close(st);
	import_summary_print(&sum, stdout);
	return EXIT_OK;
}

static int cmd_statuses(const struct config *cfg, int argc, char **argv)
{
	struct import_status_report rep;
	char err[ERRLEN];
	if (argc != 1) {
		fprintf(stderr, "hubplannerd statuses: name one CSV or GeoJSON file\n");
		return EXIT_USAGE;
	}
	if (import_status_file(cfg->database, argv[0], cfg->proj_grid_dir, &rep, err,
			       sizeof err) < 0) {
		fprintf(stderr, "hubplannerd statuses: %s\nhubplannerd statuses: no status was "
			"changed in %s\n", err, cfg->database);
		return EXIT_FAILURE_RUN;
	}
	import_status_report_print(&rep, argv[0], stdout);
	return EXIT_OK;
}

static int cmd_hazard_import(const struct config *cfg, const struct args *a, int argc,
			     char **argv)
{
	struct hazard_import_options opt = {a->layer, a->where, cfg->proj_grid_dir};
	struct hazard_import_report rep;
	char err[ERRLEN];
	if (argc != 2) {
		fprintf(stderr, "hubplannerd hazard-import: name the layer NAME and one FILE\n");
		return EXIT_USAGE;
	}
	if (hazard_import(cfg->database, argv[0], argv[1], &opt, &rep, err, sizeof err) < 0) {
		fprintf(stderr, "hubplannerd hazard-import: %s\nhubplannerd hazard-import: nothing "
			"was changed in %s\n", err, cfg->database);
		return EXIT_FAILURE_RUN;
	}
	hazard_import_report_print(&rep, argv[0], argv[1], &opt, stdout);
	return EXIT_OK;
}

/* hazard-list (argc 0) and hazard-drop NAME. */
static int cmd_hazard(const struct config *cfg, const char *cmd, int argc, char **argv)
{
	int drop = strcmp(cmd, "hazard-drop") == 0;
	char err[ERRLEN];
	if (argc != drop) {
		fprintf(stderr, "hubplannerd %s: %s\n", cmd, drop ? "name one hazard layer"
			: "takes no argument");
		return EXIT_USAGE;
	}
	int rc = drop ? hazard_drop(cfg->database, argv[0], err, sizeof err)
		      : hazard_list(cfg->database, stdout, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "hubplannerd %s: %s\n", cmd, err);
		return EXIT_FAILURE_RUN;
	}
	if (drop)
		printf("hazard %s dropped\n", argv[0]);
	return EXIT_OK;
}

static int cmd_plan(const struct config *cfg, int argc, char **argv, const struct args *a)
{
	struct plan_run_options opt = {a->export_path, a->scope, stdout, a->fresh,
				       a->exact_regions};
	struct plan_result result;
	struct plan_run_info info;
	struct progress pr;
	char err[ERRLEN];
	if (argc > 0) {
		fprintf(stderr, "hubplannerd plan: unexpected argument \"%s\"\n", argv[0]);
		return EXIT_USAGE;
	}
	progress_init(&pr, stderr);
	struct plan_progress cb = {progress_update, &pr};
	int rc = plan_run(cfg, &cb, &opt, &result, &info, err, sizeof err);
	progress_done(&pr);
	plan_result_free(&result);
	if (rc < 0) {
		fprintf(stderr, "hubplannerd plan: %s (the stored plans are unchanged)\n", err);
		return EXIT_FAILURE_RUN;
	}
	return EXIT_OK;
}

static int cmd_solve(const struct config *cfg, struct args *a, int argc, char **argv)
{
	struct solve_report rep;
	char err[ERRLEN];
	if (argc < 1 || argc > 2) {
		fprintf(stderr, "hubplannerd solve: name INPUT (and CANDIDATES for points)\n");
		return EXIT_USAGE;
	}
	a->solve.bound_iterations = cfg->bound_iterations;
	a->solve.default_seed = (uint32_t)cfg->seed;
	a->solve.default_time_limit_s = cfg->search_time_s;
	int rc = solve_run(&a->solve, argv[0], argc > 1 ? argv[1] : NULL, stdout, &rep, err,
			   sizeof err);
	solve_report_free(&rep);
	if (rc < 0) {
		fprintf(stderr, "hubplannerd solve: %s\n", err);
		return EXIT_FAILURE_RUN;
	}
	return EXIT_OK;
}

static int dump_config(const struct config *cfg)
{
	static char buf[1 << 16];
	int n = config_dump(cfg, buf, sizeof buf);
	if (n < 0)
		return EXIT_FAILURE_RUN;
	fwrite(buf, 1, (size_t)n, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct args a = {0};
	struct config cfg;
	char err[ERRLEN];

	if (parse_args(argc, argv, &a) < 0) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (cli_load_config(&a.common, &cfg, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_CONFIG;
	}
	if (a.check_config) {
		printf("configuration OK\n");
		return EXIT_OK;
	}
	if (a.dump_config)
		return dump_config(&cfg);
	if (a.argc < 1) {
		log_init(LOG_INFO);
		return daemon_run(&a.common, &cfg);
	}
	if (strcmp(a.argv[0], "import") == 0)
		return cmd_import(&cfg, &a, a.argc - 1, a.argv + 1);
	if (strcmp(a.argv[0], "summary") == 0 && a.argc == 1)
		return cmd_summary(&cfg);
	if (strcmp(a.argv[0], "statuses") == 0)
		return cmd_statuses(&cfg, a.argc - 1, a.argv + 1);
	if (strcmp(a.argv[0], "hazard-import") == 0)
		return cmd_hazard_import(&cfg, &a, a.argc - 1, a.argv + 1);
	if (strcmp(a.argv[0], "hazard-list") == 0 || strcmp(a.argv[0], "hazard-drop") == 0)
		return cmd_hazard(&cfg, a.argv[0], a.argc - 1, a.argv + 1);
	if (strcmp(a.argv[0], "plan") == 0)
		return cmd_plan(&cfg, a.argc - 1, a.argv + 1, &a);
	if (strcmp(a.argv[0], "solve") == 0)
		return cmd_solve(&cfg, &a, a.argc - 1, a.argv + 1);
	fprintf(stderr, "hubplannerd: unknown command \"%s\" (see --help)\n", a.argv[0]);
	return EXIT_USAGE;
}
