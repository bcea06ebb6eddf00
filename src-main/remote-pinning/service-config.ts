import { MAX_ENDPOINT_LENGTH, MAX_TOKEN_LENGTH, SERVICE_NAME_PATTERN, TOKEN_VISIBLE_CHARS } from './constants.js'
import { InvalidServiceConfigError } from './errors.js'

/** A service as configured: the token is a secret and never leaves the node (see maskToken). */
export interface ServiceConfig {
  name: string
  endpoint: string
  token: string
  autoPin: boolean
}

/** Checks a service before anything is stored; the endpoint comes back in its canonical form. */
export function checkServiceConfig (input: { name: unknown, endpoint: unknown, token: unknown, autoPin?: unknown }): ServiceConfig {
  return {
    name: checkServiceName(input.name),
    endpoint: checkEndpoint(input.endpoint),
    token: checkToken(input.token),
    autoPin: checkAutoPin(input.autoPin),
  }
}

/** `field` is the parameter that carries the name: `name` when configuring a service, `service` when using one. */
export function checkServiceName (name: unknown, field: 'name' | 'service' = 'name'): string {
  if (typeof name !== 'string' || !SERVICE_NAME_PATTERN.test(name)) {
    throw new InvalidServiceConfigError(field, 'must be 1–64 characters of letters, digits, ".", "_" and "-", starting with a letter or digit')
  }
  return name
}

/**
 * An http(s) base URL. Other schemes (file:, ftp:, javascript:…) are refused: the node sends the
 * token there. Credentials in the URL are refused too: the token is the one secret, kept apart.
 */
export function checkEndpoint (endpoint: unknown): string {
  if (typeof endpoint !== 'string' || endpoint.length === 0) throw new InvalidServiceConfigError('endpoint', 'must be the service\'s API URL, e.g. https://api.pinata.cloud/psa')
  if (endpoint.length > MAX_ENDPOINT_LENGTH) throw new InvalidServiceConfigError('endpoint', `is longer than ${MAX_ENDPOINT_LENGTH} characters`)
  let url: URL
  try {
    url = new URL(endpoint)
  } catch {
    throw new InvalidServiceConfigError('endpoint', `is not a URL ("${endpoint.slice(0, 80)}"); expected e.g. https://api.pinata.cloud/psa`)
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidServiceConfigError('endpoint', `must be an http:// or https:// URL, not ${url.protocol}`)
  if (url.username !== '' || url.password !== '') throw new InvalidServiceConfigError('endpoint', 'must not contain a user name or password; give the access token separately')
  if (url.search !== '' || url.hash !== '') throw new InvalidServiceConfigError('endpoint', 'must not have a query (?…) or fragment (#…)')
  // The spec's paths hang off the endpoint: https://host/psa + /pins.
  return url.toString().replace(/\/+$/, '')
}

export function checkToken (token: unknown): string {
  if (typeof token !== 'string' || token.length === 0) throw new InvalidServiceConfigError('token', 'is required: the access token the pinning service gave you')
  if (token.length > MAX_TOKEN_LENGTH) throw new InvalidServiceConfigError('token', `is longer than ${MAX_TOKEN_LENGTH} characters`)
  // It goes into an Authorization header, so it must be visible ASCII with no spaces.
  if (!/^[\x21-\x7e]+$/.test(token)) throw new InvalidServiceConfigError('token', 'must be printable ASCII without spaces (copy it again from the service)')
  return token
}

function checkAutoPin (value: unknown): boolean {
  if (value === undefined) return false
  if (typeof value !== 'boolean') throw new InvalidServiceConfigError('auto_pin', 'must be true or false')
  return value
}

/** What listings show of a token: enough to tell two apart, never enough to use one. */
export function maskToken (token: string): string {
  // A short token would be half shown by its last characters, so it is hidden whole.
  if (token.length < TOKEN_VISIBLE_CHARS * 4) return '********'
  return `********${token.slice(-TOKEN_VISIBLE_CHARS)}`
}
