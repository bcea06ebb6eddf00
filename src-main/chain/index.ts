/**
 * The chain watcher: per chain id an EVM JSON-RPC endpoint set by the node's owner only (no
 * signed transaction makes the node fetch a URL), and watched collections whose ERC-721
 * Transfer and ERC-1155 TransferSingle/TransferBatch logs are read in bounded, adaptive block
 * ranges into an owner index (minted, burned, owner, balances, mint block and transaction).
 * Only confirmed events take effect; a reorg undoes what the removed blocks did. The checkpoint
 * is written in the same transaction as the effects, so a crash resumes with nothing missed or
 * applied twice. ethers does the JSON-RPC framing and the ABI decoding.
 *
 * @example
 * ```ts
 * const chain = createChainWatcher({ db: store.db, log })
 * chain.start()
 * await chain.setEndpoint({ chain_id: 1, http_url: 'https://eth.example.com/KEY', confirmations: 12 })
 * chain.watch({ chain_id: 1, address: '0xbc4c…f13d' })   // from its deployment block
 * chain.status()                                         // [{ state: 'backfilling', last_block, … }]
 * chain.token(1, '0xbc4c…f13d', '42')                    // { minted: true, owner: '0x…', mint_block, … }
 * await chain.stop()
 * ```
 */
import { SqliteChainWatcher } from './watcher.js'
import type { ChainWatcher, ChainWatcherComponents, ChainWatcherInit } from './watcher.js'
import { CronReads } from './cron.js'
import type { CronKeys } from './cron.js'
import type { Database } from 'better-sqlite3'
import { RevealGate } from './reveal.js'
import type { ChainClient, ChainClientInit } from './client.js'

export function createChainWatcher (components: ChainWatcherComponents, init: ChainWatcherInit = {}): ChainWatcher {
  return new SqliteChainWatcher(components, init)
}

/** The original's cron reads over the watcher's tables; `keys` gives token_key and data_key. */
/** Reveal on mint: which tokens' content is hidden until minted (see reveal.ts). */
export function createRevealGate (db: Database): RevealGate {
  return new RevealGate(db)
}

export function createCronReads (db: Database, keys?: CronKeys): CronReads {
  return new CronReads(db, keys)
}

export type { ChainWatcher, ChainWatcherComponents, ChainWatcherInit } from './watcher.js'
export type { CronReads, CronInfo, CronTxInfo, CronTxFilter, CronKeys } from './cron.js'
export { cronHash } from './cron.js'
export type { RevealGate, RevealInfo, Hidden, RevealTokenInfo, CopyOmits } from './reveal.js'
export type { OwnPeers } from './own-peers.js'
export type { TokenFactsAt } from './facts-at.js'
export { revealedTokens } from './revealed-tokens.js'
export { CRON_TOPIC, TOPICS, METADATA_TOPICS, WATCH_TOPICS } from './topics.js'
export type { RecordedMetadataUpdate, TokenMetadataUpdate } from './metadata-updates.js'
export type * from './types.js'
export * from './constants.js'
export * from './errors.js'

/** A JSON-RPC client of one chain's endpoint (bounded calls, the node's errors); ethers loads with the first one. */
export async function createChainClient (init: ChainClientInit): Promise<ChainClient> {
  const { ChainClient } = await import('./client.js')
  return new ChainClient(init)
}
export type { ChainClient, ChainClientInit } from './client.js'
export { checkAddress, checkChainId, checkTokenId } from './config.js'
