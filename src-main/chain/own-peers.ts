import { peerIdFromString } from '@libp2p/peer-id'
import type { Database, Statement } from 'better-sqlite3'
import { MAX_OWN_PEERS } from './constants.js'
import { InvalidChainInputError } from './errors.js'

/** The settings row holding the list (JSON text); no table of its own. */
const KEY = 'chain.reveal.own_peers'

/**
 * The owner's own nodes, by libp2p peer id: the only peers a copy of a hidden collection carries
 * its unminted tokens to (a second node of the same creator, which serves reveals too). Every
 * other peer's copy leaves them out. A peer is known by the key that signs its particles (the
 * copy's Aqua calls), so a peer id cannot be claimed by another node.
 */
export class OwnPeers {
  private readonly s: { get: Statement<[string], { value: string }>, put: Statement<[string, string, number]> }
  private peers: Set<string>

  constructor (db: Database) {
    this.s = {
      get: db.prepare('SELECT value FROM settings WHERE key = ?'),
      put: db.prepare('INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at'),
    }
    const row = this.s.get.get(KEY)
    this.peers = new Set(row === undefined ? [] : JSON.parse(row.value) as string[])
  }

  list (): string[] {
    return [...this.peers].sort()
  }

  has (peerId: string): boolean {
    return this.peers.has(peerId)
  }

  /** Replaces the list. Throws InvalidChainInputError naming the field; nothing changes then. */
  set (input: unknown): string[] {
    if (!Array.isArray(input) || input.length > MAX_OWN_PEERS) throw new InvalidChainInputError('peer_ids', `must be a list of at most ${MAX_OWN_PEERS} peer ids`)
    const peers = input.map((value: unknown, i) => {
      try {
        if (typeof value !== 'string') throw new TypeError('not text')
        return peerIdFromString(value).toString()
      } catch {
        throw new InvalidChainInputError('peer_ids', `holds at position ${i + 1} something that is not a libp2p peer id (12D3KooW… or Qm…, as node_info shows it)`)
      }
    })
    this.s.put.run(KEY, JSON.stringify([...new Set(peers)].sort()), Date.now())
    this.peers = new Set(peers)
    return this.list()
  }
}
