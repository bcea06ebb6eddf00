// `lineage-node contract build <dir>`: builds a user's meta contract and checks it implements the
// interface the validator calls (lineage-protocol.md, "Meta contract interface").
import path from 'node:path'
import { buildServiceBytes, writeBuilt } from './service-build.js'
import type { BuiltService } from './service-build.js'
import { ServiceBuildError } from './errors.js'
import { describeType } from './service-interface.js'
import type { ServiceFunction, ServiceInterface } from './service-interface.js'

/** Each function the validator calls, as name → expected Marine signature. */
export const CONTRACT_FUNCTIONS: Readonly<Record<string, string>> = {
  on_execute: '(contract: MetaContract, metadatas: []Metadata, transaction: Transaction) -> MetaContractResult',
  on_mint: '(contract: MetaContract, data_key: string, token_id: string, data: string) -> MetaContractResult',
  on_clone: '() -> bool',
}

/** Field lists the validator fills and reads, so a contract with a changed copy of a record is refused. */
const CONTRACT_RECORDS: Readonly<Record<string, string>> = {
  MetaContract: 'hash: string, token_key: string, meta_contract_id: string, public_key: string, cid: string',
  Metadata:
    'hash: string, token_key: string, data_key: string, meta_contract_id: string, token_id: string, alias: string, cid: string, ' +
    'public_key: string, version: string, loose: s64',
  Transaction:
    'hash: string, method: string, meta_contract_id: string, data_key: string, token_key: string, data: string, public_key: string, ' +
    'alias: string, timestamp: u64, chain_id: string, token_address: string, token_id: string, version: string, status: s64, mcdata: string, ' +
    'token_state: string, token_owner: string',
  FinalMetadata: 'public_key: string, alias: string, content: string, loose: s64, version: string',
  MetaContractResult: 'result: bool, metadatas: []FinalMetadata, error_string: string',
}

/** The original network's Transaction: the node's record without the chain facts. */
const ORIGINAL_TRANSACTION =
  'hash: string, method: string, meta_contract_id: string, data_key: string, token_key: string, data: string, public_key: string, ' +
  'alias: string, timestamp: u64, chain_id: string, token_address: string, token_id: string, version: string, status: s64, mcdata: string'

function signature(fn: ServiceFunction): string {
  const args = fn.args.map((a) => `${a.name}: ${describeType(a.type)}`).join(', ')
  return `(${args}) -> ${fn.output === null ? 'void' : describeType(fn.output)}`
}

export function checkContractInterface(service: ServiceInterface): void {
  for (const [name, expected] of Object.entries(CONTRACT_FUNCTIONS)) {
    const fn = service.functions.find((f) => f.name === name)
    if (fn === undefined) throw new ServiceBuildError(`a meta contract must export ${name}${expected}`)
    const actual = signature(fn)
    if (actual !== expected) throw new ServiceBuildError(`${name} must be ${name}${expected}, found ${name}${actual}`)
  }
  for (const record of service.records) {
    const expected = CONTRACT_RECORDS[record.name]
    if (expected === undefined) continue
    const actual = record.fields.map((f) => `${f.name}: ${describeType(f.type)}`).join(', ')
    // The original network's Transaction (without the chain facts) is accepted too: the node gives it that record.
    if (record.name === 'Transaction' && actual === ORIGINAL_TRANSACTION) continue
    if (actual !== expected) throw new ServiceBuildError(`record ${record.name} must be {${expected}}, found {${actual}}`)
  }
}

export interface BuildContractOptions {
  /** Folder holding `assembly/index.ts` (see services/template/). */
  dir: string
  /** Defaults to `<dir>/build/<folder name>.wasm`. */
  outFile?: string
}

export async function buildContract(options: BuildContractOptions): Promise<BuiltService> {
  const dir = path.resolve(options.dir)
  const outFile = options.outFile ?? path.join(dir, 'build', `${path.basename(dir)}.wasm`)
  const built = await buildServiceBytes(dir)
  checkContractInterface(built.service)
  return writeBuilt(built, outFile)
}
