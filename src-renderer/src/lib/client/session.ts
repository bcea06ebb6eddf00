/**
 * The API token in browser mode. It arrives once in the address (`/app/#token=…`, printed by
 * `lineage-node start`) or is typed on the login page, and is kept in sessionStorage: it lives
 * as long as the tab, and is never sent anywhere but this node's WebSocket.
 */
const STORAGE_KEY = 'lineage.apiToken'
/** The node's tokens are 32 random bytes in hex. */
export const TOKEN_PATTERN = /^[0-9a-f]{64}$/

/** Takes a token from the address fragment (then removes it from the address bar), else the stored one. */
export function takeToken (win: Window = window): string | null {
  const match = /(?:^#|&)token=([0-9a-fA-F]{64})(?:&|$)/.exec(win.location.hash)
  if (match?.[1] !== undefined) {
    const token = match[1].toLowerCase()
    saveToken(token, win)
    win.history.replaceState(null, '', `${win.location.pathname}${win.location.search}#/`)
    return token
  }
  return storedToken(win)
}

export function storedToken (win: Window = window): string | null {
  try {
    return win.sessionStorage.getItem(STORAGE_KEY)
  } catch {
    return null
  }
}

export function saveToken (token: string, win: Window = window): void {
  win.sessionStorage.setItem(STORAGE_KEY, token.trim().toLowerCase())
}

export function forgetToken (win: Window = window): void {
  win.sessionStorage.removeItem(STORAGE_KEY)
}
