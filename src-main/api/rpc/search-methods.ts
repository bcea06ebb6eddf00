import type { Search } from '../../lineage/search/index.js'
import { MAX_COMPLETE_PAGE, MAX_CONDITIONS, MAX_OFFSET, MAX_ORDERINGS, MAX_PAGE, MAX_VALUE_LENGTH, OPERATORS, SLOT_COLUMNS, SORT_ORDERS, TRANSACTION_COLUMNS } from '../../lineage/search/index.js'
import type { CompleteTransactionsPage, SearchFilter } from '../../lineage/search/index.js'
import { MAX_TIMESTAMP_MS } from '../../lineage/signing/index.js'
import { InvalidParamsError } from '../errors.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface SearchMethodsComponents {
  search: Search
}

/** The filter's schema for one table: only its listed columns, the listed operators and sorts. */
function filterSchema (columns: Readonly<Record<string, unknown>>): object {
  const column = { type: 'string', enum: Object.keys(columns) }
  return {
    type: 'object',
    additionalProperties: false,
    properties: {
      query: {
        type: 'array',
        maxItems: MAX_CONDITIONS,
        items: {
          type: 'object',
          additionalProperties: false,
          required: ['column', 'op', 'query'],
          properties: {
            column,
            op: { type: 'string', enum: Object.keys(OPERATORS) },
            query: { anyOf: [{ type: 'string', maxLength: MAX_VALUE_LENGTH }, { type: 'number' }] },
          },
        },
      },
      ordering: {
        type: 'array',
        maxItems: MAX_ORDERINGS,
        items: { type: 'object', additionalProperties: false, required: ['column', 'sort'], properties: { column, sort: { type: 'string', enum: Object.keys(SORT_ORDERS) } } },
      },
      from: { type: 'integer', minimum: 0, maximum: MAX_OFFSET },
      to: { type: 'integer', minimum: 1, maximum: MAX_PAGE },
    },
  }
}

const transactionFilter = { name: 'filter', schema: filterSchema(TRANSACTION_COLUMNS), optional: true }
const slotFilter = { name: 'filter', schema: filterSchema(SLOT_COLUMNS), optional: true }
const filterOf = (p: Record<string, unknown>): SearchFilter => (p.filter ?? {}) as SearchFilter
const timestamp = (name: string): { name: string, schema: object } => ({ name, schema: { type: 'integer', minimum: 0, maximum: MAX_TIMESTAMP_MS } })
const completePage = {
  name: 'options',
  optional: true,
  schema: {
    type: 'object',
    additionalProperties: false,
    properties: {
      after: { type: 'string', pattern: '^[0-9a-f]{64}$' },
      limit: { type: 'integer', minimum: 1, maximum: MAX_COMPLETE_PAGE },
    },
  },
}

/** The original's search methods, over whitelisted columns and parameterised SQL. */
export function searchMethods ({ search }: SearchMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'get_transactions',
      description: 'Transactions matching { query: [{column, op, query}], ordering: [{column, sort}], from, to }; token_id, chain_id and timestamp compare as numbers.',
      params: [transactionFilter],
      handler: p => search.transactions(filterOf(p)),
    }),
    defineMethod({
      name: 'get_complete_transactions',
      description: 'Applied transactions signed between from_ts and to_ts (ms; to_ts 0 is now), oldest first, a page at a time: { after: the last hash of the previous page, limit }.',
      params: [timestamp('from_ts'), timestamp('to_ts'), completePage],
      handler: p => {
        const from = p.from_ts as number
        const to = p.to_ts === 0 ? Date.now() : p.to_ts as number
        if (p.to_ts !== 0 && to < from) throw new InvalidParamsError(`to_ts (${to}) is before from_ts (${from}); 0 means now`, 'to_ts')
        return search.completeTransactions(from, to, (p.options ?? {}) as CompleteTransactionsPage)
      },
    }),
    defineMethod({
      name: 'get_pending_transactions',
      description: 'Transactions accepted but not yet applied, oldest first.',
      params: [],
      handler: () => search.pendingTransactions(MAX_PAGE),
    }),
    defineMethod({
      name: 'search_metadatas',
      description: 'Slots matching { query, ordering, from, to } (without content; read one with get_metadata); token_id, loose and updated_at compare as numbers.',
      params: [slotFilter],
      handler: p => search.slots(filterOf(p)),
    }),
    defineMethod({
      name: 'search_metadatas_count',
      description: 'How many slots match the filter\'s query.',
      params: [slotFilter],
      handler: p => search.slotCount(filterOf(p)),
    }),
  ] as RpcMethod[]
}
