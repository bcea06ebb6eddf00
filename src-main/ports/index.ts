/**
 * Port selection shared by every listener (API, libp2p): prefer the configured port, fall back
 * to one the OS picks, never fail to start because a port is busy.
 *
 * @example
 * ```ts
 * const port = await choosePort('127.0.0.1', 5480) // 5480, or 0 (any free port) when busy
 * ```
 */
export { choosePort } from './choose-port.js'
