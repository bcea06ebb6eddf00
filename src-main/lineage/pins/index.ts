/**
 * Pins and garbage collection. A pin is one row of the `pins` table naming a block this node
 * holds, with everything it links to when recursive (for a version block: its whole history).
 * GC deletes every block that no pin, no slot head (a node never loses current metadata) and no
 * deployed meta contract reaches, reports each freed block, and can be dry-run and cancelled.
 * Given a `fetchBlock` (the node wires bitswap), pinning a CID this node lacks fetches it and,
 * recursively, everything it links to, checking each block against its CID before storing it;
 * without one (offline), pins cover only blocks already stored here.
 *
 * @example
 * ```ts
 * const pins = createPins({ store, blockstore, log: logger.forComponent('lineage:pins'), fetchBlock: (cid, o) => bitswap.want(cid, o) })
 * await pins.add('bafyrei…', { name: 'Milady #1', onProgress: e => console.log(e.blocks) })
 * await pins.addToken({ data_key })        // every slot head of a token, with history
 * pins.ls()                                // [{ cid, recursive, name, created_at, blocks, bytes }]
 * const preview = await pins.gc({ dryRun: true })   // { freed: ['bafk…'], bytes: 1234 }, nothing deleted
 * await pins.gc({ signal, onProgress: e => console.log(e.phase, e.checked, e.freed) })
 * pins.rm('bafyrei…')
 * ```
 */
import { SqlitePins } from './pins.js'
import type { Pins, PinsComponents, PinsInit } from './pins.js'

export function createPins (components: PinsComponents, init: PinsInit = {}): Pins {
  return new SqlitePins(components, init)
}

export type { AddPinOptions, Pin, PinRecord, Pins, PinsComponents, PinsInit, TokenPinTarget } from './pins.js'
export type { GcOptions, GcResult } from './gc.js'
export type { FetchBlock } from './fetch.js'
export type { GcProgressEvent, GcProgressOptions, PinProgressEvent, PinProgressOptions } from './progress.js'
export { toCid } from './cid.js'
export * from './constants.js'
export * from './errors.js'
