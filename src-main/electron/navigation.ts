import type { App, WebContents } from 'electron'
import { shell } from 'electron'
import { isAllowedNavigation } from './security.js'

/** The one permission the page may use: writing text to the clipboard (its copy buttons). */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

/** Links the window may hand to the user's browser: https pages only, never file: or custom schemes. */
export function isExternalLink (url: string): boolean {
  try {
    return new URL(url).protocol === 'https:'
  } catch {
    return false
  }
}

/** Locks one web contents to our page: no navigation, no redirects, no new windows, no webviews, no permissions but the clipboard. */
export function guardWebContents (contents: WebContents, trustedUrl: string, openExternal: (url: string) => void): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Web links open in the user's browser, never inside the app.
    if (isExternalLink(url)) openExternal(url)
    return { action: 'deny' }
  })
  const block = (event: { preventDefault(): void }, url: string): void => {
    if (!isAllowedNavigation(url, trustedUrl)) event.preventDefault()
  }
  contents.on('will-navigate', block)
  contents.on('will-redirect', block)
  contents.on('will-attach-webview', event => { event.preventDefault() })
  contents.session.setPermissionRequestHandler((_contents, permission, callback) => { callback(ALLOWED_PERMISSIONS.has(permission)) })
  contents.session.setPermissionCheckHandler((_contents, permission) => ALLOWED_PERMISSIONS.has(permission))
}

/**
 * Applies the guards to every web contents the app ever creates (the window, dev tools, anything
 * a future feature adds), as Electron's security checklist asks, not only to the one we build.
 */
export function setupNavigationGuards (app: Pick<App, 'on'>, trustedUrl: string): void {
  app.on('web-contents-created', (_event, contents) => {
    guardWebContents(contents, trustedUrl, url => { void shell.openExternal(url) })
  })
}
