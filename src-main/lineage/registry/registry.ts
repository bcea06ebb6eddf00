import type { Logger } from '@libp2p/logger'
import type { Statement } from 'better-sqlite3'
import type { Store } from '../../store/index.js'
import { UnknownMetaContractError } from '../engine/index.js'
import { RegistryOwnerError, ReplayedRegistryWriteError } from './errors.js'
import { registryWriteHash, validateRegistryWrite } from './request.js'
import { verifyRegistryWrite } from './verify.js'

export interface RegistryComponents {
  store: Store
  /** Whether the node can run this meta contract (an entry may only name one it can). */
  hasContract(metaContractId: string): boolean
  log: Logger
}

/** A named, well-known meta contract; `public_key` is the owner, the only key that may change it. */
export interface RegistryEntry {
  registry_id: string
  registry_name: string
  meta_contract_id: string
  public_key: string
  /** Milliseconds since the epoch of the last accepted write. */
  updated_at: number
}

export interface RegistrySetResult {
  /** The write's hash: hex SHA-256 of its signed text. */
  hash: string
  /** True when this write created the entry (and made its signer the owner). */
  created: boolean
  entry: RegistryEntry
}

export interface Registry {
  /**
   * Applies a signed registry write: creates the entry (its signer becomes the owner) or, when
   * signed by the owner, changes its name and contract. Everything is checked before anything is
   * written, and the write log and the entry commit together.
   *
   * @throws InvalidRegistryRequestError, InvalidRegistrySignatureError, UnknownMetaContractError,
   * ReplayedRegistryWriteError, RegistryOwnerError; nothing is written
   */
  set(raw: unknown): RegistrySetResult
  get(registryId: string): RegistryEntry | undefined
  /** Every entry, by registry_id. */
  list(): RegistryEntry[]
}

const ENTRY_COLUMNS = 'registry_id, registry_name, meta_contract_id, owner_public_key AS public_key, updated_at'

class StoreRegistry implements Registry {
  private readonly entryById: Statement<[string], RegistryEntry>
  private readonly allEntries: Statement<[], RegistryEntry>
  private readonly nonceUsed: Statement<[string, string], string>
  private readonly insertWrite: Statement<[Record<string, string | number>]>
  private readonly upsertEntry: Statement<[Record<string, string | number>]>

  constructor (private readonly components: RegistryComponents) {
    const db = components.store.db
    this.entryById = db.prepare<[string], RegistryEntry>(`SELECT ${ENTRY_COLUMNS} FROM registry WHERE registry_id = ?`)
    this.allEntries = db.prepare<[], RegistryEntry>(`SELECT ${ENTRY_COLUMNS} FROM registry ORDER BY registry_id`)
    this.nonceUsed = db.prepare<[string, string], string>('SELECT hash FROM registry_writes WHERE public_key = ? AND nonce = ?').pluck()
    this.insertWrite = db.prepare<[Record<string, string | number>]>(`INSERT INTO registry_writes
      (hash, registry_id, registry_name, meta_contract_id, public_key, nonce, signature, timestamp)
      VALUES (@hash, @registry_id, @registry_name, @meta_contract_id, @public_key, @nonce, @signature, @timestamp)`)
    // The owner is set when the entry is created and never by an update.
    this.upsertEntry = db.prepare<[Record<string, string | number>]>(`INSERT INTO registry (registry_id, registry_name, meta_contract_id, owner_public_key, updated_at)
      VALUES (@registry_id, @registry_name, @meta_contract_id, @public_key, @timestamp)
      ON CONFLICT (registry_id) DO UPDATE SET registry_name = excluded.registry_name, meta_contract_id = excluded.meta_contract_id, updated_at = excluded.updated_at`)
  }

  set (raw: unknown): RegistrySetResult {
    const write = validateRegistryWrite(raw)
    const signer = verifyRegistryWrite(write)
    if (!this.components.hasContract(write.meta_contract_id)) throw new UnknownMetaContractError(write.meta_contract_id)
    const hash = registryWriteHash(write)
    const row = { ...write, public_key: signer, hash, timestamp: Date.now() }
    // Owner and nonce are read in the same transaction that writes: nothing can slip between.
    const created = this.components.store.db.transaction((): boolean => {
      const used = this.nonceUsed.get(signer, write.nonce)
      if (used !== undefined) throw new ReplayedRegistryWriteError(used)
      const existing = this.entryById.get(write.registry_id)
      if (existing !== undefined && existing.public_key !== signer) throw new RegistryOwnerError(write.registry_id, existing.public_key)
      this.insertWrite.run(row)
      this.upsertEntry.run(row)
      return existing === undefined
    }).immediate()
    const entry = this.get(write.registry_id) as RegistryEntry
    this.components.log('registry %s %s → %s by %s', write.registry_id, created ? 'created' : 'changed', write.meta_contract_id, signer)
    return { hash, created, entry }
  }

  get (registryId: string): RegistryEntry | undefined {
    return this.entryById.get(registryId)
  }

  list (): RegistryEntry[] {
    return this.allEntries.all()
  }
}

export function createRegistry (components: RegistryComponents): Registry {
  return new StoreRegistry(components)
}
