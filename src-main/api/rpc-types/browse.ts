/**
 * Params and results of the collection browser: browse_tokens, collection profiles and the image
 * gateway setting. Types only, like ../rpc-types.ts, which re-exports them.
 */

export type BrowseSortName = 'token_id' | 'token_id_desc' | 'name' | 'name_desc' | 'updated'

export interface BrowseQueryParam {
  /** Words that must each begin a word of the name or the description (case and accents aside). */
  text?: string
  /** Values of one trait type are alternatives; different types must all match. */
  traits?: Array<{ trait_type: string, value: string }>
  sort?: BrowseSortName
  /** 1 is the first page. */
  page?: number
  page_size?: number
  /** Counts per trait value beside the page (default true). */
  facets?: boolean
}

export interface BrowseItemInfo {
  token_id: string
  data_key: string
  name: string
  description: string
  image: string
  traits: Array<{ trait_type: string, value: string }>
  updated_at: number
}

export interface FacetInfo {
  trait_type: string
  values: Array<{ value: string, count: number }>
  /** Values left off the list. */
  more: number
}

export interface BrowsePageInfo {
  token_key: string
  meta_contract_id: string | null
  items: BrowseItemInfo[]
  total: number
  page: number
  pages: number
  page_size: number
  sort: BrowseSortName
  facets: FacetInfo[]
}

// Repeats lineage/browse/profiles.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
export interface CollectionProfileInfo {
  token_key: string
  chain_id: string
  token_address: string
  name: string
  image: string
  updated_at: number
}

export interface ImageGatewayInfo {
  /** The gateway's origin, or null: images this node does not hold are not loaded (the default). */
  gateway: string | null
}
