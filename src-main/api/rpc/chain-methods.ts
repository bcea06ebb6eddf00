import { MAX_CRON_TXS_PAGE, MAX_ENDPOINT_LENGTH } from '../../chain/index.js'
import type { ChainWatcher, CronReads } from '../../chain/index.js'
import { InvalidParamsError } from '../errors.js'
import { defineMethod } from './method.js'
import type { RpcMethod, RpcParam } from './method.js'

export interface ChainMethodsComponents {
  /** Absent where a node part is built without it (unit tests of other groups): no chain methods then. */
  chain?: ChainWatcher
  cron?: CronReads
}

const chainId: RpcParam = { name: 'chain_id', schema: { anyOf: [{ type: 'integer' }, { type: 'string', maxLength: 16 }] } }
const address: RpcParam = { name: 'address', schema: { type: 'string', maxLength: 42 } }
const hex: RpcParam['schema'] = { type: 'string', maxLength: 66 }
const chainText: RpcParam['schema'] = { type: 'string', maxLength: 16 }

/** Errors about one input are invalid params naming the field. */
async function withParams<T> (run: () => Promise<T> | T): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const { name, field, message } = err as { name?: unknown, field?: unknown, message?: unknown }
    if (name === 'InvalidChainInputError' && typeof field === 'string' && typeof message === 'string') throw new InvalidParamsError(message, field)
    throw err
  }
}

/**
 * The chain watcher: endpoints and watches are the node owner's (token needed), as is the
 * watcher's status; what the chain says about tokens, and the original's cron reads, are public.
 * No method takes a chain event: they come from the owner's endpoint only (the original's
 * send_cron_tx let anyone forge one).
 */
export function chainMethods ({ chain, cron }: ChainMethodsComponents): RpcMethod[] {
  if (chain === undefined || cron === undefined) return []
  return [
    defineMethod({
      name: 'chain_set',
      requiresToken: true,
      description: 'Sets the JSON-RPC endpoint of a chain (HTTP and/or WebSocket URL), its confirmation depth and poll interval, after checking it answers that chain id.',
      params: [chainId, {
        name: 'options',
        schema: {
          type: 'object',
          additionalProperties: false,
          properties: {
            http_url: { type: 'string', maxLength: MAX_ENDPOINT_LENGTH + 1 },
            ws_url: { type: 'string', maxLength: MAX_ENDPOINT_LENGTH + 1 },
            confirmations: { type: 'integer' },
            poll_interval_ms: { type: 'integer' },
          },
        },
      }],
      handler: async p => await withParams(async () => await chain.setEndpoint({ chain_id: p.chain_id, ...(p.options as object) })),
    }),
    defineMethod({
      name: 'chain_rm',
      requiresToken: true,
      description: 'Forgets a chain\'s endpoint; refused while collections on it are watched.',
      params: [chainId],
      handler: async p => await withParams(() => chain.removeEndpoint(p.chain_id)),
    }),
    defineMethod({
      name: 'chain_ls',
      requiresToken: true,
      description: 'Every configured chain endpoint (URLs may carry a provider key: owner only).',
      params: [],
      handler: () => chain.endpoints(),
    }),
    defineMethod({
      name: 'chain_watch',
      requiresToken: true,
      description: 'Watches a collection\'s transfers from a start block (default: its deployment block) into the owner index.',
      params: [chainId, address, {
        name: 'options',
        optional: true,
        schema: { type: 'object', additionalProperties: false, properties: { token_type: { type: 'string', maxLength: 16 }, start_block: { type: 'integer' } } },
      }],
      handler: async p => await withParams(() => chain.watch({ chain_id: p.chain_id, address: p.address, ...(p.options as object | undefined) })),
    }),
    defineMethod({
      name: 'chain_unwatch',
      requiresToken: true,
      description: 'Stops watching a collection and forgets its events and owner index.',
      params: [chainId, address],
      handler: async p => await withParams(() => chain.unwatch(p.chain_id, p.address)),
    }),
    defineMethod({
      name: 'chain_watch_stop',
      requiresToken: true,
      description: 'Pauses a watch; its owner index stays as it is.',
      params: [chainId, address],
      handler: async p => await withParams(() => chain.setActive(p.chain_id, p.address, false)),
    }),
    defineMethod({
      name: 'chain_watch_start',
      requiresToken: true,
      description: 'Resumes a paused watch from its checkpoint.',
      params: [chainId, address],
      handler: async p => await withParams(() => chain.setActive(p.chain_id, p.address, true)),
    }),
    defineMethod({
      name: 'chain_status',
      requiresToken: true,
      description: 'Every watch: state, last applied block, head, failures with the last error and the next retry.',
      params: [],
      handler: () => chain.status(),
    }),
    defineMethod({
      name: 'chain_token',
      description: 'A token of a watched collection as the chain says: minted, burned, owner, balances, mint block and transaction.',
      params: [chainId, address, { name: 'token_id', schema: { type: 'string', maxLength: 78 } }],
      handler: async p => await withParams(() => chain.token(p.chain_id, p.address, p.token_id)),
    }),
    defineMethod({
      name: 'get_active_crons',
      description: 'The original\'s watchers that are running: one per watched collection.',
      params: [],
      handler: () => cron.crons(true),
    }),
    defineMethod({
      name: 'get_all_crons',
      description: 'The original\'s watchers, running or stopped.',
      params: [],
      handler: () => cron.crons(false),
    }),
    defineMethod({
      name: 'get_all_cron_txs',
      description: `Confirmed mints of every watched collection, oldest first; \`from\` skips, \`to\` counts (at most ${MAX_CRON_TXS_PAGE}).`,
      params: [{ name: 'from', schema: { type: 'integer', minimum: 0 }, optional: true }, { name: 'to', schema: { type: 'integer', minimum: 1, maximum: MAX_CRON_TXS_PAGE }, optional: true }],
      handler: p => cron.cronTxs({}, p.from as number | undefined, p.to as number | undefined),
    }),
    defineMethod({
      name: 'search_cron_tx',
      description: `Confirmed mints of one watched collection (address, chain, topic), oldest first (at most ${MAX_CRON_TXS_PAGE}).`,
      params: [{ name: 'address', schema: address.schema }, { name: 'chain', schema: chainText }, { name: 'topic', schema: hex }],
      handler: p => cron.cronTxs({ address: p.address as string, chain: p.chain as string, topic: p.topic as string }),
    }),
    defineMethod({
      name: 'get_cron_tx_by_tx_hash',
      description: 'The first confirmed mint of that transaction in that collection, or null.',
      params: [{ name: 'tx_hash', schema: hex }, { name: 'address', schema: address.schema }, { name: 'chain', schema: chainText }, { name: 'topic', schema: hex }],
      handler: p => cron.cronTxs({ tx_hash: p.tx_hash as string, address: p.address as string, chain: p.chain as string, topic: p.topic as string }, 0, 1)[0] ?? null,
    }),
    defineMethod({
      name: 'get_cron_tx_latest_block',
      description: 'The newest block with a confirmed mint of that collection; 0 when none.',
      params: [{ name: 'address', schema: address.schema }, { name: 'chain', schema: chainText }, { name: 'topic', schema: hex }],
      handler: p => cron.cronTxLatestBlock({ address: p.address as string, chain: p.chain as string, topic: p.topic as string }),
    }),
    defineMethod({
      name: 'get_cron_latest_block',
      description: 'The last block a watcher (by its hash) has processed; 0 for an unknown hash.',
      params: [{ name: 'hash', schema: hex }],
      handler: p => cron.cronLatestBlock(p.hash as string),
    }),
  ] as RpcMethod[]
}
