/* hubctl: the hubplanner client. For now it reads the database directly (read-only) to
 * print its summary; the query subcommands talk to hubplannerd over its Unix socket.
 * Parses the command line and prints; the work is done by the libraries. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "import.h"
#include "store.h"

#define ERRLEN 8192

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hubctl [OPTIONS] COMMAND\n"
		"Client for hubplanner, the planner of emergency support points.\n"
		"\n"
		"Commands:\n"
		"  summary              print what the database holds (areas, residents,\n"
		"                       municipalities, safety regions, sites, last import)\n"
		"\n"
		"Options:\n"
		"  -c, --config FILE    configuration file (default %s if present)\n"
		"      --db PATH        database, overrides [store] database\n"
		"      --socket PATH    daemon socket, overrides [daemon] socket\n"
		"  -h, --help           show this help and exit\n"
		"  -V, --version        show the version and exit\n"
		"\n"
		"Exit status: 0 success, 1 the command failed, 2 bad command line,\n"
		"3 invalid configuration.\n",
		CLI_DEFAULT_CONFIG);
}

static int parse_args(int argc, char **argv, struct cli_common *o)
{
	enum { OPT_DB = 256, OPT_SOCKET };
	static const struct option opts[] = {
		{"config", required_argument, NULL, 'c'}, {"db", required_argument, NULL, OPT_DB},
		{"socket", required_argument, NULL, OPT_SOCKET}, {"help", no_argument, NULL, 'h'},
		{"version", no_argument, NULL, 'V'}, {NULL, 0, NULL, 0},
	};
	int c;
	while ((c = getopt_long(argc, argv, "c:hV", opts, NULL)) != -1) {
		switch (c) {
		case 'c': o->config_path = optarg; break;
		case OPT_DB: o->db = optarg; break;
		case OPT_SOCKET: o->socket = optarg; break;
		case 'h': usage(stdout); exit(EXIT_OK);
		case 'V': printf("hubctl %s\n", HUB_VERSION); exit(EXIT_OK);
		default: return -EINVAL;
		}
	}
	return optind;
}

static int cmd_summary(const struct config *cfg)
{
	struct store *st = NULL;
	struct store_summary sum;
	char err[ERRLEN];
	if (store_open(cfg->database, STORE_READONLY, &st, err, sizeof err) < 0 ||
	    store_summary(st, &sum, err, sizeof err) < 0) {
		fprintf(stderr, "hubctl summary: %s\n", err);
		store_close(st);
		return EXIT_FAILURE_RUN;
	}
	store_close(st);
	import_summary_print(&sum, stdout);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	struct cli_common o = {0};
	struct config cfg;
	char err[ERRLEN];
	int first = parse_args(argc, argv, &o);

	if (first < 0 || first >= argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (cli_load_config(&o, &cfg, err, sizeof err) < 0) {
		fprintf(stderr, "%s\n", err);
		return EXIT_CONFIG;
	}
	if (strcmp(argv[first], "summary") == 0 && first + 1 == argc)
		return cmd_summary(&cfg);
	fprintf(stderr, "hubctl: unknown command \"%s\" (see --help)\n", argv[first]);
	return EXIT_USAGE;
}
