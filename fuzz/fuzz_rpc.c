/* Fuzz target: one request line through rpc_handle (parse, envelope, dispatch, the typed
 * params parsers, render) with no plan loaded and a privileged peer. Params are read before
 * the plan is needed, so every method's parser runs; a method whose params pass answers
 * "no plan yet", and recompute/reload find no admin callbacks ("not available here"). */
#include "fuzz/fuzz.h"

#include <stdlib.h>

#include "daemon/rpc/rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct rpc_admin none;   /* no callbacks: status reports defaults */
	struct rpc_ctx ctx = {.plan = NULL, .admin = &none, .privileged = 1};
	int is_error;

	free(rpc_handle(&ctx, (const char *)data, size, &is_error));
	return 0;
}
