import type { Connection, Stream } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import { lpStream } from '@libp2p/utils'
import type { Libp2p } from 'libp2p'
import { SYNC_FETCH_PAGE, SYNC_LEAF_ITEMS, SYNC_MAX_KEYS_PER_ANSWER, SYNC_MAX_MESSAGE_BYTES, SYNC_MAX_REQUESTS_PER_STREAM, SYNC_MAX_STREAMS, SYNC_PROTOCOL, SYNC_REQUEST_TIMEOUT_MS, SYNC_SPLIT_FANOUT } from './constants.js'
import { decodeLength, decodeRequest, encodeMessage, isOversized } from './sync-messages.js'
import type { RangeAnswer, SyncAnswer, SyncRequest } from './sync-messages.js'
import { splitRange, summarize } from './tx-set.js'
import type { RangeSummary, TransactionSet } from './tx-set.js'

export interface SyncServerComponents {
  libp2p: Libp2p
  transactions: TransactionSet
  log: Logger
  /** A peer broke the protocol: the caller cuts it off. */
  onMisbehaviour(peerId: string, why: string): void
  /** Transactions not served for now (reveal on mint); the client's next sync asks again. */
  isHidden?(hash: string): boolean
}

/**
 * Answers sync requests on SYNC_PROTOCOL: summaries of ranges of a collection's transactions
 * (their keys, or a split into smaller ranges, for ranges that differ from the client's), and the
 * signed requests of transactions by hash. A stream carries many requests; malformed or oversized
 * ones end it and report the peer.
 */
export class SyncServer {
  private started = false

  constructor (private readonly components: SyncServerComponents) {}

  async start (): Promise<void> {
    if (this.started) return
    await this.components.libp2p.handle(SYNC_PROTOCOL, (stream, connection) => { void this.serve(stream, connection) }, {
      maxInboundStreams: SYNC_MAX_STREAMS,
      maxOutboundStreams: SYNC_MAX_STREAMS,
      // A node behind a NAT is reached through a relay, whose connections libp2p marks limited.
      runOnLimitedConnection: true,
    })
    this.started = true
  }

  async stop (): Promise<void> {
    if (!this.started) return
    this.started = false
    await this.components.libp2p.unhandle(SYNC_PROTOCOL)
  }

  private async serve (stream: Stream, connection: Connection): Promise<void> {
    const peer = connection.remotePeer.toString()
    const lp = lpStream(stream, { maxDataLength: SYNC_MAX_MESSAGE_BYTES, lengthDecoder: decodeLength })
    try {
      for (let served = 0; served < SYNC_MAX_REQUESTS_PER_STREAM; served++) {
        let bytes
        try {
          bytes = await lp.read({ signal: AbortSignal.timeout(SYNC_REQUEST_TIMEOUT_MS) })
        } catch (err) {
          // The client closed its side after its last request: the normal end of a sync. An
          // oversized prefix is misbehaviour even when the peer closed its side right after it.
          if (!isOversized(err) && (stream.remoteWriteStatus === 'closed' || stream.status !== 'open')) break
          throw err
        }
        let request: SyncRequest
        try {
          request = decodeRequest(bytes.subarray())
        } catch (err) {
          await lp.write(encodeMessage({ t: 'error', message: (err as Error).message }))
          this.components.onMisbehaviour(peer, (err as Error).message)
          break
        }
        await lp.write(encodeMessage(this.answer(request)), { signal: AbortSignal.timeout(SYNC_REQUEST_TIMEOUT_MS) })
      }
      await stream.close({ signal: AbortSignal.timeout(SYNC_REQUEST_TIMEOUT_MS) })
    } catch (err) {
      this.components.log('sync stream from %s ended: %s', peer, (err as Error).message)
      if (isOversized(err)) this.components.onMisbehaviour(peer, `sent a sync message over the size limit (${SYNC_MAX_MESSAGE_BYTES} bytes)`)
      stream.abort(err instanceof Error ? err : new Error(String(err)))
    }
  }

  answer (request: SyncRequest): SyncAnswer {
    if (request.t === 'get') {
      const transactions = request.hashes.slice(0, SYNC_FETCH_PAGE).flatMap(h => {
        const r = this.components.transactions.request(h)
        return r === undefined || this.components.isHidden?.(h) === true ? [] : [r]
      })
      return { t: 'transactions', transactions }
    }
    return { t: 'ranges', answers: this.answerRanges(request.token_key, request.ranges) }
  }

  /**
   * For each range whose summary differs from ours: our keys in it when they are few (or the
   * client holds none and they fit), else our split of it into smaller summarized ranges.
   */
  private answerRanges (tokenKey: string, ranges: RangeSummary[]): RangeAnswer[] {
    let budget = SYNC_MAX_KEYS_PER_ANSWER
    const answers: RangeAnswer[] = []
    for (const range of ranges) {
      const keys = this.components.transactions.keys(tokenKey, range)
      const ours = summarize(range, keys)
      if (ours.count === range.count && ours.fp === range.fp) continue
      const list = keys.length <= SYNC_LEAF_ITEMS || range.count === 0
      if (list && keys.length <= budget) {
        budget -= keys.length
        answers.push({ lo: range.lo, hi: range.hi, keys })
      } else {
        answers.push({ lo: range.lo, hi: range.hi, split: splitRange(range, keys, SYNC_SPLIT_FANOUT) })
      }
    }
    return answers
  }
}
