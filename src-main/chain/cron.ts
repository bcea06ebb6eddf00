import { createHash } from 'node:crypto'
import type { Database, Statement } from 'better-sqlite3'
// The read model's own file: the chain watcher loads with a starting node, before lineage/ (Marine).
import { ledgerReads } from '../lineage/tokens/ledger-reads.js'
import { MAX_CRON_TXS_PAGE } from './constants.js'
import type { TokenType } from './constants.js'
import { CRON_TOPIC } from './topics.js'
import type { EventRow, WatchRow } from './owner-index.js'

/** token_key and data_key as the protocol derives them (the engine's). */
export interface CronKeys {
  tokenKey(chainId: string, tokenAddress: string): string
  dataKey(chainId: string, tokenAddress: string, tokenId: string): string
}

/** The original's `cron` row: one per watched collection. */
export interface CronInfo {
  hash: string
  token_key: string
  address: string
  token_type: TokenType
  chain: string
  topic: string
  /** 1 while watched, 0 while stopped. */
  status: number
  /** The meta contract the collection is bound to; "" when unbound. */
  meta_contract_id: string
  /** Always "": the endpoint is the node owner's setting and may carry a provider key. */
  node_url: string
  last_processed_block: number
  /** Always "": watches are the node owner's, not a signer's. */
  public_key: string
  abi_url: string
}

/** The original's `cron_tx` row: one per confirmed mint (an ERC-1155 batch gives one per id). */
export interface CronTxInfo {
  hash: string
  address: string
  token_type: TokenType
  chain: string
  topic: string
  meta_contract_id: string
  /** When the node applied it (ms). */
  timestamp: number
  tx_block_number: number
  tx_hash: string
  /** 1: applied. */
  status: number
  /** The decoded event as JSON text: { from, to, tokenId, value } (what deserialize_fork reads). */
  data: string
  error_text: string
  token_id: string
  data_key: string
  token_key: string
}

export interface CronTxFilter { address?: string, chain?: string, topic?: string, tx_hash?: string }

/** A mint's cron_tx hash: sha256 of chain, address, transaction hash, log index and batch index, as hex. */
export function mintHash (chainId: number, address: string, txHash: string, logIndex: number, batchIndex: number): string {
  return createHash('sha256').update(`${chainId}${address}${txHash}:${logIndex}:${batchIndex}`).digest('hex')
}

/** The original's hash of a cron: sha256 of chain, address and topic, as hex. */
export function cronHash (chain: string, address: string, topic: string): string {
  return createHash('sha256').update(`${chain}${address}${topic}`).digest('hex')
}

/**
 * The original chain watcher's reads (get_*_cron*, search_cron_tx), answered from the watcher's
 * tables. There is no write: chain events come from the endpoint only (the original's
 * send_cron_tx let anyone forge one).
 */
export class CronReads {
  private readonly s: Record<string, Statement>
  private readonly boundContract: Statement<[string], string>

  constructor (db: Database, private readonly keys?: CronKeys) {
    this.boundContract = ledgerReads(db).boundContract
    this.s = {
      watches: db.prepare('SELECT * FROM chain_watches ORDER BY chain_id, address'),
      watchOf: db.prepare('SELECT * FROM chain_watches WHERE chain_id = ? AND address = ?'),
      mints: db.prepare(`SELECT * FROM chain_events WHERE watch_id = ? AND kind = 'mint' ORDER BY block_number, log_index, batch_index LIMIT ? OFFSET ?`),
      mintsOfTx: db.prepare(`SELECT * FROM chain_events WHERE watch_id = ? AND kind = 'mint' AND tx_hash = ? ORDER BY block_number, log_index, batch_index LIMIT ?`),
      mintCount: db.prepare(`SELECT count(*) AS n FROM chain_events WHERE watch_id = ? AND kind = 'mint'`),
      latestMint: db.prepare(`SELECT max(block_number) AS n FROM chain_events WHERE watch_id = ? AND kind = 'mint'`),
    }
  }

  crons (activeOnly: boolean): CronInfo[] {
    return (this.s.watches!.all() as WatchRow[]).filter(w => !activeOnly || w.active === 1).map(w => this.cronOf(w))
  }

