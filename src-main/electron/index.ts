/**
 * The Electron shell's testable parts: security settings, sender checks and the IPC channel map.
 * `main.ts` is the process entry and `preload.cts` the renderer bridge; neither is imported.
 *
 * @example
 * ```ts
 * new BrowserWindow(mainWindowOptions(preloadPath))
 * ```
 */
export { secureWebPreferences, mainWindowOptions, isTrustedSender, isAllowedNavigation, rendererUrl, ELECTRON_CONTENT_SECURITY_POLICY } from './security.js'
export { IPC_CHANNELS } from './ipc-channels.js'
export type { IpcChannelMap, IpcChannel } from './ipc-channels.js'
