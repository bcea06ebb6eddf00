/**
 * Rows an export reads per query from its snapshot while it streams: one page of an archive at a
 * time, so the export's memory stays flat however large the node.
 */
export const SNAPSHOT_PAGE_ROWS = 1024
