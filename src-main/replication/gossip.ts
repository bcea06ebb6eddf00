import * as dagCbor from '@ipld/dag-cbor'
import { TopicValidatorResult } from '@libp2p/gossipsub'
import type { GossipSub, Message } from '@libp2p/gossipsub'
import type { PeerId } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import { encodeTransactionBlock } from '../lineage/archive/index.js'
import type { Lineage } from '../lineage/engine/index.js'
import { GOSSIP_MAX_MESSAGE_BYTES } from '../p2p/index.js'
import { checkSignedTransaction } from '../lineage/signing/index.js'
import type { TransactionRequest } from '../lineage/signing/index.js'
import { GOSSIP_MAX_MESSAGES_PER_SECOND, GOSSIP_RATE_WINDOW_MS, GOSSIP_TOPIC_PREFIX } from './constants.js'
import type { TransactionSet } from './tx-set.js'

export interface GossipComponents {
  pubsub: GossipSub
  lineage: Lineage
  transactions: TransactionSet
  log: Logger
  onReplicated(hashes: string[]): void
  onMisbehaviour(peerId: string, why: string): void
}

/** The flood limit; tests lower it so a flood takes a few messages rather than thousands. */
export interface GossipInit {
  /** Messages one peer may send per second, averaged over rateWindowMs (default GOSSIP_MAX_MESSAGES_PER_SECOND). */
  maxMessagesPerSecond?: number
  /** Default GOSSIP_RATE_WINDOW_MS. */
  rateWindowMs?: number
}

export function topicOf (tokenKey: string): string {
  return `${GOSSIP_TOPIC_PREFIX}${tokenKey}`
}

/**
 * New transactions of followed collections, announced and heard on one gossipsub topic per
 * collection. A message is one signed request (the same dag-cbor block a transaction archive
 * holds). Heard ones are checked (signature, collection of the topic) before gossipsub forwards
 * them, and stored in batches; a forged one or a flood gets the sender cut off.
 */
export class Gossip {
  private readonly queue: unknown[] = []
  private flushing: NodeJS.Immediate | undefined
  private readonly rates = new Map<string, { since: number, count: number }>()
  private readonly topics = new Set<string>()
  private readonly validate = (peer: PeerId, message: Message): TopicValidatorResult => this.check(peer.toString(), message)

  private readonly maxPerSecond: number
  private readonly windowMs: number

  constructor (private readonly components: GossipComponents, init: GossipInit = {}) {
    this.maxPerSecond = init.maxMessagesPerSecond ?? GOSSIP_MAX_MESSAGES_PER_SECOND
    this.windowMs = init.rateWindowMs ?? GOSSIP_RATE_WINDOW_MS
  }

  subscribe (tokenKey: string): void {
    const topic = topicOf(tokenKey)
    if (this.topics.has(topic)) return
    this.topics.add(topic)
    this.components.pubsub.topicValidators.set(topic, this.validate)
    this.components.pubsub.subscribe(topic)
  }

  unsubscribe (tokenKey: string): void {
    const topic = topicOf(tokenKey)
    if (!this.topics.delete(topic)) return
    this.components.pubsub.unsubscribe(topic)
    this.components.pubsub.topicValidators.delete(topic)
  }

  stop (): void {
    for (const topic of [...this.topics]) this.unsubscribe(topic.slice(GOSSIP_TOPIC_PREFIX.length))
    if (this.flushing !== undefined) clearImmediate(this.flushing)
    this.flush()
  }

  /** Whether any connected peer follows the collection's topic. */
  hasListeners (tokenKey: string): boolean {
    return this.components.pubsub.getSubscribers(topicOf(tokenKey)).length > 0
  }

  /** Announces a transaction to the peers following its collection (none listening: nothing sent; sync will catch them up). */
  announce (tokenKey: string, request: TransactionRequest): void {
    const topic = topicOf(tokenKey)
    if (!this.hasListeners(tokenKey)) return
    this.components.pubsub.publish(topic, encodeTransactionBlock(request).bytes).catch(err => {
      this.components.log('announcing on %s failed: %s', topic, (err as Error).message)
    })
  }

  private check (peer: string, message: Message): TopicValidatorResult {
    if (this.flooding(peer)) {
      this.components.onMisbehaviour(peer, `sent more than ${this.maxPerSecond} gossip messages a second`)
      return TopicValidatorResult.Reject
    }
    if (message.data.length > GOSSIP_MAX_MESSAGE_BYTES) {
      this.components.onMisbehaviour(peer, `gossiped a message of ${message.data.length} bytes; the limit is ${GOSSIP_MAX_MESSAGE_BYTES}`)
      return TopicValidatorResult.Reject
    }
    let raw: unknown
    let hash: string
    try {
      raw = dagCbor.decode(message.data)
      const checked = checkSignedTransaction(raw)
      hash = checked.hash
      if (topicOf(this.components.lineage.tokenKey(checked.request.chain_id, checked.request.token_address)) !== message.topic) throw new Error('it belongs to another collection than its topic')
    } catch (err) {
      this.components.onMisbehaviour(peer, `gossiped a transaction that does not check: ${(err as Error).message}`)
      return TopicValidatorResult.Reject
    }
    if (this.components.transactions.has(hash)) return TopicValidatorResult.Ignore
    this.components.onReplicated([hash])
    this.queue.push(raw)
    this.flushing ??= setImmediate(() => { this.flushing = undefined; this.flush() })
    return TopicValidatorResult.Accept
  }

  /** Stores what was heard since the last flush in one batch (one commit for many messages). */
  private flush (): void {
    const raws = this.queue.splice(0)
    if (raws.length === 0) return
    try {
      const results = this.components.lineage.publishBatch(raws, { replicated: true })
      for (const r of results) if (r.error !== undefined && r.error.name !== 'ReplayedTransactionError') this.components.log('a gossiped transaction was not stored: %s', r.error.message)
    } catch (err) {
      this.components.log.error('storing %d gossiped transactions failed: %e', raws.length, err)
    }
  }

  private flooding (peer: string, now = Date.now()): boolean {
    let rate = this.rates.get(peer)
    if (rate === undefined || now - rate.since > this.windowMs) {
      rate = { since: now, count: 0 }
      this.rates.set(peer, rate)
    }
    rate.count++
    return rate.count > this.maxPerSecond * this.windowMs / 1000
  }
}
