/** Wall-clock budget of one contract call; a contract that needs longer is looping or hostile. */
export const CONTRACT_CALL_TIMEOUT_MS = 2_000
/** Budget for loading a module (instantiation runs its start function). */
export const CONTRACT_LOAD_TIMEOUT_MS = 10_000
/** Largest linear memory a contract may grow to: 512 pages of 64 KiB = 32 MiB. */
export const CONTRACT_MAX_MEMORY_PAGES = 512
/** Largest contract module accepted. */
export const CONTRACT_MAX_WASM_BYTES = 4 * 1024 * 1024
/** JS heap of the sandbox worker (marine-js itself runs there). */
export const SANDBOX_WORKER_HEAP_MB = 128
/** Wasm pages are 64 KiB. */
export const WASM_PAGE_BYTES = 65_536
