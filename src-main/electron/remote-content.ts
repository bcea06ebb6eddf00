import type { Session } from 'electron'

/** Schemes the app's own page loads from: its files, inline images, and the dev tools. */
const LOCAL_SCHEMES = new Set(['file:', 'data:', 'blob:', 'devtools:', 'chrome-extension:'])

/** Whether the window's session may load a URL: local content only, never the network. */
export function isLocalRequest (url: string): boolean {
  try {
    return LOCAL_SCHEMES.has(new URL(url).protocol)
  } catch {
    return false
  }
}

/**
 * No remote content: the session cancels every request for http(s), ws(s) or anything else not
 * local, whatever asks for it (a link, an image in token metadata, a script). The page talks to
 * the node over IPC, and token images are previewed from local blocks. The CSP says the same to
 * the page; this holds even if a CSP were bypassed. The one exception is the creator's: images
 * from the IPFS gateway they allowed in Settings (off by default).
 */
export function setupRemoteContentBlock (session: Session, imageOrigin: () => string | undefined = () => undefined): void {
  session.webRequest.onBeforeRequest((details, callback) => {
    callback({ cancel: !isLocalRequest(details.url) && !isAllowedImage(details, imageOrigin()) })
  })
}

/** An image from the one IPFS gateway the creator allowed in Settings (none unless they did). */
export function isAllowedImage (details: { url: string, method?: string, resourceType?: string }, origin: string | undefined): boolean {
  if (origin === undefined || details.resourceType !== 'image' || (details.method !== undefined && details.method !== 'GET')) return false
  try {
    return new URL(details.url).origin === origin
  } catch {
    return false
  }
}
