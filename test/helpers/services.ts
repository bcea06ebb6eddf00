import fs from 'node:fs'
import path from 'node:path'
import { repoRoot } from './processes.js'

/** A built Marine service from dist/services (npm test builds them before the tests run). */
export function builtService (name: string): Uint8Array {
  const file = path.join(repoRoot, 'dist', 'services', `${name}.wasm`)
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`)
  return new Uint8Array(fs.readFileSync(file))
}
