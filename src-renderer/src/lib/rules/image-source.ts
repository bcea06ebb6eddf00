import { previewPath } from './gateway.js'

/**
 * Where an image may be loaded from, in order: this node's own blocks (`local`, a `/ipfs/…` path
 * on the node), then the IPFS gateway the creator allowed in Settings (`remote`), only when they
 * did. An image at any other address (http, https) is never loaded: nothing remote without consent,
 * and the page's Content Security Policy names no other origin.
 */
export interface ImageSources {
  local: string | null
  remote: string | null
  /** 'ipfs' for content addresses; 'elsewhere' for an address this app does not load; 'none' for no image. */
  kind: 'ipfs' | 'elsewhere' | 'none'
}

export function imageSources (image: unknown, gateway: string | null): ImageSources {
  if (typeof image !== 'string' || image.trim() === '') return { local: null, remote: null, kind: 'none' }
  const path = previewPath(image.trim())
  if (path === null) return { local: null, remote: null, kind: 'elsewhere' }
  return { local: path, remote: gateway === null ? null : `${gateway}${path}`, kind: 'ipfs' }
}
