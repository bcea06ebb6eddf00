/**
 * Remote pinning through the IPFS Pinning Service API: services configured by name, endpoint and
 * access token (the token stays in the node's database; listings show it masked), CIDs pinned here
 * pushed to a service with this node's multiaddrs as `origins`, the service's `delegates` dialled
 * so it can fetch the blocks, and each request followed with backoff until it is pinned or failed,
 * also across restarts (the `remote_pins` table). A service may "pin everything I pin".
 *
 * @example
 * ```ts
 * const remote = createRemotePinning({ store, log, origins: () => host.listenAddresses(), dial })
 * remote.start()
 * remote.addService({ name: 'pinata', endpoint: 'https://api.pinata.cloud/psa', token, auto_pin: false })
 * await remote.add('bafyrei…', 'pinata')   // { status: 'queued', requestid, delegates, … }
 * remote.ls({ service: 'pinata' })          // later: status 'pinned'
 * await remote.rm('bafyrei…', 'pinata')
 * await remote.stop()
 * ```
 */
import { HttpRemotePinning } from './remote-pinning.js'
import type { RemotePinning, RemotePinningComponents, RemotePinningInit } from './remote-pinning.js'

export function createRemotePinning (components: RemotePinningComponents, init: RemotePinningInit = {}): RemotePinning {
  return new HttpRemotePinning(components, init)
}

export type { RemotePinning, RemotePinningComponents, RemotePinningInit } from './remote-pinning.js'
export type { RemotePinFilter, RemotePinInfo, RemotePinServiceInfo } from './types.js'
export { REMOTE_PIN_STATUSES } from './wire.js'
export type { RemotePinStatus } from './wire.js'
export { maskToken } from './service-config.js'
export * from './constants.js'
export * from './errors.js'
