import type { Lineage } from '../lineage/engine/index.js'
import type { Pins } from '../lineage/pins/index.js'
import { canonicalSlotKey } from '../lineage/signing/index.js'
import type { HistoryPage, Tokens, TokenSlot } from '../lineage/tokens/index.js'
import type {
  AquaNodeInfo, CollectionPageAnswer, EngineServiceImpl, MetadataAnswer, NodeServiceImpl, PinsAnswer, PublishAnswer,
  SlotHistoryAnswer, TokenHistoryAnswer, VersionAnswer
} from './aqua-types.js'
import { MAX_COLLECTION_PAGE, MAX_HISTORY_VERSIONS_PER_CALL } from './constants.js'
import { peerError } from './peer-errors.js'

/** The engine as remote peers see it: reads, and publishing signed transactions. */
export interface EngineServicesComponents {
  nodeInfo(): AquaNodeInfo
  /** `publish` checks the signature and every rule before anything is stored. */
  lineage: Pick<Lineage, 'publish' | 'dataKey'>
  tokens: Pick<Tokens, 'token' | 'list' | 'history'>
  pins: Pick<Pins, 'ls'>
}

const message = (err: unknown): string => peerError(err)
/** A page size a remote asked for, within the node's limit; 0 means the default. */
const clamp = (limit: number, max: number, fallback: number): number => Number.isInteger(limit) && limit > 0 ? Math.min(limit, max) : fallback

function versions (page: HistoryPage): VersionAnswer[] {
  return page.items.map(v => ({
    cid: v.cid,
    previous: v.previous ?? '',
    timestamp: v.timestamp,
    content: JSON.stringify(v.content),
    tx_hash: v.transaction.hash,
    method: v.transaction.method,
    public_key: v.transaction.public_key ?? '',
  }))
}

const NO_SLOT: SlotHistoryAnswer = { found: false, meta_contract_id: '', public_key: '', alias: '', version: '', head: '', versions: [], next_cursor: '' }

function slotHistory (slot: Pick<TokenSlot, 'meta_contract_id' | 'public_key' | 'alias' | 'version'>, page: HistoryPage | undefined): SlotHistoryAnswer {
  if (page === undefined) return NO_SLOT
  const { meta_contract_id, public_key, alias, version } = slot
  return { found: true, meta_contract_id, public_key, alias, version, head: page.head, versions: versions(page), next_cursor: page.next_cursor ?? '' }
}

/**
 * The JS services the Aqua API calls (`lineage-node`, `lineage`). Any peer may call them, so
 * they only read, or publish a request whose signature the engine verifies. Bad input becomes
 * an answer with `error` (or `found: false`), never an exception that reveals internals.
 */
export function createEngineServices (components: EngineServicesComponents): { node: NodeServiceImpl, engine: EngineServiceImpl } {
  const { lineage, tokens, pins } = components
  const engine: EngineServiceImpl = {
    publish (req): PublishAnswer {
      try {
        return { hash: lineage.publish(req.transaction).hash, error: '' }
      } catch (err) {
        return { hash: '', error: message(err) }
      }
    },

    metadata (req): MetadataAnswer {
      try {
        const token = tokens.token({ chain_id: req.chain_id, token_address: req.token_address, token_id: req.token_id })
        if (token === undefined) return { found: false, token_key: '', data_key: '', json: '', error: '' }
        return { found: token.metadata !== null, token_key: token.token_key, data_key: token.data_key, json: token.metadata === null ? '' : JSON.stringify(token.metadata), error: token.metadata_error ?? '' }
      } catch (err) {
        return { found: false, token_key: '', data_key: '', json: '', error: message(err) }
      }
    },

    slot (req): SlotHistoryAnswer {
      // The key as slots store it (an EVM key lower-cased, whatever case the caller wrote), which the answer names.
      const key = canonicalSlotKey({
        data_key: lineage.dataKey(req.chain_id, req.token_address, req.token_id),
        meta_contract_id: req.meta_contract_id,
        public_key: req.public_key,
        alias: req.alias,
        version: req.version,
      })
      const options = { limit: clamp(req.limit, MAX_HISTORY_VERSIONS_PER_CALL, MAX_HISTORY_VERSIONS_PER_CALL), ...(req.cursor === '' ? {} : { cursor: req.cursor }) }
      return slotHistory(key, tokens.history(key, options))
    },

    history (req): TokenHistoryAnswer {
      const token = tokens.token({ chain_id: req.chain_id, token_address: req.token_address, token_id: req.token_id })
      if (token === undefined) return { found: false, data_key: '', slots: [] }
      const limit = clamp(req.limit, MAX_HISTORY_VERSIONS_PER_CALL, MAX_HISTORY_VERSIONS_PER_CALL)
      const slots = token.slots.map(s => slotHistory(s, tokens.history(s, { limit })))
      return { found: true, data_key: token.data_key, slots }
    },

    collection (req): CollectionPageAnswer {
      try {
        const page = tokens.list({ chain_id: req.chain_id, token_address: req.token_address }, { limit: clamp(req.limit, MAX_COLLECTION_PAGE, 100), ...(req.cursor === '' ? {} : { cursor: req.cursor }) })
        return { found: true, token_key: page.token_key, items: page.items, next_cursor: page.next_cursor ?? '', total: page.total, error: '' }
      } catch (err) {
        return { found: false, token_key: '', items: [], next_cursor: '', total: 0, error: message(err) }
      }
    },

    pins (req): PinsAnswer {
      const all = pins.ls()
      const items = all.slice(0, clamp(req.limit, MAX_COLLECTION_PAGE, 100)).map(p => ({ cid: p.cid, recursive: p.recursive, name: p.name, created_at: p.created_at }))
      return { items, total: all.length }
    },
  }
  return { node: { node_info: () => components.nodeInfo() }, engine }
}
