/** The addresses a smart contract and a browser use to reach this node's metadata and blocks. */

/** The baseURI for a collection: tokenURI(id) = base + id. */
export function metadataBase (apiUrl: string, chainId: string, address: string): string {
  return `${apiUrl}/metadata/${chainId}/${address.toLowerCase()}/`
}

export function tokenUri (apiUrl: string, chainId: string, address: string, tokenId: string): string {
  return `${metadataBase(apiUrl, chainId, address)}${tokenId}`
}

/**
 * The node path an image is previewed from: `ipfs://<cid>/<path>` (or `/ipfs/…`) becomes this
 * node's `/ipfs/<cid>/<path>` (local blocks); anything else (http, data) has no preview.
 */
export function previewPath (image: unknown): string | null {
  if (typeof image !== 'string' || image === '') return null
  const ipfs = /^ipfs:\/\/(?:ipfs\/)?([A-Za-z0-9]+)(\/.*)?$/.exec(image)
  if (ipfs !== null) return `/ipfs/${ipfs[1] ?? ''}${ipfs[2] ?? ''}`
  if (image.startsWith('/ipfs/')) return image
  return null
}

/** The same on the node's gateway at `base` (a browser loads it from there). */
export function previewUrl (image: unknown, base: string): string | null {
  const path = previewPath(image)
  return path === null ? null : `${base}${path}`
}
