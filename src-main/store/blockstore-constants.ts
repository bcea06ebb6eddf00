/**
 * Rows `getAll` reads per query. Paging keeps the connection free between pages (an open
 * better-sqlite3 iterator blocks every other statement) and bounds memory: blocks are at most
 * a MiB, so a page holds at most 64 MiB and usually a few hundred KiB.
 */
export const BLOCK_PAGE_ROWS = 64
