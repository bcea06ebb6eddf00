import { pathToFileURL } from 'node:url'
import type { WebPreferences, BrowserWindowConstructorOptions } from 'electron'
import { UI_CONTENT_SECURITY_POLICY } from '../api/index.js'

/** The renderer's locked-down settings: no Node, isolated preload world, OS sandbox. */
export function secureWebPreferences (preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  }
}

export function mainWindowOptions (preloadPath: string): BrowserWindowConstructorOptions {
  return {
    width: 1200,
    height: 800,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'Lineage Desktop',
    backgroundColor: '#f7f7f8',
    webPreferences: secureWebPreferences(preloadPath),
  }
}

/** The CSP Electron adds to every response it loads (the page also carries it as a meta tag). */
export const ELECTRON_CONTENT_SECURITY_POLICY = UI_CONTENT_SECURITY_POLICY

/** file:// URL of the built UI's entry page. */
export function rendererUrl (rendererIndexPath: string): string {
  return pathToFileURL(rendererIndexPath).href
}

/**
 * Whether an IPC message comes from our own UI: the top frame showing our built index.html.
 * Anything else (a subframe, a page that navigated away, devtools extensions) is refused.
 */
export function isTrustedSender (frame: { url: string, parent: unknown } | null | undefined, trustedUrl: string): boolean {
  if (frame === null || frame === undefined || frame.parent !== null) return false
  let url: URL
  try {
    url = new URL(frame.url)
  } catch {
    return false
  }
  url.hash = ''
  url.search = ''
  return url.href === trustedUrl
}

/** Whether the window may navigate to a URL: only to its own page (reloads), never elsewhere. */
export function isAllowedNavigation (targetUrl: string, trustedUrl: string): boolean {
  return isTrustedSender({ url: targetUrl, parent: null }, trustedUrl)
}
