/** A service name, endpoint or token that cannot be used; `field` names the input. */
export class InvalidServiceConfigError extends Error {
  override readonly name = 'InvalidServiceConfigError'
  constructor (readonly field: 'name' | 'service' | 'endpoint' | 'token' | 'auto_pin', detail: string) {
    super(`${field} ${detail}`)
  }
}

/** A remote pin's name or status filter that cannot be used; `field` names the input. */
export class InvalidRemotePinError extends Error {
  override readonly name = 'InvalidRemotePinError'
  constructor (readonly field: string, detail: string) {
    super(`${field} ${detail}`)
  }
}

/** service add named a service that already exists: remove it first, so nothing is silently replaced. */
export class RemotePinServiceExistsError extends Error {
  override readonly name = 'RemotePinServiceExistsError'
  constructor (readonly service: string) {
    super(`A pinning service named "${service}" already exists. Remove it first to configure it again.`)
  }
}

/** No pinning service has that name on this node. */
export class RemotePinServiceNotFoundError extends Error {
  override readonly name = 'RemotePinServiceNotFoundError'
  constructor (readonly service: string) {
    super(`No pinning service named "${service}" is configured. Add one with \`lineage-node pin remote service add\`.`)
  }
}

/**
 * The CID is not pinned on this node. A service fetches the blocks from us; without a local pin
 * GC could delete them before it does.
 */
export class NotPinnedLocallyError extends Error {
  override readonly name = 'NotPinnedLocallyError'
  constructor (readonly cid: string) {
    super(`${cid} is not pinned on this node. Pin it first (\`lineage-node pin add ${cid}\`), so its blocks stay here while the service fetches them.`)
  }
}

/** remote_pin_rm named a CID that was never pushed to that service. */
export class RemotePinNotFoundError extends Error {
  override readonly name = 'RemotePinNotFoundError'
  constructor (readonly cid: string, readonly service: string) {
    super(`${cid} was not pushed to the pinning service "${service}".`)
  }
}

/** The service refused the access token (HTTP 401 or 403). */
export class PinningServiceAuthError extends Error {
  override readonly name = 'PinningServiceAuthError'
  constructor (readonly service: string, readonly status: number, detail: string) {
    super(`The pinning service "${service}" refused the access token (HTTP ${status}${detail === '' ? '' : `: ${detail}`}). Check the token, then add the service again.`)
  }
}

/** The service could not be reached: connection refused, DNS, TLS, timeout, or a redirect. */
export class PinningServiceUnreachableError extends Error {
  override readonly name = 'PinningServiceUnreachableError'
  constructor (readonly service: string, readonly endpoint: string, detail: string) {
    super(`The pinning service "${service}" at ${endpoint} could not be reached: ${detail}.`)
  }
}

/** The service answered something that is not the Pinning Service API (bad JSON, wrong shape, too big). */
export class PinningServiceResponseError extends Error {
  override readonly name = 'PinningServiceResponseError'
  constructor (readonly service: string, detail: string) {
    super(`The pinning service "${service}" answered something that is not a valid Pinning Service API response: ${detail}.`)
  }
}

/** The service answered with an error of its own (bad request, insufficient funds, 5xx…). */
export class PinningServiceRejectedError extends Error {
  override readonly name = 'PinningServiceRejectedError'
  constructor (readonly service: string, readonly status: number, readonly reason: string, details: string) {
    super(`The pinning service "${service}" refused the request (HTTP ${status} ${reason}${details === '' ? '' : `: ${details}`}).`)
  }
}
