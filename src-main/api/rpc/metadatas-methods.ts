import type { Lineage } from '../../lineage/engine/index.js'
import type { Search, SearchCondition, SearchFilter, SearchOrdering, SlotSummary } from '../../lineage/search/index.js'
import { MAX_OFFSET, MAX_SLOT_CONTENT_PAGE } from '../../lineage/search/index.js'
import type { SlotInfo } from '../rpc-types.js'
import { InvalidParamsError } from '../errors.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface MetadatasMethodsComponents {
  lineage: Lineage
  search: Search
}

const key = (name: string): { name: string, schema: object } => ({ name, schema: { type: 'string', minLength: 1, maxLength: 128 } })
const text = (name: string): { name: string, schema: object } => ({ name, schema: { type: 'string', maxLength: 128 } })
/** The original answered every slot at once; ours a page: offset `from`, count `to`, as search filters page. */
const page = {
  name: 'page',
  optional: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      from: { type: 'integer', minimum: 0, maximum: MAX_OFFSET },
      to: { type: 'integer', minimum: 1, maximum: MAX_SLOT_CONTENT_PAGE },
    },
  },
}

/** A token id as the original took it: decimal digits (uint256 is at most 78 of them). */
const tokenId = { name: 'token_id', schema: { type: 'string', pattern: '^[0-9]{1,78}$' } }

const equal = (column: string, value: unknown): SearchCondition => ({ column, op: '=', query: value as string })
const ascending = (...columns: string[]): SearchOrdering[] => columns.map(column => ({ column, sort: 'asc' }))

/**
 * The original's remaining slot reads: a token's slots by version, by contract, by collection key
 * and token id, or all of them; each slot with its content, a page at a time.
 */
export function metadatasMethods ({ lineage, search }: MetadatasMethodsComponents): RpcMethod[] {
  const slotsWithContent = (p: Record<string, unknown>, query: SearchCondition[], ordering: SearchOrdering[]): SlotInfo[] => {
    const { from = 0, to = MAX_SLOT_CONTENT_PAGE } = (p.page ?? {}) as { from?: number, to?: number }
    const filter: SearchFilter = { query, ordering, from, to }
    return search.slots(filter).map((slot: SlotSummary) => ({ ...slot, content: lineage.contentOf(slot.cid) }))
  }

  return [
    defineMethod({
      name: 'get_metadatas_count',
      description: 'How many slots a token has at one version (across contracts and writers).',
      params: [key('data_key'), text('version')],
      handler: p => search.slotCount({ query: [equal('data_key', p.data_key), equal('version', p.version)] }),
    }),
    defineMethod({
      name: 'get_metadatas_by_block',
      description: 'A token\'s slots under one meta contract at one version ("" for every version), with content.',
      params: [key('data_key'), key('meta_contract_id'), text('version'), page],
      handler: p => slotsWithContent(p, [
        equal('data_key', p.data_key),
        equal('meta_contract_id', p.meta_contract_id),
        ...(p.version === '' ? [] : [equal('version', p.version)]),
      ], ascending('public_key', 'alias', 'version')),
    }),
    defineMethod({
      name: 'get_metadatas_all_version',
      description: 'Every slot of a token: all contracts, writers, aliases and versions, with content.',
      params: [key('data_key'), page],
      handler: p => slotsWithContent(p, [equal('data_key', p.data_key)], ascending('meta_contract_id', 'public_key', 'alias', 'version')),
    }),
    defineMethod({
      name: 'get_metadatas_by_tokenkey',
      description: 'A token\'s slots at one version, by its collection\'s token_key and its token id, with content.',
      params: [key('token_key'), tokenId, text('version'), page],
      handler: p => {
        try {
          return slotsWithContent(p, [equal('token_key', p.token_key), equal('token_id', p.token_id), equal('version', p.version)], ascending('meta_contract_id', 'public_key', 'alias'))
        } catch (err) {
          // The search names its own condition; the caller gave the value as token_id (78 digits past 2^256 − 1, say).
          if ((err as Error).name === 'InvalidSearchValueError') throw new InvalidParamsError(`token_id is not a token id: ${(err as Error).message.replace(/^[^:]*: /, '')}`, 'token_id')
          throw err
        }
      },
    }),
  ] as RpcMethod[]
}
