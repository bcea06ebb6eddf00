import type { Logger } from '@libp2p/logger'
import type { Statement } from 'better-sqlite3'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import type { ContractSandbox } from '../../marine/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import { readServiceInterface } from '../../../services/toolchain/index.js'
import { FORBIDDEN_CHARACTER } from '../signing/index.js'
import { CONTRACT_ID, MAX_QUOTED_ID_CHARS, REQUIRED_FUNCTIONS, RESERVED_CONTRACT_IDS } from './constants.js'
import { ContractIdError, NotAContractError } from './errors.js'


export interface ContractsComponents {
  store: Store
  blockstore: SqliteBlockstore
  sandbox: ContractSandbox
  log: Logger
}

export interface ContractsInit {
  /**
   * More ids no deployed contract may take, besides the built-in contracts and
   * RESERVED_CONTRACT_IDS: the node passes the service ids it hosts on Fluence.
   */
  reservedIds?: Iterable<string>
}

export interface ContractInfo {
  meta_contract_id: string
  /** CID (raw, sha2-256) of the Wasm module; "" for the built-in ones. */
  cid: string
  name: string
  builtin: boolean
  functions: string[]
  created_at: number
}

export interface Contracts {
  /** Loads every deployed contract into the sandbox (at node start). */
  loadDeployed(): Promise<number>
  /** Checks a module, runs it in the sandbox, then stores it by CID; refused modules change nothing. */
  deploy(id: string, wasm: Uint8Array, name?: string): Promise<ContractInfo>
  list(): ContractInfo[]
}

interface ContractRow { meta_contract_id: string, cid: string, name: string, builtin: number, created_at: number }

class StoredContracts implements Contracts {
  private readonly insert: Statement
  private readonly all: Statement
  private readonly byId: Statement

  /** Every reserved id (built-ins included) in its folded form (foldId), and the name it folds from. */
  private readonly reserved: Map<string, string>

  constructor (private readonly components: ContractsComponents, private readonly builtins: readonly string[], init: ContractsInit = {}) {
    this.reserved = new Map([...builtins, ...RESERVED_CONTRACT_IDS, ...(init.reservedIds ?? [])].map(id => [foldId(id), id]))
    const { db } = components.store
    this.insert = db.prepare('INSERT INTO meta_contracts (meta_contract_id, cid, name, owner_public_key, builtin, created_at) VALUES (?, ?, ?, NULL, 0, ?)')
    this.all = db.prepare('SELECT meta_contract_id, cid, name, builtin, created_at FROM meta_contracts ORDER BY meta_contract_id')
    this.byId = db.prepare('SELECT meta_contract_id FROM meta_contracts WHERE meta_contract_id = ?')
  }

  async loadDeployed (): Promise<number> {
    const rows = this.all.all() as ContractRow[]
    for (const row of rows) {
      const wasm = this.components.blockstore.getSync(CID.parse(row.cid))
      // A contract whose code is gone cannot judge anything; its collections get clear rejections.
      if (wasm === undefined) {
        this.components.log.error('deployed contract %s: its module %s is missing from the blockstore', row.meta_contract_id, row.cid)
        continue
      }
      // Run once when it was deployed: its instance is made on its first call.
      this.components.sandbox.register(row.meta_contract_id, wasm)
    }
    return rows.length
  }

  async deploy (id: string, wasm: Uint8Array, name = id): Promise<ContractInfo> {
    // Checked before the pattern, so "Keys", "keys " or full-width "ｋｅｙｓ" are named as what they imitate.
    const reserved = this.reserved.get(foldId(id))
    if (reserved !== undefined) {
      throw new ContractIdError(`"${quoteId(id)}" is reserved: ${reserved === id ? 'it is' : 'it reads as'} "${reserved}", ${this.builtins.includes(reserved) ? 'a contract built into the node' : 'a name of a service the node itself runs'}. Choose another id`)
    }
    if (!CONTRACT_ID.test(id)) throw new ContractIdError('use 1–64 characters of a–z, 0–9, ".", "_" or "-", starting with a letter or digit')
    if (this.byId.get(id) !== undefined) throw new ContractIdError(`"${id}" is taken; deployed contracts are immutable, so deploy a new version under a new id`)
    let functions: string[]
    try {
      functions = readServiceInterface(wasm).interfaces.exports.map(e => e.name)
    } catch (err) {
      throw new NotAContractError((err as Error).message)
    }
    const missing = REQUIRED_FUNCTIONS.filter(f => !functions.includes(f))
    if (missing.length > 0) throw new NotAContractError(`it does not export ${missing.join(', ')}`)

    // Loading runs the module (its start function included) under the sandbox's budgets.
    await this.components.sandbox.load(id, wasm)
    const cid = CID.createV1(raw.code, await sha256.digest(wasm))
    const createdAt = Date.now()
    try {
      this.components.store.db.transaction(() => {
        this.components.blockstore.putSync(cid, wasm)
        this.insert.run(id, cid.toString(), name, createdAt)
      })()
    } catch (err) {
      await this.components.sandbox.unload(id)
      throw err
    }
    this.components.log('deployed meta contract %s (%s)', id, cid.toString())
    return { meta_contract_id: id, cid: cid.toString(), name, builtin: false, functions: functions.filter(f => !RUNTIME_EXPORTS.has(f)), created_at: createdAt }
  }

  list (): ContractInfo[] {
    const deployed = (this.all.all() as ContractRow[]).map(row => ({ meta_contract_id: row.meta_contract_id, cid: row.cid, name: row.name, builtin: false, functions: [...REQUIRED_FUNCTIONS], created_at: row.created_at }))
    const builtin = this.builtins.map(id => ({ meta_contract_id: id, cid: '', name: id, builtin: true, functions: [...REQUIRED_FUNCTIONS], created_at: 0 }))
    return [...builtin, ...deployed]
  }
}

/** The Marine ABI's own exports, which every module has and no one calls as a service function. */
const RUNTIME_EXPORTS = new Set(['allocate', 'release_objects', 'get_result_size', 'get_result_ptr', 'set_result_size', 'set_result_ptr'])

/**
 * An id as a reader would take it: compatibility forms (full-width letters, ligatures) as their
 * plain letters, without spaces, control or invisible characters, in lower case.
 */
function foldId (id: string): string {
  return id.normalize('NFKC').replace(/[\p{Cc}\p{Cf}\p{Z}]/gu, '').toLowerCase()
}

/** A refused id repeated in its error: invisible and control characters escaped, cut. */
function quoteId (id: string): string {
  const cut = id.length > MAX_QUOTED_ID_CHARS ? `${id.slice(0, MAX_QUOTED_ID_CHARS)}…` : id
  return cut.replace(new RegExp(FORBIDDEN_CHARACTER.source, 'gu'), char => `\\u{${(char.codePointAt(0) ?? 0).toString(16)}}`)
}

export function createContracts (components: ContractsComponents, builtins: readonly string[], init: ContractsInit = {}): Contracts {
  return new StoredContracts(components, builtins, init)
}
