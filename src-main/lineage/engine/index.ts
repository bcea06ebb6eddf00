/**
 * The Lineage engine: signed transactions in, meta-contract-approved versions out. `publish`
 * checks a request completely and stores it as pending; the validator applies pending
 * transactions through the governing contract (in the Marine sandbox) and commits blocks, slot
 * heads and the receipt together. Whatever order transactions arrive in (`publishBatch(raws,
 * { replicated: true })` from peers), the result is that of canonical (timestamp, hash) order:
 * a late one rewinds its token or collection (convergence.ts, event 'rewound').
 *
 * @example
 * ```ts
 * const lineage = createLineage({ store, blockstore, sandbox, keys, log })
 * lineage.start()
 * const { hash } = lineage.publish(signedRequest)
 * lineage.once('applied', outcome => console.log(outcome.heads))
 * ```
 */
import { Lineage } from './engine.js'
import type { LineageComponents } from './engine.js'

export function createLineage (components: LineageComponents): Lineage {
  return new Lineage(components)
}

export { Lineage } from './engine.js'
export type { KeyDerivation, LineageComponents, LineageEvents, PublishOptions, PublishResult, SlotKey, SlotVersion, SlotWithContent } from './engine.js'
export type { Outcome } from './validator.js'
export type { Rewind } from './convergence.js'
export type { DryRunResult, MetadataCandidate } from './dry-run.js'
export type * from './records.js'
export * from './errors.js'
export type { MintEffects, MintEvent, MintWriter } from './mint-writes.js'
