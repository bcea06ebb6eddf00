/**
 * The collection browser: a token's card (name, description, image, traits from its document),
 * written by the engine's validator in the transaction that writes its slots (CardWriter), and
 * read as numbered pages with a full-text search (FTS5), trait filters with counts and sorts.
 * Also what the creator keeps locally about a collection (its display name and image) and the
 * IPFS gateway images may come from when the creator allows it (off by default).
 *
 * @example
 * ```ts
 * const browser = createBrowser({ db: store.db, keys: lineage })
 * browser.browse({ chain_id: '1', token_address: '0xbc4c…' }, { text: 'gold dragon', traits: [{ trait_type: 'Fur', value: 'Red' }], sort: 'name', page: 2 })
 * // { items: [{ token_id, name, image, traits, … }], total: 130, page: 2, pages: 3, facets: [{ trait_type: 'Fur', values: [{ value: 'Red', count: 130 }, …] }] }
 * ```
 */
export { createBrowser } from './browse.js'
export type { BrowseItem, BrowsePage, BrowseQuery, Browser, BrowserInit, Facet, FacetValue } from './browse.js'
export { CardWriter } from './cards.js'
export { cardOf, mergeDocument, traitsOf } from './document.js'
export type { Card, DocumentSlot, Trait } from './document.js'
export { createCollectionProfiles } from './profiles.js'
export type { CollectionProfile, CollectionProfiles } from './profiles.js'
export { gatewayOrigin, IMAGE_GATEWAY_SETTING, imageGateway, setImageGateway } from './image-gateway.js'
export { BROWSE_SORTS, ftsQuery, groupFilters, matchIds, searchWords } from './query.js'
export type { BrowseSort, TraitFilter } from './query.js'
export * from './constants.js'
export * from './errors.js'
