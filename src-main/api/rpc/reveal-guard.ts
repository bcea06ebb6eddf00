import { CID } from 'multiformats/cid'
import type { RevealGate } from '../../chain/index.js'
import { TokenHiddenError } from '../../chain/index.js'
import type { SqliteBlockstore } from '../../store/index.js'
import type { RpcContext, RpcMethod } from './method.js'

export interface RevealGuardComponents {
  reveal: RevealGate
  /** To tell whether a CID a caller names is a hidden token's version. */
  blockstore: SqliteBlockstore
}

/**
 * Public methods whose params and results carry no token content: writes (a signature is their
 * authorization), key derivations, chain facts, and reads of other peers' content.
 */
const UNGUARDED = new Set(['node_info', 'get_node_clock', 'list_services', 'publish', 'publish_batch', 'validate_metadata', 'generate_token_key', 'generate_data_key', 'deserialize_fork', 'peers'])
const UNGUARDED_PREFIXES = ['chain_', 'peer_', 'fluence_', 'get_cron', 'get_all_cron', 'get_active_cron', 'search_cron']

/** How deep a result is searched for tokens (results nest pages, items, slots and versions). */
const MAX_DEPTH = 6

type Judge = (value: Record<string, unknown>) => boolean

/**
 * Reveal on mint for the JSON-RPC API: a caller without the API token never reads a hidden
 * token's content. A call that names one (data_key, chain_id + token_address + token_id,
 * token_key + token_id, a transaction hash or a version's CID) is refused with TokenHiddenError;
 * in a result, list items that are hidden tokens' are left out, and a hidden token's object
 * elsewhere is null. The owner (with the token) reads everything. Wraps each public method once,
 * so a method added later is guarded unless listed above.
 */
export function guardPublicMethods (methods: RpcMethod[], components: RevealGuardComponents | undefined): RpcMethod[] {
  if (components === undefined) return methods
  return methods.map(method => method.requiresToken === true || UNGUARDED.has(method.name) || UNGUARDED_PREFIXES.some(p => method.name.startsWith(p))
    ? method
    // The redacted result has the method's own shape, less hidden items.
    : { ...method, handler: async (params: Record<string, unknown>, context: RpcContext) => await guarded(method, params, context, components) as Awaited<ReturnType<RpcMethod['handler']>> })
}

async function guarded (method: RpcMethod, params: Record<string, unknown>, context: RpcContext, { reveal, blockstore }: RevealGuardComponents): Promise<unknown> {
  if (context.authenticated || !reveal.active) return await method.handler(params, context)
  const judge = judgeOf(reveal)
  if (namesHidden(params, judge, reveal, blockstore)) throw new TokenHiddenError()
  if (method.name === 'browse_tokens') refuseHiddenSearch(params, reveal)
  const result = await method.handler(params, context)
  const kept = redact(result, judge, 0)
  if (kept === HIDDEN) throw new TokenHiddenError()
  if (method.name === 'browse_tokens') return withoutFacets(kept, reveal)
  return kept
}

const HIDDEN = Symbol('hidden')

/** Whether an object is a hidden token's (or a part of one), memoised for one call. */
function judgeOf (reveal: RevealGate): Judge {
  const memo = new Map<string, boolean>()
  const remember = (key: string, answer: () => boolean): boolean => {
    let known = memo.get(key)
    if (known === undefined) memo.set(key, known = answer())
    return known
  }
  return value => {
    const { data_key: dataKey, chain_id: chainId, token_address: address, token_id: tokenId, token_key: tokenKey } = value
    if (typeof tokenId === 'string') {
      if (typeof chainId === 'string' && typeof address === 'string') return remember(`a/${chainId}/${address}/${tokenId}`, () => reveal.hidden(chainId, address, tokenId) !== undefined)
      if (typeof tokenKey === 'string') return remember(`k/${tokenKey}/${tokenId}`, () => reveal.hiddenByTokenKey(tokenKey, tokenId) !== undefined)
    }
    if (typeof dataKey === 'string') return remember(`d/${dataKey}`, () => reveal.hiddenByDataKey(dataKey) !== undefined)
    return false
  }
}

/** Whether a call's params name a hidden token: its keys, a transaction of it, a version of it. */
function namesHidden (params: Record<string, unknown>, judge: Judge, reveal: RevealGate, blockstore: SqliteBlockstore): boolean {
  const objects = [params, ...Object.values(params).filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v))]
  for (const object of objects) {
    if (judge(object)) return true
    for (const [name, value] of Object.entries(object)) {
      if (typeof value !== 'string') continue
      if (name === 'hash' && reveal.hiddenByTransaction(value) !== undefined) return true
      if ((name === 'cid' || name === 'base' || name === 'cursor') && isHiddenCid(value, reveal, blockstore)) return true
    }
  }
  return false
}

function isHiddenCid (text: string, reveal: RevealGate, blockstore: SqliteBlockstore): boolean {
  let cid: CID
  try {
    cid = CID.parse(text)
  } catch {
    return false
  }
  return reveal.isHiddenBlock(cid, blockstore.getSync(cid))
}

/** The result without what belongs to hidden tokens; HIDDEN when the whole of it does. */
function redact (value: unknown, judge: Judge, depth: number): unknown {
  if (typeof value !== 'object' || value === null || depth > MAX_DEPTH) return value
  if (Array.isArray(value)) {
    const kept: unknown[] = []
    for (const item of value) {
      const redacted = redact(item, judge, depth + 1)
      if (redacted !== HIDDEN) kept.push(redacted)
    }
    return kept
  }
  const object = value as Record<string, unknown>
  if (judge(object)) return HIDDEN
  let copy: Record<string, unknown> | undefined
  for (const [key, field] of Object.entries(object)) {
    if (typeof field !== 'object' || field === null) continue
    const redacted = redact(field, judge, depth + 1)
    if (redacted === field) continue
    copy ??= { ...object }
    copy[key] = redacted === HIDDEN ? null : redacted
  }
  return copy ?? object
}

/** Counts by text or trait over a hidden collection would tell what its unminted tokens hold. */
function refuseHiddenSearch (params: Record<string, unknown>, reveal: RevealGate): void {
  const query = params.query as { text?: unknown, traits?: unknown } | undefined
  const searching = (typeof query?.text === 'string' && query.text.trim() !== '') || (Array.isArray(query?.traits) && query.traits.length > 0)
  if (searching && collectionHidden(params.collection, reveal)) throw new TokenHiddenError()
}

function withoutFacets (page: unknown, reveal: RevealGate): unknown {
  const { token_key: tokenKey } = page as { token_key?: unknown }
  if (typeof tokenKey !== 'string' || !collectionHidden({ token_key: tokenKey }, reveal)) return page
  return { ...(page as object), facets: [] }
}

function collectionHidden (collection: unknown, reveal: RevealGate): boolean {
  const { token_key: tokenKey, chain_id: chainId, token_address: address } = (collection ?? {}) as Record<string, unknown>
  // Token id "" is never minted: it asks whether the collection is hidden at all.
  if (typeof tokenKey === 'string') return reveal.hiddenByTokenKey(tokenKey, '') !== undefined
  return typeof chainId === 'string' && typeof address === 'string' && reveal.hidden(chainId, address, '') !== undefined
}
