/**
 * How long a request that needs the whole node waits while it starts before it is told the node
 * is still starting: less than the CLI's own call timeout (30 s), so the CLI shows this answer.
 */
export const START_WAIT_MS = 20_000
/** After a failed start, how long answers to waiting callers may take before their sockets are cut. */
export const FAILED_ANSWER_GRACE_MS = 1_000
