/** Seals and opens secrets; synchronous, as the store's callers are. */
export interface SecretCipher {
  /** Named in each sealed entry, so an entry is opened by the cipher that sealed it. */
  readonly kind: string
  seal(text: string): Uint8Array
  /** The text, or undefined when the bytes do not open under this cipher's key. */
  open(sealed: Uint8Array): string | undefined
}

export interface SecretVault {
  readonly path: string
  get(id: string): string | undefined
  /** Like get, but a missing credential is a SecretMissingError. */
  require(id: string): string
  set(id: string, secret: string): void
  delete(id: string): void
}
