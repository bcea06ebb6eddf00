/**
 * Rows an export reads per query from its snapshot while it streams: one page of an archive at a
 * time, so the export's memory stays flat however large the node.
 */
export const SNAPSHOT_PAGE_ROWS = 1024

/**
 * Transactions read per query while the export streams. Each row carries a whole signed request
 * (its data up to 64 KiB): few at a time, so they die young, before the garbage collector would
 * move them to the old generation, where they would pile up until a full collection.
 */
export const SNAPSHOT_TRANSACTION_ROWS = 128
