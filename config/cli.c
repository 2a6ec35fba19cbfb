/* Loading the configuration for a command: defaults, then the file (-c or the default
 * path when present), then --db / --socket. The file is parsed into a scratch copy so a
 * broken file never leaves a half-updated configuration. */
#include "config/cli.h"

#include <errno.h>
#include <stdio.h>
#include <unistd.h>

int cli_load_config(const struct cli_common *o, struct config *cfg, char *err, size_t errlen)
{
	struct config scratch;
	const char *path = o->config_path;
	int rc = 0;

	config_defaults(&scratch);
	if (!path && access(CLI_DEFAULT_CONFIG, F_OK) == 0)
		path = CLI_DEFAULT_CONFIG;
	if (path && (rc = config_load(&scratch, path, err, errlen)) < 0)
		return rc;
	if (o->db && (rc = config_set(&scratch, "store", "database", o->db, err, errlen)) < 0)
		return rc;
	if (o->socket && (rc = config_set(&scratch, "daemon", "socket", o->socket, err, errlen)) < 0)
		return rc;
	*cfg = scratch;
	return 0;
}
