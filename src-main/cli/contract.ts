import path from 'node:path'
import { buildContract } from '../../services/toolchain/builder/index.js'
import type { Output } from './start.js'

/** Builds a meta contract folder (see services/template/) into a .wasm Marine loads. */
export async function runContractBuild (dir: string, options: { out?: string }, output: Output): Promise<void> {
  const built = await buildContract({ dir, ...(options.out === undefined ? {} : { outFile: path.resolve(options.out) }) })
  output.out(`Built ${built.wasmPath} (${built.wasm.length} bytes): ${built.service.functions.map(f => f.name).join(', ')}`)
}
