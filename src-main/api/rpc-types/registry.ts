/** Params and results of the registry methods. Types only, re-exported by ../rpc-types.ts. */

/** A signed registry write (docs/PROTOCOL.md has the signed bytes). */
export interface RegistryWriteRequest {
  registry_id: string
  registry_name: string
  meta_contract_id: string
  public_key: string
  nonce: string
  signature: string
}

export interface RegistryEntryInfo {
  registry_id: string
  registry_name: string
  meta_contract_id: string
  /** The owner: the key that created the entry, the only one that may change it. */
  public_key: string
  updated_at: number
}

export interface RegistrySetResultInfo {
  hash: string
  /** True when this write created the entry. */
  created: boolean
  entry: RegistryEntryInfo
}
