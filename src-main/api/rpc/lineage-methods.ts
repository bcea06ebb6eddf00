import type { Lineage, SlotWithContent } from '../../lineage/engine/index.js'
import { ADDRESS_PATTERN, CHAIN_ID_PATTERN } from '../../lineage/signing/index.js'
import { MAX_BATCH_SIZE } from '../constants.js'
import { toRpcError } from '../errors.js'
import type { PublishBatchItem, SlotInfo } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface LineageMethodsComponents {
  lineage: Lineage
}

const hash = { name: 'hash', schema: { type: 'string', pattern: '^[0-9a-f]{64}$' } }
const key = (name: string): { name: string, schema: object } => ({ name, schema: { type: 'string', minLength: 1, maxLength: 128 } })
const text = (name: string, maxLength = 128): { name: string, schema: object } => ({ name, schema: { type: 'string', maxLength } })
const slotParams = [key('data_key'), key('meta_contract_id'), key('public_key'), text('alias'), text('version')]
// The request object is checked field by field by the engine, whose errors name the field.
const request = { type: 'object' }

/** A slot as every read answers it: the head CID named `cid`, as the original does. */
export function slotInfo (slot: SlotWithContent): SlotInfo {
  return {
    data_key: slot.data_key,
    token_key: slot.token_key,
    token_id: slot.token_id,
    meta_contract_id: slot.meta_contract_id,
    public_key: slot.public_key,
    alias: slot.alias,
    version: slot.version,
    cid: slot.head_cid,
    loose: slot.loose,
    last_tx: slot.last_tx,
    updated_at: slot.updated_at,
    content: slot.content,
  }
}

/** Signed writes and reads of transactions, slots and bindings: the original's names and shapes. */
export function lineageMethods ({ lineage }: LineageMethodsComponents): RpcMethod[] {
  const slotOf = (p: Record<string, unknown>): SlotWithContent | undefined => lineage.slot({
    data_key: p.data_key as string, meta_contract_id: p.meta_contract_id as string, public_key: p.public_key as string, alias: p.alias as string, version: p.version as string,
  })

  return [
    defineMethod({
      name: 'publish',
      description: 'Accepts one signed transaction; the receipt follows when the validator has applied or rejected it.',
      params: [{ name: 'request', schema: request }],
      handler: p => lineage.publish(p.request),
    }),
    defineMethod({
      name: 'publish_batch',
      description: 'Accepts signed transactions in order; each gets its own hash or error.',
      params: [{ name: 'requests', schema: { type: 'array', items: request, minItems: 1, maxItems: MAX_BATCH_SIZE } }],
      // One commit for the batch (one fsync): each request is checked as `publish` checks it,
      // seeing the ones before it.
      handler: p => lineage.publishBatch(p.requests as unknown[]).map((result): PublishBatchItem => {
        if (result.error === undefined) return { hash: result.hash }
        const e = toRpcError(result.error)
        return { error: e.data === undefined ? { code: e.code, message: e.message } : { code: e.code, message: e.message, data: e.data } }
      }),
    }),
    defineMethod({
      name: 'get_transaction',
      description: 'A transaction by hash, with its status.',
      params: [hash],
      handler: p => lineage.transaction(p.hash as string) ?? null,
    }),
    defineMethod({
      name: 'get_transaction_receipt',
      description: 'How a transaction ended: applied (with the heads it wrote) or rejected (with why).',
      params: [hash],
      handler: p => lineage.receipt(p.hash as string) ?? null,
    }),
    defineMethod({
      name: 'get_metadata',
      description: 'One slot with its current content.',
      params: slotParams,
      cacheable: true,
      handler: p => {
        const slot = slotOf(p)
        return slot === undefined ? null : slotInfo(slot)
      },
    }),
    defineMethod({
      name: 'get_metadata_with_history',
      description: 'One slot with every version, newest first.',
      params: slotParams,
      handler: async p => {
        const slot = slotOf(p)
        return slot === undefined ? null : { ...slotInfo(slot), history: await lineage.history(slot) }
      },
    }),
    defineMethod({
      name: 'get_metadatas',
      description: 'Every slot of a token at one version, with content.',
      params: [key('data_key'), text('version')],
      cacheable: true,
      handler: p => lineage.slotsAtVersion(p.data_key as string, p.version as string).map(slotInfo),
    }),
    defineMethod({
      name: 'get_meta_contract',
      description: 'Which meta contract governs a collection, and who bound it.',
      params: [key('token_key')],
      handler: p => lineage.binding(p.token_key as string) ?? null,
    }),
    defineMethod({
      name: 'generate_token_key',
      description: 'The token_key of a collection: base58(sha256(lower(chain_id) + lower(token_address))).',
      params: [key('chain_id'), key('token_address')],
      handler: p => lineage.tokenKey(p.chain_id as string, p.token_address as string),
    }),
    defineMethod({
      name: 'generate_data_key',
      description: 'The data_key of a token: base58(sha256(lower(chain_id) + lower(token_address) + lower(token_id))).',
      params: [key('chain_id'), key('token_address'), text('token_id')],
      handler: p => lineage.dataKey(p.chain_id as string, p.token_address as string, p.token_id as string),
    }),
    defineMethod({
      name: 'chain_judging_block',
      description: 'The block a metadata write through this contract to the collection should name in its mcdata ({"chain_block": N}, so every node judges its chain facts alike), or null for none.',
      params: [{ name: 'chain_id', schema: { type: 'string', pattern: CHAIN_ID_PATTERN.source } }, { name: 'token_address', schema: { type: 'string', pattern: ADDRESS_PATTERN.source } }, key('meta_contract_id')],
      handler: p => lineage.judgingBlockFor(p.chain_id as string, p.token_address as string, p.meta_contract_id as string),
    }),
    defineMethod({
      name: 'get_node_clock',
      description: 'The node\'s clock, milliseconds since the epoch.',
      params: [],
      handler: () => Date.now(),
    }),
  ] as RpcMethod[]
}
