import type { Browser, BrowseQuery, CollectionProfiles } from '../../lineage/browse/index.js'
import { BROWSE_SORTS, MAX_BROWSE_PAGE, MAX_COLLECTION_NAME, MAX_SEARCH_TEXT, MAX_TRAIT_FILTERS, MAX_TRAIT_TEXT } from '../../lineage/browse/index.js'
import { ADDRESS_PATTERN, CHAIN_ID_PATTERN } from '../../lineage/signing/index.js'
import { InvalidParamsError } from '../errors.js'
import type { CollectionRefParam } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod, RpcParam } from './method.js'

export interface BrowseMethodsComponents {
  browse: {
    browser: Browser
    profiles: CollectionProfiles
    /** The IPFS gateway the creator allowed images from (an origin), or null: off. */
    imageGateway(): string | null
    /** Sets it (null turns it off); answers the origin kept. Throws ImageGatewayError. */
    setImageGateway(gateway: string | null): string | null
  }
}

const collectionParam: RpcParam = {
  name: 'collection',
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      token_key: { type: 'string', minLength: 1, maxLength: 128 },
      chain_id: { type: 'string', pattern: CHAIN_ID_PATTERN.source },
      token_address: { type: 'string', pattern: ADDRESS_PATTERN.source },
    },
  },
}
const traitText = { type: 'string', maxLength: MAX_TRAIT_TEXT }
const queryParam: RpcParam = {
  name: 'query',
  optional: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      text: { type: 'string', maxLength: MAX_SEARCH_TEXT },
      traits: {
        type: 'array',
        maxItems: MAX_TRAIT_FILTERS,
        items: { type: 'object', additionalProperties: false, required: ['trait_type', 'value'], properties: { trait_type: traitText, value: { ...traitText, minLength: 1 } } },
      },
      sort: { type: 'string', enum: [...BROWSE_SORTS] },
      page: { type: 'integer', minimum: 1 },
      page_size: { type: 'integer', minimum: 1, maximum: MAX_BROWSE_PAGE },
      facets: { type: 'boolean' },
    },
  },
}

/** A collection by token_key alone, or by chain_id and token_address together. */
function collectionRef (p: CollectionRefParam): { token_key: string } | { chain_id: string, token_address: string } {
  const { token_key: tokenKey, chain_id: chain, token_address: address } = p
  if (tokenKey !== undefined && chain === undefined && address === undefined) return { token_key: tokenKey }
  if (tokenKey === undefined && chain !== undefined && address !== undefined) return { chain_id: chain, token_address: address }
  throw new InvalidParamsError('collection must name token_key alone, or chain_id and token_address together', 'collection')
}

/** The collection browser (lineage/browse): search, trait filters with counts, sorts, numbered pages; and what the creator keeps locally about collections and images. */
export function browseMethods ({ browse }: BrowseMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'browse_tokens',
      description: 'A numbered page of a collection\'s tokens with name, image and traits: { text (words of the name or description), traits: [{trait_type, value}], sort, page, page_size, facets }; answers the total, pages, and per trait value how many tokens match.',
      params: [collectionParam, queryParam],
      handler: p => browse.browser.browse(collectionRef(p.collection as CollectionRefParam), (p.query ?? {}) as BrowseQuery),
    }),
    defineMethod({
      name: 'collection_profiles',
      description: 'The display names and images the creator gave collections on this node (kept locally, never published).',
      params: [],
      requiresToken: true,
      handler: () => browse.profiles.list(),
    }),
    defineMethod({
      name: 'set_collection_profile',
      description: 'Sets a bound collection\'s display name and image (ipfs:// or https://) on this node; both empty removes them.',
      params: [collectionParam, {
        name: 'profile',
        schema: { type: 'object', additionalProperties: false, required: ['name', 'image'], properties: { name: { type: 'string', maxLength: MAX_COLLECTION_NAME + 20 }, image: { type: 'string', maxLength: 2048 } } },
      }],
      requiresToken: true,
      handler: p => browse.profiles.set(collectionRef(p.collection as CollectionRefParam), p.profile as { name: string, image: string }),
    }),
    defineMethod({
      name: 'get_image_gateway',
      description: 'The IPFS gateway images this node does not hold may be loaded from, or null (the default: they are not loaded).',
      params: [],
      requiresToken: true,
      handler: () => ({ gateway: browse.imageGateway() }),
    }),
    defineMethod({
      name: 'set_image_gateway',
      description: 'Allows images this node does not hold to load from an IPFS gateway (its https:// origin), or with null stops it. The UI\'s Content Security Policy allows that origin only while it is set.',
      params: [{ name: 'gateway', schema: { anyOf: [{ type: 'string', maxLength: 300 }, { type: 'null' }] } }],
      requiresToken: true,
      handler: p => ({ gateway: browse.setImageGateway(p.gateway as string | null) }),
    }),
  ] as RpcMethod[]
}
