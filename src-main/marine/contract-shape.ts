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
 * on_execute's arguments fitted to the contract's Transaction record (Marine refuses a record
 * with a field more or less than it declares): the chain facts taken out for a contract built
 * with the original's 15 fields, and, for one that declares them, set to "unwatched" and "" when
 * a caller (an Aqua call, an old client) gave none, which is what they mean: nothing is known.
 */
export function fitChainFacts (fn: string, args: ContractArgs, chainAware: boolean): ContractArgs {
  if (fn !== 'on_execute') return args
  const transaction = Array.isArray(args) ? args[2] : args.transaction
  if (typeof transaction !== 'object' || transaction === null || Array.isArray(transaction)) return args
  const record = transaction as Record<string, unknown>
  const present = CHAIN_FACT_FIELDS.filter(f => f in record).length
  if (chainAware ? present === CHAIN_FACT_FIELDS.length : present === 0) return args
  const fitted: Record<string, unknown> = { ...record }
  if (chainAware) {
    fitted.token_state ??= 'unwatched'
    fitted.token_owner ??= ''
  } else {
    for (const field of CHAIN_FACT_FIELDS) Reflect.deleteProperty(fitted, field)
  }
  if (Array.isArray(args)) return args.map((arg, i) => i === 2 ? fitted : arg)
  return { ...args, transaction: fitted }
}
