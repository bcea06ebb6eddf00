import type { Database, Statement } from 'better-sqlite3'

export interface FollowRow {
  token_key: string
  chain_id: string
  token_address: string
  /** 1 when followed because this node wrote to the collection. */
  auto: number
  added_at: number
  synced_at: number | null
}

/** The collections this node replicates, and the peers it dials at every start. Prepared statements over migration 6's tables. */
export class FollowBook {
  private readonly insert: Statement
  private readonly remove: Statement
  private readonly all: Statement
  private readonly one: Statement
  private readonly synced: Statement
  private readonly addPeer: Statement
  private readonly removePeer: Statement
  private readonly allPeers: Statement
  private readonly seenPeer: Statement

  constructor (db: Database) {
    this.insert = db.prepare('INSERT INTO follows (token_key, chain_id, token_address, auto, added_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT (token_key) DO NOTHING')
    this.remove = db.prepare('DELETE FROM follows WHERE token_key = ?')
    this.all = db.prepare('SELECT * FROM follows ORDER BY added_at, token_key')
    this.one = db.prepare('SELECT * FROM follows WHERE token_key = ?')
    this.synced = db.prepare('UPDATE follows SET synced_at = ? WHERE token_key = ?')
    this.addPeer = db.prepare('INSERT INTO peers (peer_id, address, added_at) VALUES (?, ?, ?) ON CONFLICT (peer_id) DO UPDATE SET address = excluded.address')
    this.removePeer = db.prepare('DELETE FROM peers WHERE peer_id = ?')
    this.allPeers = db.prepare('SELECT * FROM peers ORDER BY added_at')
    this.seenPeer = db.prepare('UPDATE peers SET last_seen = ? WHERE peer_id = ?')
  }

  /** True if the collection was not followed before. */
  follow (tokenKey: string, chainId: string, tokenAddress: string, auto: boolean, now: number): boolean {
    return this.insert.run(tokenKey, chainId, tokenAddress, auto ? 1 : 0, now).changes > 0
  }

  unfollow (tokenKey: string): boolean {
    return this.remove.run(tokenKey).changes > 0
  }

  list (): FollowRow[] {
    return this.all.all() as FollowRow[]
  }

  get (tokenKey: string): FollowRow | undefined {
    return this.one.get(tokenKey) as FollowRow | undefined
  }

  markSynced (tokenKey: string, now: number): void {
    this.synced.run(now, tokenKey)
  }

  rememberPeer (peerId: string, address: string, now: number): void {
    this.addPeer.run(peerId, address, now)
  }

  forgetPeer (peerId: string): boolean {
    return this.removePeer.run(peerId).changes > 0
  }

  peers (): Array<{ peer_id: string, address: string, added_at: number, last_seen: number | null }> {
    return this.allPeers.all() as Array<{ peer_id: string, address: string, added_at: number, last_seen: number | null }>
  }

  peerSeen (peerId: string, now: number): void {
    this.seenPeer.run(now, peerId)
  }
}
