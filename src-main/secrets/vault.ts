import fs from 'node:fs'
import path from 'node:path'
import { MAX_SECRETS_FILE_BYTES, SECRET_FILE_MODE, SECRETS_FILE } from './constants.js'
import { SecretCipherUnavailableError, SecretFileError, SecretMissingError, SecretOpenError } from './errors.js'
import { keyFileCipher } from './key-file-cipher.js'
import type { SecretCipher, SecretVault } from './types.js'

interface Entry { cipher: string, sealed: string }
interface SecretsFile { version: 1, entries: Record<string, Entry> }

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/

function readSecrets (file: string): SecretsFile {
  let text: string
  try {
    if (fs.statSync(file).size > MAX_SECRETS_FILE_BYTES) throw new SecretFileError(file, `larger than ${MAX_SECRETS_FILE_BYTES} bytes`)
    text = fs.readFileSync(file, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} }
    throw err
  }
  let parsed: Partial<SecretsFile> | null
  try {
    parsed = JSON.parse(text) as Partial<SecretsFile> | null
  } catch {
    throw new SecretFileError(file, 'it is not JSON')
  }
  const entries = parsed?.entries
  const valid = parsed?.version === 1 && typeof entries === 'object' && entries !== null &&
    Object.values(entries).every(e => typeof e?.cipher === 'string' && typeof e.sealed === 'string' && BASE64.test(e.sealed))
  if (!valid) throw new SecretFileError(file, 'it is not a credentials file')
  // No prototype: an id is never taken for an inherited property.
  return { version: 1, entries: Object.assign(Object.create(null) as Record<string, Entry>, entries) }
}

/** Replaces the file at once (a crash leaves the old one or the new one), owner-only from its first byte. */
function writeSecrets (file: string, secrets: SecretsFile): void {
  const temp = `${file}.${process.pid}.tmp`
  fs.rmSync(temp, { force: true })
  const fd = fs.openSync(temp, 'wx', SECRET_FILE_MODE)
  try {
    fs.writeFileSync(fd, JSON.stringify(secrets, null, 2) + '\n')
    fs.fsyncSync(fd)
  } finally {
    fs.closeSync(fd)
  }
  fs.renameSync(temp, file)
}

class FileSecretVault implements SecretVault {
  readonly path: string
  private readonly ciphers = new Map<string, SecretCipher>()
  private readonly opened = new Map<string, string>()

  constructor (dir: string, private readonly cipher: SecretCipher) {
    this.path = path.join(dir, SECRETS_FILE)
    // Entries sealed by the key file stay readable when an OS keychain seals the new ones.
    const fallback = keyFileCipher(dir)
    this.ciphers.set(fallback.kind, fallback)
    this.ciphers.set(cipher.kind, cipher)
  }

  get (id: string): string | undefined {
    const known = this.opened.get(id)
    if (known !== undefined) return known
    const entry = readSecrets(this.path).entries[id]
    if (entry === undefined) return undefined
    const cipher = this.ciphers.get(entry.cipher)
    if (cipher === undefined) throw new SecretCipherUnavailableError(id, entry.cipher)
    const text = cipher.open(Buffer.from(entry.sealed, 'base64'))
    if (text === undefined) throw new SecretOpenError(id)
    this.opened.set(id, text)
    return text
  }

  require (id: string): string {
    const secret = this.get(id)
    if (secret === undefined) throw new SecretMissingError(id)
    return secret
  }

  set (id: string, secret: string): void {
    const secrets = readSecrets(this.path)
    secrets.entries[id] = { cipher: this.cipher.kind, sealed: Buffer.from(this.cipher.seal(secret)).toString('base64') }
    writeSecrets(this.path, secrets)
    this.opened.set(id, secret)
  }

  delete (id: string): void {
    this.opened.delete(id)
    const secrets = readSecrets(this.path)
    if (!(id in secrets.entries)) return
    // Not `delete`: the entry's id comes from a client (a service name).
    writeSecrets(this.path, { version: 1, entries: Object.fromEntries(Object.entries(secrets.entries).filter(([key]) => key !== id)) })
  }
}

/** Credentials in `<dir>/credentials.json` (0600), each sealed by `cipher` (default: the key file's). */
export function createSecretVault (init: { dir: string, cipher?: SecretCipher }): SecretVault {
  return new FileSecretVault(init.dir, init.cipher ?? keyFileCipher(init.dir))
}
