import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import { SECRET_FILE_MODE, SECRET_KEY_BYTES, SECRET_NONCE_BYTES, SECRET_TAG_BYTES, SECRETS_KEY_FILE } from './constants.js'
import { SecretFileError } from './errors.js'
import type { SecretCipher } from './types.js'

/** The key file's 32 bytes, created (exclusively, owner-only) on first use. */
function loadOrCreateKey (file: string): Buffer {
  try {
    const key = fs.readFileSync(file)
    if (key.length !== SECRET_KEY_BYTES) throw new SecretFileError(file, `the key is ${key.length} bytes, not ${SECRET_KEY_BYTES}`)
    return key
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
  }
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 })
  const key = randomBytes(SECRET_KEY_BYTES)
  // 'wx': a key another process made first wins, and both then read the same one.
  try {
    fs.writeFileSync(file, key, { mode: SECRET_FILE_MODE, flag: 'wx' })
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return loadOrCreateKey(file)
    throw err
  }
  return key
}

/**
 * Seals with AES-256-GCM under a random key kept in `credentials.key` (0600) next to the
 * credentials file. It keeps tokens out of the database, its WAL and every copy of them (backups,
 * a database attached to a bug report); it does not hide them from someone who can read the data
 * dir as its owner, which only an OS keychain does (the desktop app's cipher).
 */
export function keyFileCipher (dir: string): SecretCipher {
  const file = path.join(dir, SECRETS_KEY_FILE)
  let key: Buffer | undefined
  const keyOf = (): Buffer => (key ??= loadOrCreateKey(file))
  return {
    kind: 'key-file',
    seal (text) {
      const nonce = randomBytes(SECRET_NONCE_BYTES)
      const cipher = createCipheriv('aes-256-gcm', keyOf(), nonce)
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()])
      return new Uint8Array(Buffer.concat([nonce, body, cipher.getAuthTag()]))
    },
    open (sealed) {
      const bytes = Buffer.from(sealed)
      if (bytes.length < SECRET_NONCE_BYTES + SECRET_TAG_BYTES) return undefined
      const decipher = createDecipheriv('aes-256-gcm', keyOf(), bytes.subarray(0, SECRET_NONCE_BYTES))
      decipher.setAuthTag(bytes.subarray(bytes.length - SECRET_TAG_BYTES))
      try {
        return Buffer.concat([decipher.update(bytes.subarray(SECRET_NONCE_BYTES, bytes.length - SECRET_TAG_BYTES)), decipher.final()]).toString('utf8')
      } catch {
        return undefined
      }
    },
  }
}
