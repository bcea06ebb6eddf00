import { defaultLogger } from '@libp2p/logger'
import { createKeystore, MAX_KEY_FILE_BYTES } from '../lineage/keys/index.js'
import type { KeyInfo, Keystore } from '../lineage/keys/index.js'
import type { KeyType } from '../lineage/signing/index.js'
import { defaultDataDir } from '../node/local/index.js'
import { CliError } from './errors.js'
import { readFileArgument } from './files.js'
import { readPassphrase } from './passphrase.js'
import type { Output } from './start.js'

/** The key types as people name them on the command line. */
const TYPE_NAMES: Record<string, KeyType> = { ed25519: 'ed25519', evm: 'secp256k1', secp256k1: 'secp256k1' }

export function keystoreFor (dataDir: string | undefined): Keystore {
  return createKeystore({ log: defaultLogger().forComponent('lineage:keys') }, { dataDir: dataDir ?? defaultDataDir() })
}

export function parseKeyType (value: string): KeyType {
  const type = TYPE_NAMES[value.toLowerCase()]
  if (type === undefined) throw new CliError(`"${value}" is not a key type; use evm (an Ethereum wallet key) or ed25519.`)
  return type
}

const describe = (key: KeyInfo): string => `${key.name}\t${key.type === 'secp256k1' ? 'evm' : key.type}\t${key.publicKey}`

export async function runKeysNew (name: string, options: { dataDir?: string, type: string }, output: Output): Promise<void> {
  const type = parseKeyType(options.type)
  const key = await keystoreFor(options.dataDir).create(name, type, await readPassphrase(`Passphrase for the new key "${name}": `))
  output.out(`Created ${describe(key)}`)
}

export async function runKeysImport (name: string, file: string, options: { dataDir?: string, type: string }, output: Output): Promise<void> {
  const type = parseKeyType(options.type)
  // A file, so the private key never appears on a command line.
  const material = (await readFileArgument(file, 'key file', MAX_KEY_FILE_BYTES)).toString('utf8').trim()
  const key = await keystoreFor(options.dataDir).import(name, type, material, await readPassphrase(`Passphrase for "${name}" (and of the keystore file, if it is one): `))
  output.out(`Imported ${describe(key)}`)
}

export function runKeysList (options: { dataDir?: string, json?: boolean }, output: Output): void {
  const keys = keystoreFor(options.dataDir).list()
  if (options.json === true) {
    output.out(JSON.stringify(keys, null, 2))
    return
  }
  if (keys.length === 0) output.out('No keys yet. Create one with `lineage-node keys new <name>`.')
  for (const key of keys) output.out(describe(key))
}

export function runKeysExportPublic (name: string, options: { dataDir?: string }, output: Output): void {
  output.out(keystoreFor(options.dataDir).exportPublic(name).publicKey)
}
