import type { Database } from 'better-sqlite3'
import type { Stream } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import { lpStream } from '@libp2p/utils'
import type { LengthPrefixedStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Libp2p } from 'libp2p'
import type { Lineage } from '../lineage/engine/index.js'
import { SYNC_FETCH_PAGE, SYNC_MAX_MESSAGE_BYTES, SYNC_MAX_RANGES_PER_REQUEST, SYNC_MAX_ROUNDS, SYNC_PROTOCOL, SYNC_REQUEST_TIMEOUT_MS } from './constants.js'
import { ForgedTransactionError, SyncCancelledError, SyncInterruptedError, SyncProtocolError } from './errors.js'
import { decodeAnswer, decodeLength, encodeMessage, isOversized } from './sync-messages.js'
import type { SyncAnswer, SyncRequest } from './sync-messages.js'
import { compareKeys, summarize } from './tx-set.js'
import type { RangeSummary, TransactionSet, TxKey } from './tx-set.js'

export interface SyncProgress {
  peer_id: string
  token_key: string
  phase: 'reconciling' | 'fetching' | 'done'
  /** Transactions this node lacked and has fetched so far, of `missing`. */
  fetched: number
  missing: number
  rounds: number
}

export interface SyncResult {
  peer_id: string
  token_key: string
  /** Transactions fetched and stored (duplicates that arrived meanwhile by gossip not counted). */
  fetched: number
  missing: number
  rounds: number
}

export interface SyncClientComponents {
  libp2p: Libp2p
  /** The node's database: a fetched page is stored in one transaction around the engine's batch. */
  db: Database
  lineage: Lineage
  transactions: TransactionSet
  log: Logger
  /** Called with the hashes about to be stored, before they are stored: they are replicated, not this node's own. */
  onReplicated(hashes: string[]): void
}

export interface SyncOptions {
  signal?: AbortSignal
  onProgress?(progress: SyncProgress): void
}

/**
 * Catches this node up with one peer for one collection: range-based set reconciliation over
 * canonical keys (only ranges whose count or fingerprint differ are opened up, so two nodes that
 * agree exchange one message), then the missing transactions in canonical order, a page at a
 * time, each page checked (every signature, and only what was asked) before any of it is stored.
 * Stopping part way loses nothing: what was stored stays, and the next sync asks only for the rest.
 */
export async function syncCollection (components: SyncClientComponents, peerId: string, tokenKey: string, options: SyncOptions = {}): Promise<SyncResult> {
  const { libp2p, transactions, log } = components
  const signal = options.signal
  const progress: SyncProgress = { peer_id: peerId, token_key: tokenKey, phase: 'reconciling', fetched: 0, missing: 0, rounds: 0 }
  const report = (): void => { options.onProgress?.({ ...progress }) }
  const stream = await libp2p.dialProtocol(peerIdFromString(peerId), SYNC_PROTOCOL, { signal: signal ?? AbortSignal.timeout(SYNC_REQUEST_TIMEOUT_MS), runOnLimitedConnection: true })
  const lp = lpStream(stream, { maxDataLength: SYNC_MAX_MESSAGE_BYTES, lengthDecoder: decodeLength })
  const ask = async (request: SyncRequest): Promise<SyncAnswer> => {
    if (signal?.aborted === true) throw new SyncCancelledError()
    const timeout = AbortSignal.timeout(SYNC_REQUEST_TIMEOUT_MS)
    const both = signal === undefined ? timeout : AbortSignal.any([signal, timeout])
    await lp.write(encodeMessage(request), { signal: both })
    let bytes
    try {
      bytes = await lp.read({ signal: both })
    } catch (err) {
      if (isAborted(signal)) throw new SyncCancelledError()
      if (isOversized(err)) throw new SyncProtocolError(peerId, `its answer is over the size limit (${SYNC_MAX_MESSAGE_BYTES} bytes)`)
      // A stream that closed, reset or timed out is not proof of misbehaviour (an honest peer
      // may stop or lose its network): the sync fails and the peer stays welcome.
      throw new SyncInterruptedError(peerId, (err as Error).message)
    }
    let answer: SyncAnswer
    try {
      answer = decodeAnswer(bytes.subarray())
    } catch (err) {
      throw new SyncProtocolError(peerId, (err as Error).message)
    }
    if (answer.t === 'error') throw new SyncProtocolError(peerId, `it answered with an error: ${answer.message}`)
    return answer
  }

  try {
    const missing = await reconcile(transactions, tokenKey, ask, progress, report)
    progress.phase = 'fetching'
    progress.missing = missing.length
    report()
    for (let i = 0; i < missing.length; i += SYNC_FETCH_PAGE) {
      const page = missing.slice(i, i + SYNC_FETCH_PAGE).map(k => k[1])
      const answer = await ask({ t: 'get', hashes: page })
      if (answer.t !== 'transactions') throw new SyncProtocolError(peerId, `it answered a fetch with "${answer.t}"`)
      progress.fetched += store(components, peerId, tokenKey, page, answer.transactions)
      report()
    }
    await closeQuietly(stream, lp)
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
    throw err
  }
  progress.phase = 'done'
  report()
  log('synced %s from %s: %d fetched in %d rounds', tokenKey, peerId, progress.fetched, progress.rounds)
  return { peer_id: peerId, token_key: tokenKey, fetched: progress.fetched, missing: progress.missing, rounds: progress.rounds }
}

