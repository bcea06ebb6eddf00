/** The `format` of an archive root: names the layout, so a future one is never misread. */
export const ARCHIVE_FORMAT = 'lineage-transactions/1'
/**
 * Transaction links per page. A CID link is about 40 bytes in dag-cbor, so a page stays near
 * 160 KiB, well under the 1 MiB block limit, however many transactions an archive holds.
 */
export const ARCHIVE_PAGE_LINKS = 4096
/** Pages an archive root may list: 4,096 × 4,096 transactions, more than any node holds. */
export const MAX_ARCHIVE_PAGES = 4096
/** Slot heads per heads page (links, about 160 KiB a page, like a transaction page). */
export const HEADS_PAGE_LINKS = 4096
/**
 * Pins per pins page. An entry holds a link, a flag and a name of at most 256 characters, so
 * 1,024 entries stay under about 300 KiB.
 */
export const PINS_PAGE_ENTRIES = 1024
/** Deployed contracts an archive root may name (each is one Wasm module block in the CAR). */
export const MAX_ARCHIVE_CONTRACTS = 4096
