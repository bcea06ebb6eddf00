import type { RemotePinStatus } from './wire.js'

/** A configured service as listings show it: the token masked, with its pins counted by status. */
export interface RemotePinServiceInfo {
  name: string
  endpoint: string
  /** Masked, e.g. "********x9Qa"; the token itself never leaves the node. */
  token: string
  /** True when every pin this node makes is pushed to this service. */
  auto_pin: boolean
  created_at: number
  pins: Record<RemotePinStatus, number>
}

/** One CID pushed to one service, with the request's latest known status. */
export interface RemotePinInfo {
  service: string
  cid: string
  name: string
  status: RemotePinStatus
  /** The service's id of the request; null while the request has not been answered. */
  requestid: string | null
  /** Why it failed, what the service says about its progress, or the last error while following. */
  reason: string
  /** Multiaddrs the service asked us to connect to, to send it the blocks. */
  delegates: string[]
  created_at: number
  updated_at: number
  /** When the status is checked next; null once pinned or failed. */
  next_check_at: number | null
}

export interface RemotePinFilter {
  service?: string
  cid?: string
  status?: RemotePinStatus
}
