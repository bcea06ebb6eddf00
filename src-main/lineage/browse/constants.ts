/** Tokens a browse page holds when the caller does not say. */
export const DEFAULT_BROWSE_PAGE = 48
/** Most tokens one browse page may hold. */
export const MAX_BROWSE_PAGE = 200
/**
 * Deepest page a browse may ask for, in tokens skipped: pages are numbered (page N of M), so a
 * page is an OFFSET into one index range; 1,000,000 covers the largest collection measured.
 */
export const MAX_BROWSE_OFFSET = 1_000_000
/** Longest search text: a few words of a name or a description. */
export const MAX_SEARCH_TEXT = 200
/** Most words a search may hold; every word must match (as a prefix) a word of the name or the description. */
export const MAX_SEARCH_WORDS = 12
/** Most trait values one browse may filter by, over all trait types. */
export const MAX_TRAIT_FILTERS = 32
/** Traits of a token's document that are indexed (and filterable); the rest are not. */
export const MAX_CARD_TRAITS = 32
/**
 * Longest trait type or value indexed, in characters: traits are short labels; a longer one is
 * left out of the filters (it stays in the document).
 */
export const MAX_TRAIT_TEXT = 120
/** Characters of a description that are searchable and shown: a page of text. */
export const MAX_CARD_DESCRIPTION = 4000
/** Characters of a name kept on a card. */
export const MAX_CARD_NAME = 400
/** Longest image address kept on a card; a longer one (e.g. a large data: URL) is not shown. */
export const MAX_CARD_IMAGE = 2048
/** Values listed per trait type beside a list, most frequent first. */
export const MAX_FACET_VALUES = 50
/** Trait types listed beside a list, in name order. */
export const MAX_FACET_TYPES = 40
/** Characters of a description a browse page returns per token. */
export const BROWSE_DESCRIPTION_CHARS = 280
/** Longest display name of a collection. */
export const MAX_COLLECTION_NAME = 100
/**
 * Slots whose cards one transaction of the start-up rebuild writes: about 12 ms of work, so a
 * gateway read waits at most that long behind it while the index is built.
 */
export const REBUILD_BATCH = 50
/**
 * A search or filter matching at most this many tokens is sorted from its matches; above it, a
 * page walks the sort's index keeping the matches (dense matches fill a page early).
 */
export const SORT_MATCHES_UP_TO = 5000

/** Trait value ids a card writer keeps in memory (a collection has far fewer distinct values). */
export const MAX_CACHED_TRAIT_VALUES = 10_000

/**
 * Cards from which a collection's filtered and deep pages are read from its in-memory trait
 * index (lineage/browse/trait-index.ts); below it SQLite's plans take well under a millisecond.
 */
export const TRAIT_INDEX_FROM_CARDS = 2000
/** Tokens skipped from which an unfiltered page is read from the index (an OFFSET walks them all). */
export const DEEP_PAGE_OFFSET = 2000
/** A trait index unused this long is dropped: an idle node holds none. */
export const TRAIT_INDEX_IDLE_MS = 120_000
/** Bytes of trait indexes kept at most (about one 1,000,000-token collection's); the least recently used go first. */
export const TRAIT_INDEX_BYTES = 96 * 1024 * 1024
/**
 * A collection changed since its index was read is read again at most once every this many
 * times the last read took (one part in ten of the time while it changes fast, as during an
 * import); the SQL plans answer in between.
 */
export const TRAIT_INDEX_REBUILD_SPACING = 10
