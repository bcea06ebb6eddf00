import { randomBytes } from 'node:crypto'
import type { Lineage } from '../../lineage/engine/index.js'
import type { KeyInfo, Keystore } from '../../lineage/keys/index.js'
import { InvalidParamsError } from '../errors.js'
import type { KeyInfoWire, KeyTypeName, UnsignedRequestInput } from '../rpc-types.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface KeyMethodsComponents {
  /** The node's keystore (`<data-dir>/keystore/`). */
  keystore: Keystore
  lineage: Lineage
}

/** The slot version a request gets when it names none (the CLI's and the importer's default). */
const DEFAULT_VERSION = 'v1'

/** Errors about one parameter become invalid params naming it, as a failed schema check does. */
const FIELD_OF_ERROR: Record<string, string> = {
  InvalidKeyNameError: 'name',
  InvalidKeyTypeError: 'type',
  WeakPassphraseError: 'passphrase',
  InvalidPrivateKeyError: 'private_key',
  SignerMismatchError: 'request',
}

async function withFieldErrors<T> (run: () => Promise<T> | T, fields: Record<string, string> = FIELD_OF_ERROR): Promise<T> {
  try {
    return await run()
  } catch (err) {
    const field = fields[(err as Error).name]
    // Led by the parameter, as a failed schema check is: "private_key: Cannot import the key: …".
    if (field !== undefined) throw new InvalidParamsError(`${field}: ${(err as Error).message}`, field)
    throw err
  }
}

function keyInfo (key: KeyInfo): KeyInfoWire {
  return { name: key.name, type: key.type, public_key: key.publicKey, created_at: key.createdAt }
}

const name = { name: 'name', schema: { type: 'string', minLength: 1, maxLength: 64 } }
const type = { name: 'type', schema: { type: 'string', enum: ['ed25519', 'secp256k1'] } }
const passphrase = { name: 'passphrase', schema: { type: 'string', minLength: 1, maxLength: 1024 } }

/**
 * The node's signing keys, for the UI: list, create, import, show the public key, and sign and
 * publish a transaction with one (unlocked for that one signature, then locked again). All need
 * the API token: they read or use the keystore. Private material is never returned.
 */
export function keyMethods ({ keystore, lineage }: KeyMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'keys_list',
      requiresToken: true,
      description: 'The node\'s signing keys, by name, with their public keys.',
      params: [],
      handler: () => keystore.list().map(keyInfo),
    }),
    defineMethod({
      name: 'keys_new',
      requiresToken: true,
      description: 'Creates a signing key, stored encrypted with the passphrase.',
      params: [name, type, passphrase],
      handler: async p => keyInfo(await withFieldErrors(async () => await keystore.create(p.name as string, p.type as KeyTypeName, p.passphrase as string))),
    }),
    defineMethod({
      name: 'keys_import',
      requiresToken: true,
      description: 'Imports a private key (64 hex digits) or a wallet keystore JSON (decrypted with the passphrase), stored encrypted with the passphrase.',
      params: [name, type, { name: 'private_key', schema: { type: 'string', minLength: 1, maxLength: 65_536 } }, passphrase],
      handler: async p => keyInfo(await withFieldErrors(async () => await keystore.import(p.name as string, p.type as KeyTypeName, p.private_key as string, p.passphrase as string))),
    }),
    defineMethod({
      name: 'keys_export_public',
      requiresToken: true,
      description: 'The public key of one key (0x address or base58).',
      params: [name],
      handler: async p => keyInfo(await withFieldErrors(() => keystore.exportPublic(p.name as string))),
    }),
    defineMethod({
      name: 'keys_export_keystore',
      requiresToken: true,
      description: 'A backup of one key: its keystore file (v3 JSON), still encrypted with its passphrase, to save elsewhere; keys_import takes it back.',
      params: [name],
      handler: async p => {
        const { info, text } = await withFieldErrors(() => keystore.exportKeystore(p.name as string))
        return { ...keyInfo(info), file_name: `${info.name}.json`, keystore: text }
      },
    }),
    defineMethod({
      name: 'keys_delete',
      requiresToken: true,
      description: 'Deletes one key from the node. What it signed stays valid; without a backup, nothing can sign as it again.',
      params: [name],
      handler: async p => keyInfo(await withFieldErrors(() => keystore.delete(p.name as string))),
    }),
    defineMethod({
      name: 'sign_and_publish',
      requiresToken: true,
      description: 'Signs a transaction with one of the node\'s keys (public_key, nonce and timestamp filled in when absent) and publishes it; the key is locked again at once.',
      params: [{ name: 'key', schema: name.schema }, passphrase, { name: 'request', schema: { type: 'object' } }],
      handler: async p => await withFieldErrors(async () => {
        const signer = await keystore.unlock(p.key as string, p.passphrase as string)
        try {
          const input = p.request as UnsignedRequestInput
          const request = {
            alias: '',
            version: DEFAULT_VERSION,
            data: '',
            mcdata: '',
            ...input,
            public_key: input.public_key ?? signer.publicKey,
            nonce: input.nonce ?? randomBytes(16).toString('hex'),
            timestamp: input.timestamp ?? freshTimestamp(lineage, input),
          }
          const [result] = await lineage.signAndPublish([request], signer)
          if (result?.error !== undefined) throw result.error
          return { hash: result?.hash ?? '', public_key: signer.publicKey }
        } finally {
          signer.lock()
        }
      }, { ...FIELD_OF_ERROR, InvalidKeyNameError: 'key' }),
    }),
  ] as RpcMethod[]
}

/**
 * Now, or just after the newest transaction the node holds for the token if that is later (an
 * edit made after seeing a replicated one must win it, even on a slow clock). A request too
 * malformed to name a token gets now; signing then says what is wrong with it.
 */
function freshTimestamp (lineage: Lineage, input: UnsignedRequestInput): number {
  const { method, chain_id: chainId, token_address: tokenAddress, token_id: tokenId } = input as Partial<Record<string, unknown>>
  if (typeof method !== 'string' || typeof chainId !== 'string' || typeof tokenAddress !== 'string' || typeof tokenId !== 'string') return Date.now()
  try {
    return lineage.timestampFor({ method, chain_id: chainId, token_address: tokenAddress, token_id: tokenId })
  } catch {
    return Date.now()
  }
}