/** The keys the peer holds in this collection and this node does not, in canonical order. */
async function reconcile (transactions: TransactionSet, tokenKey: string, ask: (r: SyncRequest) => Promise<SyncAnswer>, progress: SyncProgress, report: () => void): Promise<TxKey[]> {
  const missing: TxKey[] = []
  let ranges: RangeSummary[] = [summarize({ lo: null, hi: null }, transactions.keys(tokenKey, { lo: null, hi: null }))]
  while (ranges.length > 0) {
    if (++progress.rounds > SYNC_MAX_ROUNDS) throw new SyncProtocolError(progress.peer_id, `reconciliation did not end within ${SYNC_MAX_ROUNDS} rounds`)
    report()
    const next: RangeSummary[] = []
    for (let i = 0; i < ranges.length; i += SYNC_MAX_RANGES_PER_REQUEST) {
      const answer = await ask({ t: 'ranges', token_key: tokenKey, ranges: ranges.slice(i, i + SYNC_MAX_RANGES_PER_REQUEST) })
      if (answer.t !== 'ranges') throw new SyncProtocolError(progress.peer_id, `it answered a reconciliation with "${answer.t}"`)
      for (const a of answer.answers) {
        if ('keys' in a) {
          const ours = new Set(transactions.keys(tokenKey, a).map(k => k[1]))
          for (const key of a.keys) if (!ours.has(key[1])) missing.push(key)
        } else {
          for (const part of a.split) {
            const mine = summarize(part, transactions.keys(tokenKey, part))
            if (mine.count !== part.count || mine.fp !== part.fp) next.push(mine)
          }
        }
      }
    }
    ranges = next
  }
  return missing.sort(compareKeys)
}

/** Errors that mean the peer sent something no honest node would: the transaction itself does not check. */
const FORGERIES = new Set(['InvalidTransactionError', 'InvalidSignatureError', 'CloneSourceError'])

/**
 * Stores a fetched page, all or nothing: every transaction must check (fields, signature), be
 * one that was asked for, and belong to this collection. One that does not rolls the whole page
 * back (nested in this transaction, the engine's batch is a savepoint), and the peer is reported.
 * Each signature is verified once, by the engine.
 */
function store (components: SyncClientComponents, peerId: string, tokenKey: string, asked: string[], raws: unknown[]): number {
  const { lineage, transactions } = components
  const wanted = new Set(asked)
  let stored = 0
  components.db.transaction(() => {
    const results = lineage.publishBatch(raws, { replicated: true })
    const hashes: string[] = []
    results.forEach((r, i) => {
      if (r.error !== undefined) {
        if (FORGERIES.has(r.error.name)) throw new ForgedTransactionError(peerId, `item ${i}: ${r.error.message}`)
        components.log('a transaction from %s was not stored: %s', peerId, r.error.message)
        return
      }
      if (!wanted.has(r.hash)) throw new SyncProtocolError(peerId, `it sent transaction ${r.hash}, which was not asked for`)
      if (transactions.tokenKeyOf(r.hash) !== tokenKey) throw new SyncProtocolError(peerId, `it sent transaction ${r.hash} of another collection`)
      wanted.delete(r.hash)
      // Already held (gossip or another sync brought it meanwhile): nothing new, no receipt to wait for.
      if (r.known === true) return
      hashes.push(r.hash)
      stored++
    })
    components.onReplicated(hashes)
  })()
  return stored
}

async function closeQuietly (stream: Stream, _lp: LengthPrefixedStream<Stream>): Promise<void> {
  try {
    await stream.close({ signal: AbortSignal.timeout(SYNC_REQUEST_TIMEOUT_MS) })
  } catch {
    stream.abort(new Error('closing the sync stream failed'))
  }
}

/** Read through a function so the compiler does not assume a signal cannot abort between two checks. */
function isAborted (signal: AbortSignal | undefined): boolean {
  return signal?.aborted === true
}
