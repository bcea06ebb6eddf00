import { isIP } from 'node:net'
import { DEFAULT_GATEWAY_PORT } from '../node/index.js'
import type { NodeConfigInit } from '../node/index.js'
import { PublicGatewaySettingError } from './errors.js'
import type { PublicGatewaySetting } from './ipc-channels.js'

/** Off, and where it would listen once turned on: every interface, the CLI's default port. */
export const DEFAULT_PUBLIC_GATEWAY: Readonly<PublicGatewaySetting> = Object.freeze({ enabled: false, host: '0.0.0.0', port: DEFAULT_GATEWAY_PORT })

/**
 * Checks a "Serve publicly" value as typed in Settings and answers it cleaned (host trimmed), or
 * throws PublicGatewaySettingError naming the field in words a person can act on. The host must be
 * an IP address (the listener binds an interface; a name would need DNS at every start) and the
 * port a fixed one, so a router or firewall rule can point at it.
 */
export function checkPublicGatewaySetting (value: unknown): PublicGatewaySetting {
  if (typeof value !== 'object' || value === null) throw new PublicGatewaySettingError('setting', 'The setting must be { enabled, host, port }.')
  const { enabled, host, port } = value as Record<string, unknown>
  if (typeof enabled !== 'boolean') throw new PublicGatewaySettingError('enabled', '"Serve publicly" must be on or off.')
  const address = typeof host === 'string' ? host.trim() : ''
  if (isIP(address) === 0) {
    throw new PublicGatewaySettingError('host', `The interface must be an IP address of this computer, such as 0.0.0.0 (every network) or 192.168.1.20; "${typeof host === 'string' ? host.slice(0, 60) : String(host)}" is not one.`)
  }
  if (typeof port !== 'number' || !Number.isInteger(port) || port < 1 || port > 65535) {
    throw new PublicGatewaySettingError('port', `The port must be a whole number from 1 to 65535, such as ${DEFAULT_GATEWAY_PORT}; "${String(port).slice(0, 20)}" is not one.`)
  }
  return { enabled, host: address, port }
}

/** Whether a stored value is a usable setting (a settings file may hold anything). */
export function isPublicGatewaySetting (value: unknown): value is PublicGatewaySetting {
  try {
    checkPublicGatewaySetting(value)
    return true
  } catch {
    return false
  }
}

/** What the setting adds to the embedded node's config: the listener when on, nothing when off. */
export function publicGatewayNodeInit (setting: PublicGatewaySetting): Pick<NodeConfigInit, 'gatewayHost' | 'gatewayPort'> {
  return setting.enabled ? { gatewayHost: setting.host, gatewayPort: setting.port } : {}
}
