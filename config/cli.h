/* Command-line handling shared by hubplannerd and hubctl: the common options (-c FILE,
 * --db PATH, --socket PATH), loading the configuration with those overrides, and exit
 * codes. Prints nothing itself. */
#ifndef HUB_CLI_H
#define HUB_CLI_H

#include <stddef.h>

#include "config/config.h"

/* Exit codes of both programs (documented in --help and the manuals). */
enum {
	EXIT_OK = 0,
	EXIT_FAILURE_RUN = 1,         /* the command ran and failed (bad input, I/O) */
	EXIT_USAGE = 2,               /* bad command line */
	EXIT_CONFIG = 3,              /* the configuration file is invalid */
};

#define CLI_DEFAULT_CONFIG "/etc/hubplanner/hubplanner.conf"

struct cli_common {
	const char *config_path;      /* -c FILE; NULL = CLI_DEFAULT_CONFIG if it exists */
	const char *db;               /* --db PATH overrides [store] database */
	const char *socket;           /* --socket PATH overrides [daemon] socket */
};

/* Loads defaults, then the config file, then the overrides into cfg. An explicit -c file
 * that is missing is an error; the default file may be absent. 0 or negative errno
 * with every error in err. */
int cli_load_config(const struct cli_common *o, struct config *cfg, char *err, size_t errlen);

#endif
