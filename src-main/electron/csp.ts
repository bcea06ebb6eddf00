import type { Session } from 'electron'
import { ELECTRON_CONTENT_SECURITY_POLICY } from './security.js'

/** Adds the CSP header to every response the window's session loads. */
export function setupContentSecurityPolicy (session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: {
        ...details.responseHeaders,
        'Content-Security-Policy': [ELECTRON_CONTENT_SECURITY_POLICY],
      },
    })
  })
}
