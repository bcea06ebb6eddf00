/** Wall-clock budget of one contract call; a contract that needs longer is looping or hostile. */
export const CONTRACT_CALL_TIMEOUT_MS = 2_000
/** Budget for loading a module (instantiation runs its start function). */
export const CONTRACT_LOAD_TIMEOUT_MS = 10_000
/** Largest linear memory a contract may grow to: 512 pages of 64 KiB = 32 MiB. */
export const CONTRACT_MAX_MEMORY_PAGES = 512
/** Largest contract module accepted. */
export const CONTRACT_MAX_WASM_BYTES = 4 * 1024 * 1024
/**
 * Largest answer of one contract call, as JSON text in UTF-8 bytes: room for many full-size
 * writes (a transaction's data is at most 64 KiB), which the engine then checks one by one. It
 * bounds what the sandbox worker parses and what crosses to the node's main thread.
 */
export const CONTRACT_MAX_RESULT_BYTES = 1024 * 1024
/**
 * Sandbox worker threads. A contract runs in at most one at a time, so a contract burning its
 * budget holds one while the others serve every other contract. Two suit a 2-core laptop (the
 * node's main thread shares the cores); each holds marine-js and the contracts it ran.
 */
export const SANDBOX_WORKERS = 2
/**
 * Most calls of one contract sent to a worker in one round trip (one turn), when many wait. A
 * turn also ends once its calls have run for one call budget (the rest wait for the next turn),
 * so a contract's turn holds a worker for at most about two budgets.
 */
export const SANDBOX_TURN_CALLS = 256
/**
 * Calls from other peers (Fluence) to one deployed contract that may wait for it at once; more are
 * refused at once (ContractCallsBusyError). Peers sign nothing the node keeps, and each call may
 * cost the contract's whole budget; the particle rate limit bounds how many arrive.
 */
export const REMOTE_CALLS_WAITING_PER_CONTRACT = 2
/** JS heap of one sandbox worker (marine-js itself runs there). */
export const SANDBOX_WORKER_HEAP_MB = 128
/** Wasm pages are 64 KiB. */
export const WASM_PAGE_BYTES = 65_536
/**
 * Contract functions the sandbox worker calls straight through WebAssembly when the contract's
 * interface is the SDK's (direct-plan.ts): the ones called for every write and every mint, where
 * marine-js's conversion of each string and record cost as much as the contract's own work.
 */
export const DIRECT_CALL_FUNCTIONS = ['on_execute', 'on_mint'] as const
/** Most types one direct-path function may involve; a deeper or wider interface goes through marine-js. */
export const DIRECT_PLAN_MAX_NODES = 256
