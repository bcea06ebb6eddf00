/** The address given to check is not one a marketplace could fetch (not http(s) or ipfs://<cid>/…); nothing was fetched. */
export class CheckedUriError extends Error {
  override readonly name = 'CheckedUriError'
  constructor (readonly field: 'uri' | 'ipfs_gateway', detail: string) {
    super(`${field}: ${detail}`)
  }
}
