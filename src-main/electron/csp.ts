import type { Session } from 'electron'
import { uiContentSecurityPolicy } from '../api/index.js'

/**
 * Adds the CSP header to every response the window's session loads. `imageOrigin`: the IPFS
 * gateway the creator allowed images from (Settings), named in img-src only while it is set.
 */
export function setupContentSecurityPolicy (session: Session, imageOrigin: () => string | undefined = () => undefined): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [uiContentSecurityPolicy(imageOrigin())],
      },
    })
  })
}
