/* Fuzz target: one request line through rpc_handle (parse, envelope, dispatch, render)
 * with no plan loaded and an unprivileged peer, so recompute/reload are refused and the
 * plan methods answer "no plan yet". status reads a zeroed daemon status. */
#include "fuzz/fuzz.h"

#include <stdlib.h>

#include "daemon/rpc/rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct rpc_admin none;   /* no callbacks: status reports defaults */
	struct rpc_ctx ctx = {.plan = NULL, .admin = &none, .privileged = 0};
	int is_error;

	free(rpc_handle(&ctx, (const char *)data, size, &is_error));
	return 0;
}
