import fs from 'node:fs'
import path from 'node:path'
import { pathToFileURL } from 'node:url'
import type { LineageAqua } from './aqua-types.js'
import { AquaBuildMissingError } from './errors.js'

export type AquaVariant = 'relay' | 'direct'

/** Both compiled variants of the node's Aqua API. */
export interface AquaApi {
  /** For calls through a relay (the caller's relay hops are in the AIR). */
  relay: LineageAqua
  /** For calls to a peer this node is connected to (compiled with noRelay). */
  direct: LineageAqua
}

const FUNCTIONS = ['node_info', 'ping', 'data_key', 'publish', 'get_metadata', 'get_slot', 'get_history', 'list_collection', 'list_pins', 'copy_open', 'copy_chunk', 'registerLineageNode', 'registerLineage', 'registerLineageCopy'] as const

async function loadVariant (aquaDir: string, variant: AquaVariant): Promise<LineageAqua> {
  const file = path.join(aquaDir, variant, 'lineage.js')
  if (!fs.existsSync(file)) throw new AquaBuildMissingError(file)
  // Build output, loaded like the Wasm services. It imports @fluencelabs/js-client by name,
  // which resolves to the same copy as ./internals.ts.
  const module = await import(pathToFileURL(file).href) as Record<string, unknown>
  for (const name of FUNCTIONS) if (typeof module[name] !== 'function') throw new AquaBuildMissingError(`${file}: ${name}`)
  return module as unknown as LineageAqua
}

/** Loads dist/aqua/{relay,direct}/lineage.js, checking that every function the node uses is there. */
export async function loadAquaApi (aquaDir: string): Promise<AquaApi> {
  const [relay, direct] = await Promise.all([loadVariant(aquaDir, 'relay'), loadVariant(aquaDir, 'direct')])
  return { relay, direct }
}
