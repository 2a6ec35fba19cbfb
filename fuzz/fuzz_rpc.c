/* Fuzz target: one request line through rpc_handle (parse, envelope, dispatch, render)
 * with no plan loaded and an unprivileged peer, so recompute/reload are refused and the
 * plan methods answer "no plan yet". status reads a zeroed daemon state. */
#include "fuzz.h"

#include <stdlib.h>

#include "daemon.h"
#include "rpc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct daemon_state d;   /* zeroed: no server, never recomputed */
	struct rpc_ctx ctx = {.plan = NULL, .daemon = &d, .privileged = 0};

	free(rpc_handle(&ctx, (const char *)data, size));
	return 0;
}
