/** The addresses a smart contract and a browser use to reach this node's metadata and blocks. */

/** The baseURI for a collection: tokenURI(id) = base + id. */
export function metadataBase (apiUrl: string, chainId: string, address: string): string {
  return `${apiUrl}/metadata/${chainId}/${address.toLowerCase()}/`
}

export function tokenUri (apiUrl: string, chainId: string, address: string, tokenId: string): string {
  return `${metadataBase(apiUrl, chainId, address)}${tokenId}`
}

/**
 * Where the UI can show an image from: `ipfs://<cid>/<path>` becomes this node's `/ipfs/<cid>/<path>`
 * (local blocks), http(s) and data URLs are left to the browser's rules; anything else has no preview.
 */
export function previewUrl (image: unknown, base: string): string | null {
  if (typeof image !== 'string' || image === '') return null
  const ipfs = /^ipfs:\/\/(?:ipfs\/)?([A-Za-z0-9]+)(\/.*)?$/.exec(image)
  if (ipfs !== null) return `${base}/ipfs/${ipfs[1] ?? ''}${ipfs[2] ?? ''}`
  if (image.startsWith('/ipfs/')) return `${base}${image}`
  return null
}