  /** A cron's last processed block; 0 for a hash no watch has. */
  cronLatestBlock (hash: string): number {
    return this.crons(false).find(c => c.hash === hash.toLowerCase())?.last_processed_block ?? 0
  }

  /** Mints, oldest first, of every watch or of those the filter names; `from` skips, `to` counts (at most MAX_CRON_TXS_PAGE). */
  cronTxs (filter: CronTxFilter, from = 0, to = MAX_CRON_TXS_PAGE): CronTxInfo[] {
    const limit = Math.min(to, MAX_CRON_TXS_PAGE)
    const out: CronTxInfo[] = []
    let skip = from
    for (const w of this.matching(filter)) {
      if (out.length >= limit) break
      if (filter.tx_hash !== undefined) {
        out.push(...(this.s.mintsOfTx!.all(w.id, filter.tx_hash.toLowerCase(), limit - out.length) as EventRow[]).map(r => this.cronTxOf(w, r)))
        continue
      }
      // The offset is SQL's within a watch; a watch it skips whole is counted, not read.
      const { n } = this.s.mintCount!.get(w.id) as { n: number }
      if (skip >= n) { skip -= n; continue }
      out.push(...(this.s.mints!.all(w.id, limit - out.length, skip) as EventRow[]).map(r => this.cronTxOf(w, r)))
      skip = 0
    }
    return out
  }

  /** The newest block with a mint of that collection; 0 when none. */
  cronTxLatestBlock (filter: Required<Pick<CronTxFilter, 'address' | 'chain' | 'topic'>>): number {
    return Math.max(0, ...this.matching(filter).map(w => (this.s.latestMint!.get(w.id) as { n: number | null }).n ?? 0))
  }

  private matching (filter: CronTxFilter): WatchRow[] {
    // The original's params are free text: a chain that is not a decimal id names no watch.
    if (filter.chain !== undefined && !/^[0-9]{1,16}$/.test(filter.chain)) return []
    const all = filter.chain !== undefined && filter.address !== undefined
      ? [this.s.watchOf!.get(Number(filter.chain), filter.address.toLowerCase()) as WatchRow | undefined].filter((w): w is WatchRow => w !== undefined)
      : this.s.watches!.all() as WatchRow[]
    return all.filter(w =>
      (filter.chain === undefined || String(w.chain_id) === filter.chain) &&
      (filter.address === undefined || w.address === filter.address.toLowerCase()) &&
      (filter.topic === undefined || CRON_TOPIC[w.token_type] === filter.topic.toLowerCase()))
  }

  private tokenKey (w: WatchRow): string {
    return this.keys?.tokenKey(String(w.chain_id), w.address) ?? ''
  }

  private cronOf (w: WatchRow): CronInfo {
    const chain = String(w.chain_id)
    const topic = CRON_TOPIC[w.token_type]
    const tokenKey = this.tokenKey(w)
    return {
      hash: cronHash(chain, w.address, topic),
      token_key: tokenKey,
      address: w.address,
      token_type: w.token_type,
      chain,
      topic,
      status: w.active,
      meta_contract_id: this.boundContract.get(tokenKey) ?? '',
      node_url: '',
      last_processed_block: w.next_block === null || w.next_block === 0 ? 0 : w.next_block - 1,
      public_key: '',
      abi_url: '',
    }
  }

  private cronTxOf (w: WatchRow, e: EventRow): CronTxInfo {
    const chain = String(w.chain_id)
    const topic = CRON_TOPIC[w.token_type]
    const tokenKey = this.tokenKey(w)
    return {
      hash: mintHash(w.chain_id, w.address, e.tx_hash, e.log_index, e.batch_index),
      address: w.address,
      token_type: w.token_type,
      chain,
      topic,
      meta_contract_id: this.boundContract.get(tokenKey) ?? '',
      timestamp: e.applied_at,
      tx_block_number: e.block_number,
      tx_hash: e.tx_hash,
      status: 1,
      data: JSON.stringify({ from: e.from_address, to: e.to_address, tokenId: e.token_id, value: e.amount }),
      error_text: '',
      token_id: e.token_id,
      data_key: this.keys?.dataKey(chain, w.address, e.token_id) ?? '',
      token_key: tokenKey,
    }
  }
}
