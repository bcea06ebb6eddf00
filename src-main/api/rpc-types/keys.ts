/**
 * Params and results of the key methods (keys_*, sign_and_publish), the editor's dry run
 * (validate_metadata) and the node's recent log lines. Types only, re-exported by ../rpc-types.ts.
 */
import type { SignedTransactionRequest } from './records.js'

export type KeyTypeName = 'ed25519' | 'secp256k1'

/** One of the node's signing keys: never any private material. */
export interface KeyInfoWire {
  name: string
  type: KeyTypeName
  /** 0x address (secp256k1) or base58 (ed25519). */
  public_key: string
  /** ISO 8601. */
  created_at: string
}

/** keys_export_keystore: a key with its keystore file, still encrypted with its passphrase. */
export interface KeyBackupWire extends KeyInfoWire {
  /** The name to save it under (`<name>.json`). */
  file_name: string
  /** The v3 keystore JSON text. */
  keystore: string
}

/**
 * A transaction for the node to sign with one of its keys. `public_key` (the key's), `nonce`
 * (random) and `timestamp` (now) are filled in when absent; `alias` defaults to "", `version`
 * to "v1", `data` and `mcdata` to "".
 */
export type UnsignedRequestInput = Pick<SignedTransactionRequest, 'method' | 'chain_id' | 'token_address' | 'token_id' | 'meta_contract_id'> &
  Partial<Pick<SignedTransactionRequest, 'alias' | 'version' | 'public_key' | 'nonce' | 'data' | 'mcdata'>> & { timestamp?: number }

export interface SignAndPublishResultInfo {
  hash: string
  public_key: string
}

// Repeats lineage/engine/dry-run.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
/** A metadata write to judge without writing it (validate_metadata). */
export interface MetadataCandidateInfo {
  chain_id: string
  token_address: string
  token_id: string
  /** The document as JSON text. */
  data: string
  alias?: string
  version?: string
  /** The signer to judge it for; default the key that bound the collection. */
  public_key?: string
}

export interface MetadataVerdictInfo {
  /** True when the collection's contract would apply it. */
  ok: boolean
  /** The contract's own reason when it would not; "" when it would. */
  reason: string
  meta_contract_id: string
  public_key: string
  writes: Array<{ alias: string, version: string, public_key: string, loose: number }>
  /** When the contract failed rather than answered: the sandbox's error name (e.g. ContractOutOfMemoryError); `reason` is its message. */
  failure?: string
}

export interface LogLineInfo {
  /** Milliseconds since the epoch. */
  time: number
  level: 'info' | 'error'
  /** The node part that wrote it, e.g. "lineage:import". */
  component: string
  message: string
  /** Increases by one per line: pass the last one seen as `after` to get only newer lines. */
  seq: number
}
