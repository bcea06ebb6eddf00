import type { FluenceInfo, FluenceRelayInfo } from '../../../src-main/api/rpc-types.js'

/** The relay line of the status page, in words. */
export function describeRelay (relay: FluenceRelayInfo | null): string {
  if (relay === null) return 'None: this node is its own relay (stock Fluence clients can use it)'
  if (relay.state === 'connected') return `Connected to ${relay.address}`
  if (relay.state === 'connecting') return `Connecting to ${relay.address}…`
  const next = relay.next_attempt_at === null ? '' : `; trying again at ${new Date(relay.next_attempt_at).toLocaleTimeString()}`
  return `Unreachable: ${relay.address} (${relay.last_error ?? 'no answer'}, ${relay.attempts} ${relay.attempts === 1 ? 'attempt' : 'attempts'}${next})`
}

/** "12 in · 10 out · 1 rejected" */
export function describeParticles (particles: FluenceInfo['particles']): string {
  return `${particles.received} in · ${particles.sent} out · ${particles.rejected} rejected`
}
