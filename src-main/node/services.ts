import fs from 'node:fs'
import path from 'node:path'
import { sha256 } from '@noble/hashes/sha2.js'
import { bytesToHex } from '@noble/hashes/utils.js'
import { ServicesMissingError } from './errors.js'

/** Reads one built Marine service, or says plainly that the build is missing. */
export function readService (servicesDir: string, name: string): Uint8Array {
  const file = path.join(servicesDir, `${name}.wasm`)
  try {
    return new Uint8Array(fs.readFileSync(file))
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new ServicesMissingError(file)
    throw err
  }
}

/** The formatter build's id, as the gateway keeps documents under it: another build's are made again. */
export function formatterIdOf (formatterWasm: Uint8Array): string {
  return bytesToHex(sha256(formatterWasm)).slice(0, 32)
}
