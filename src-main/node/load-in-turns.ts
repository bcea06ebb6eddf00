import { setImmediate as nextTurn } from 'node:timers/promises'
import type * as Heavy from './heavy.js'

/**
 * The modules heavy.ts loads, a package or an entry of ours at a time, in the order they are
 * needed. Node evaluates an import's whole graph without giving the event loop a turn (3 to 4 s
 * for heavy.ts on a busy 2-core machine), so the API socket, already listening, would answer
 * nothing until it ends; in steps, it answers between them (each about 0.1 to 0.7 s there).
 * Each step only loads what is not loaded yet; a step that fails is ignored here, and the
 * import of heavy.ts that follows reports it.
 */
const STEPS: ReadonlyArray<() => Promise<unknown>> = [
  async () => await import('@libp2p/utils'),
  async () => await import('@chainsafe/libp2p-noise'),
  async () => await import('@libp2p/yamux'),
  async () => await import('@libp2p/tcp'),
  async () => await import('@libp2p/websockets'),
  async () => await import('@libp2p/identify'),
  async () => await import('@libp2p/kad-dht'),
  async () => await import('@libp2p/gossipsub'),
  async () => await import('@libp2p/circuit-relay-v2'),
  async () => await import('@libp2p/dcutr'),
  async () => await import('@libp2p/mdns'),
  async () => await import('libp2p'),
  async () => await import('ipns'),
  async () => await import('../p2p/index.js'),
  async () => await import('../lineage/engine/index.js'),
  async () => await import('../fluence/index.js'),
  async () => await import('fastify'),
  async () => await import('../api/gateway/index.js'),
  async () => await import('../lineage/import/index.js'),
  async () => await import('../lineage/snapshots/index.js'),
  async () => await import('../replication/index.js'),
  async () => await import('../chain/index.js'),
  async () => await import('../api/index.js'),
]

/** heavy.ts, loaded in steps with an event-loop turn after each (see STEPS). */
export async function loadInTurns (): Promise<typeof Heavy> {
  for (const step of STEPS) {
    await step().catch(() => {})
    await nextTurn()
  }
  return await import('./heavy.js')
}
