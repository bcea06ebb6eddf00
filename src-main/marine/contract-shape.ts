import { readServiceInterface } from '../../services/toolchain/index.js'
import type { ContractArgs } from './sandbox.js'

/** The fields a contract's `Transaction` record adds to the original's to receive the chain facts. */
export const CHAIN_FACT_FIELDS = ['token_state', 'token_owner'] as const

/**
 * Whether a contract's `Transaction` record declares the chain facts (services/contract-sdk):
 * Marine matches a record's fields exactly, so a contract built for the original interface is
 * given the original record, and one built with these fields is given them too.
 */
export function takesChainFacts (wasm: Uint8Array): boolean {
  try {
    const { interfaces } = readServiceInterface(wasm)
    const record = interfaces.types.find(t => t.kind === 'record' && t.name === 'Transaction')
    if (record === undefined || record.kind !== 'record') return false
    const names = record.fields.map(f => f.name)
    return CHAIN_FACT_FIELDS.every(f => names.includes(f))
  } catch {
    return false
  }
}

/**
 * The arguments for a contract whose Transaction is the original's: the chain facts taken out of
 * the records that carry them (Marine refuses a record with fields it does not declare).
 */
export function withoutChainFacts (args: ContractArgs): ContractArgs {
  if (!Array.isArray(args) || !args.some(isFactRecord)) return args
  return args.map(arg => {
    if (!isFactRecord(arg)) return arg
    const rest = { ...(arg as Record<string, unknown>) }
    for (const field of CHAIN_FACT_FIELDS) Reflect.deleteProperty(rest, field)
    return rest
  }) as ContractArgs
}

function isFactRecord (arg: unknown): boolean {
  return typeof arg === 'object' && arg !== null && !Array.isArray(arg) && 'token_state' in arg && 'token_owner' in arg
}
