import fs from 'node:fs'
import path from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { Logger } from '@libp2p/logger'
import type { PrivateKey } from '@libp2p/interface'
import { IDENTITY_FILE, PRIVATE_FILE_MODE } from './constants.js'
import { IdentityError } from './errors.js'

export interface NodeIdentity {
  privateKey: PrivateKey
  /** The libp2p peer id string (12D3KooW…), the node's name on every network. */
  peerId: string
  created: boolean
}

/**
 * Loads the node's ed25519 key, creating it on first start. The file is written to a temporary
 * name with owner-only permissions and renamed, so a crash never leaves a half-written key.
 */
export async function loadOrCreateIdentity (dataDir: string, log: Logger): Promise<NodeIdentity> {
  const file = path.join(dataDir, IDENTITY_FILE)
  let bytes: Buffer | undefined
  try {
    bytes = fs.readFileSync(file)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new IdentityError(file, (err as Error).message)
  }

  if (bytes !== undefined) {
    restrictPermissions(file, log)
    let privateKey: PrivateKey
    try {
      privateKey = privateKeyFromProtobuf(bytes)
    } catch (err) {
      throw new IdentityError(file, `not a valid key: ${(err as Error).message}`)
    }
    if (privateKey.type !== 'Ed25519') throw new IdentityError(file, `expected an Ed25519 key, found ${privateKey.type}`)
    return { privateKey, peerId: peerIdFromPrivateKey(privateKey).toString(), created: false }
  }

  const privateKey = await generateKeyPair('Ed25519')
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 })
  const temp = `${file}.${process.pid}.tmp`
  fs.writeFileSync(temp, privateKeyToProtobuf(privateKey), { mode: PRIVATE_FILE_MODE, flag: 'wx' })
  fs.renameSync(temp, file)
  const peerId = peerIdFromPrivateKey(privateKey).toString()
  log('created node identity %s', peerId)
  return { privateKey, peerId, created: true }
}

/** A key readable by others is tightened rather than refused: the user's intent is clear. */
function restrictPermissions (file: string, log: Logger): void {
  if (process.platform === 'win32') return
  const mode = fs.statSync(file).mode & 0o777
  if ((mode & 0o077) !== 0) {
    fs.chmodSync(file, PRIVATE_FILE_MODE)
    log('identity %s was readable by others (mode %s); restricted to owner', file, mode.toString(8))
  }
}
