/**
 * The Electron shell's testable parts: security settings, sender checks, the IPC channel map,
 * deep-link parsing, settings, the keychain, launch at login and the log file. `main.ts` is the
 * process entry (guards, then one setupX per concern) and `preload.cts` the renderer bridge;
 * neither is imported. Renderer code imports only the `DesktopBridge` type.
 *
 * @example
 * ```ts
 * new BrowserWindow(mainWindowOptions(preloadPath))
 * parseDeepLink('lineage://token/1/0x5180db8f5c931aae63c74266b211f580155ecac8/42')
 * ```
 */
export { osKeychainCipher } from './secret-cipher.js'
export type { SafeStorageSyncApi } from './secret-cipher.js'
export { secureWebPreferences, mainWindowOptions, isTrustedSender, isAllowedNavigation, rendererUrl, ELECTRON_CONTENT_SECURITY_POLICY } from './security.js'
export { IPC_CHANNELS, IPC_EVENTS } from './ipc-channels.js'
export type { IpcInvokeMap, IpcInvokeChannel, IpcEventMap, IpcEventChannel, IpcResult, DesktopSettings, PublicGatewaySetting, SettingName, ToggleName, DataDirChoice, KeychainStatus, FileChoiceKind } from './ipc-channels.js'
export type { DesktopBridge } from './bridge.js'
export { parseDeepLink, findDeepLink } from './deep-link.js'
export type { TokenLink } from './deep-link.js'
export { createSettingsStore, openSettingsStore, DEFAULT_SETTINGS, SETTING_NAMES, TOGGLE_NAMES } from './settings.js'
export type { DesktopSettingsStore } from './settings.js'
export { checkPublicGatewaySetting, publicGatewayNodeInit } from './public-gateway-setting.js'
export { createKeychain } from './keychain.js'
export type { Keychain, SafeStorageApi } from './keychain.js'
export { RotatingLogFile } from './log-file.js'
export { isLocalRequest } from './remote-content.js'
export * from './constants.js'
export * from './errors.js'
