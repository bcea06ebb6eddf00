import type { ReachabilityInfo } from '../api/index.js'
import type { LineageNode } from '../node/index.js'
import type { Output } from './start.js'

/** The status in plain words, for `lineage-node status` and `start`. */
export function describeReachability (r: ReachabilityInfo): string {
  const words = {
    public: 'yes, directly',
    relayed: `yes, through relay ${r.relays.join(', ')}`,
    unknown: 'not known yet (asking peers to dial back)',
    unreachable: 'not yet (no relay)',
    offline: 'no (offline)',
  }[r.status]
  return `Reachable from the internet: ${words}`
}

/**
 * Prints the relay addresses as relays grant them (a reservation comes after start), and the
 * plain-words line whenever it changes. Returns the function that stops watching.
 */
export function watchReachability (node: LineageNode, output: Output): () => void {
  const libp2p = node.p2p?.libp2p
  if (libp2p === undefined) return () => {}
  const printed = new Set<string>()
  let said = ''
  const report = (): void => {
    const r = node.status().reachability
    for (const address of r.relay_addresses) {
      if (printed.has(address)) continue
      printed.add(address)
      output.out(`Relay address: ${address}`)
    }
    const line = describeReachability(r)
    if (line !== said) output.out(line)
    said = line
  }
  report()
  libp2p.addEventListener('self:peer:update', report)
  return () => { libp2p.removeEventListener('self:peer:update', report) }
}
