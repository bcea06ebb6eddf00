/**
 * Params and results of the remote pinning methods (remote_pin_*), which push pins to services
 * speaking the IPFS Pinning Service API. Types only, re-exported by ../rpc-types.ts.
 */

/** A request's state at the service, as the Pinning Service API names them. */
export type RemotePinStatusName = 'queued' | 'pinning' | 'pinned' | 'failed'

/** A configured pinning service. The access token is never returned, only masked. */
export interface RemotePinServiceInfoWire {
  name: string
  endpoint: string
  /** Masked, e.g. "********x9Qa". */
  token: string
  /** True when every pin this node makes is pushed to this service. */
  auto_pin: boolean
  /** Milliseconds since the epoch. */
  created_at: number
  /** How many of the pins pushed to it are in each state. */
  pins: Record<RemotePinStatusName, number>
}

/** Params of `remote_pin_service_add` (named). */
export interface RemotePinServiceInput {
  name: string
  /** The service's API base URL (http or https), e.g. https://api.pinata.cloud/psa */
  endpoint: string
  /** The access token the service gave you; kept by the node, never returned. */
  token: string
  auto_pin?: boolean
}

// Repeats remote-pinning/types.ts: a run-time module (or one typed by one), which the renderer's type check must not read.
/** One CID pushed to one service, with the latest status the node knows. */
export interface RemotePinInfoWire {
  service: string
  cid: string
  name: string
  status: RemotePinStatusName
  /** The service's id of the request; null until the service has answered. */
  requestid: string | null
  /** Why it failed, the service's progress note, or the last error while following it. */
  reason: string
  /** Multiaddrs the service asked us to connect to. */
  delegates: string[]
  created_at: number
  updated_at: number
  /** When the node checks the status next; null once pinned or failed. */
  next_check_at: number | null
}

/** Filters of `remote_pin_ls`; all optional, ANDed. */
export interface RemotePinFilterInput {
  service?: string
  cid?: string
  status?: RemotePinStatusName
}
