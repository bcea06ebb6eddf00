/**
 * What another program on this computer needs to find and reach a node, without loading the node:
 * where the data dir is, the `api.json` a running node writes there, its API token, and the app's
 * own package.json. `lineage-node status` and every command that talks to a running node use only
 * this, so they start in the time of a small script; `node/` uses it too, never the other way round.
 *
 * @example
 * ```ts
 * const api = readApiFile(defaultDataDir())
 * if (api !== null) console.log(api.url, readApiToken(defaultDataDir()))
 * ```
 */
export { defaultDataDir } from './data-dir.js'
export { readApiFile, removeApiFile, writeApiFile } from './api-file.js'
export type { ApiFile } from './api-file.js'
export { loadOrCreateApiToken, readApiToken } from './api-token.js'
export { packageInfo } from './package-info.js'
export type { PackageInfo } from './package-info.js'
export * from './constants.js'
