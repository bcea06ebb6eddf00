import type { Store } from '../../store/index.js'
import { ImageGatewayError } from './errors.js'

/** The settings key of the IPFS gateway images may be loaded from; absent means none (the default). */
export const IMAGE_GATEWAY_SETTING = 'ui.image_gateway'

/**
 * The origin of the IPFS gateway the creator allowed images to be loaded from when this node does
 * not hold them, or undefined: off unless the creator turns it on. The UI's Content Security
 * Policy names this origin, and only while it is set.
 */
export function imageGateway (store: Store): string | undefined {
  const value = store.getSetting(IMAGE_GATEWAY_SETTING)
  return value === undefined || value === '' ? undefined : value
}

/** Sets the gateway (its origin is kept: scheme, host, port) or, with null, turns it off. Throws ImageGatewayError. */
export function setImageGateway (store: Store, gateway: string | null): string | null {
  if (gateway === null || gateway.trim() === '') {
    store.setSetting(IMAGE_GATEWAY_SETTING, '')
    return null
  }
  const origin = gatewayOrigin(gateway.trim())
  store.setSetting(IMAGE_GATEWAY_SETTING, origin)
  return origin
}

/** https:// anywhere, http:// only on this machine; no credentials. The origin alone is kept. */
export function gatewayOrigin (text: string): string {
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new ImageGatewayError(text, 'is not a web address')
  }
  const local = url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]'
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw new ImageGatewayError(text, 'must start with https:// (http:// only for a gateway on this computer)')
  if (url.username !== '' || url.password !== '') throw new ImageGatewayError(text, 'must not hold a user name or password')
  return url.origin
}
