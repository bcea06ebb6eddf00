import type { Database, Statement } from 'better-sqlite3'
import type { KeyDerivation } from '../engine/index.js'
import type { CollectionRef } from '../tokens/index.js'
import { ledgerReads, UnknownCollectionError } from '../tokens/index.js'
import { MAX_COLLECTION_NAME } from './constants.js'
import { BrowseQueryError } from './errors.js'

/** The display name and image a creator gave a collection on this node; kept locally, never signed or sent. */
export interface CollectionProfile {
  token_key: string
  chain_id: string
  token_address: string
  /** '' when the creator has not named it. */
  name: string
  /** An ipfs:// (or https://) address; '' for none. */
  image: string
  updated_at: number
}

export interface CollectionProfiles {
  list(): CollectionProfile[]
  /** Sets (or with name and image both '', clears) a collection's profile. Throws UnknownCollectionError, BrowseQueryError. */
  set(collection: CollectionRef, profile: { name: string, image: string }): CollectionProfile | null
}

/** Images a profile may name: content on IPFS, or an https:// address (shown only as the image settings allow). */
const IMAGE_PATTERN = /^(ipfs:\/\/[A-Za-z0-9]+(\/[^\s]*)?|https:\/\/[^\s]+)$/

class StoreProfiles implements CollectionProfiles {
  private readonly all: Statement<[], CollectionProfile>
  private readonly binding: Statement<[string], { chain_id: string, token_address: string }>
  private readonly upsert: Statement<[string, string, string, string, string, number]>
  private readonly remove: Statement<[string]>
  private readonly one: Statement<[string], CollectionProfile>

  constructor (db: Database, private readonly keys: KeyDerivation) {
    this.all = db.prepare('SELECT token_key, chain_id, token_address, name, image, updated_at FROM collection_profiles ORDER BY name, token_key')
    this.one = db.prepare('SELECT token_key, chain_id, token_address, name, image, updated_at FROM collection_profiles WHERE token_key = ?')
    this.binding = ledgerReads(db).boundCollection
    this.upsert = db.prepare(`INSERT INTO collection_profiles (token_key, chain_id, token_address, name, image, updated_at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (token_key) DO UPDATE SET name = excluded.name, image = excluded.image, updated_at = excluded.updated_at`)
    this.remove = db.prepare('DELETE FROM collection_profiles WHERE token_key = ?')
  }

  list (): CollectionProfile[] {
    return this.all.all()
  }

  set (collection: CollectionRef, profile: { name: string, image: string }): CollectionProfile | null {
    const tokenKey = 'token_key' in collection ? collection.token_key : this.keys.tokenKey(collection.chain_id, collection.token_address)
    const name = profile.name.trim()
    const image = profile.image.trim()
    if (name.length > MAX_COLLECTION_NAME) throw new BrowseQueryError('name', `a collection's name holds at most ${MAX_COLLECTION_NAME} characters`)
    if (image !== '' && !IMAGE_PATTERN.test(image)) throw new BrowseQueryError('image', 'give an ipfs:// address (or an https:// one), or leave it empty')
    const bound = this.binding.get(tokenKey)
    if (bound === undefined) throw new UnknownCollectionError(tokenKey)
    if (name === '' && image === '') {
      this.remove.run(tokenKey)
      return null
    }
    this.upsert.run(tokenKey, bound.chain_id, bound.token_address, name, image, Date.now())
    return this.one.get(tokenKey) ?? null
  }
}

export function createCollectionProfiles (db: Database, keys: KeyDerivation): CollectionProfiles {
  return new StoreProfiles(db, keys)
}
