/**
 * The API's socket while the node starts (docs/ARCHITECTURE.md, "Start"): opened right after the
 * store and identity, it answers node_info and kept gateway documents at once and holds every
 * other request until the API app takes it over. Light on purpose: it loads no network or
 * Marine module, so the node answers before those load.
 *
 * @example
 * ```ts
 * const listener = createStartingListener({ log, nodeInfo: () => node.info(), documents: new KeptDocuments(db, formatterId) }, { host: '127.0.0.1', port: 5480, token })
 * await listener.listen()
 * // … later: createApi(components, { …, listener }) takes it over
 * ```
 */
import { StartingListener } from './starting-listener.js'
import type { StartingListenerComponents, StartingListenerInit } from './starting-listener.js'

export function createStartingListener (components: StartingListenerComponents, init: StartingListenerInit): StartingListener {
  return new StartingListener(components, init)
}

export { StartingListener } from './starting-listener.js'
export type { ApiListener, Respond, StartingListenerComponents, StartingListenerInit } from './starting-listener.js'
export { KeptDocuments } from './kept-documents.js'
export { NodeStartFailedError, NodeStartingError } from './errors.js'
export { START_WAIT_MS } from './constants.js'
// What the node needs of the API before it loads the API app (which loads the engine and libp2p).
export { LogRing, recordingLogger } from '../rpc/log-ring.js'
