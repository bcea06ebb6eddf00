import type { Logger } from '@libp2p/logger'
import type { Statement } from 'better-sqlite3'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import type { ContractSandbox } from '../../marine/index.js'
import type { SqliteBlockstore, Store } from '../../store/index.js'
import { readServiceInterface } from '../../../services/toolchain/index.js'
import { ContractIdError, NotAContractError } from './errors.js'

/** What the validator calls; a module without all three is not a contract. */
const REQUIRED_FUNCTIONS = ['on_execute', 'on_mint', 'on_clone'] as const
/** Contract ids: short, printable, stable in URLs and signed text. */
const CONTRACT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/

export interface ContractsComponents {
  store: Store
  blockstore: SqliteBlockstore
  sandbox: ContractSandbox
  log: Logger
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

  constructor (private readonly components: ContractsComponents, private readonly builtins: readonly string[]) {
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
      await this.components.sandbox.load(row.meta_contract_id, wasm)
    }
    return rows.length
  }

  async deploy (id: string, wasm: Uint8Array, name = id): Promise<ContractInfo> {
    if (!CONTRACT_ID.test(id)) throw new ContractIdError('use 1–64 characters of a–z, 0–9, ".", "_" or "-", starting with a letter or digit')
    if (this.builtins.includes(id) || this.byId.get(id) !== undefined) throw new ContractIdError(`"${id}" is taken; deployed contracts are immutable, so deploy a new version under a new id`)
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

export function createContracts (components: ContractsComponents, builtins: readonly string[]): Contracts {
  return new StoredContracts(components, builtins)
}
