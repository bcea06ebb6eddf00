// OrbitDB 4 (`@orbitdb/core` 4.0.0) writing ERC-721 documents, the anchor of the write benches:
// a `documents` database on a fresh Helia 7 node with no network (libp2p on 127.0.0.1 only, no
// bootstrap, no mDNS, no bitswap or HTTP routing). Storage is what OrbitDB does by default in
// Node: its heads, index and keystore in LevelDB (classic-level) under a temp dir, the log
// entries in Helia's default in-memory blockstore (and pinned there, as OrbitDB does).
// `await db.put({ _id, ...document })` for each.
import path from 'node:path'
import { performance } from 'node:perf_hooks'
import v8 from 'node:v8'
import vm from 'node:vm'
import { noise } from '@chainsafe/libp2p-noise'
import { withLibp2pLight } from '@helia/libp2p'
import * as dagCbor from '@ipld/dag-cbor'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { createOrbitDB } from '@orbitdb/core'
import { createHeliaLight } from 'helia'
import { expect } from 'vitest'
import { documentFor } from '../documents.js'
import type { MeasuredCase } from '../ratios.js'

export const ORBITDB_ANCHOR = 'OrbitDB 4.0.0 documents (Helia 7, await each put)'

export interface Run extends MeasuredCase {
  totalMs: number
  /** Start-up before the timed part (node, database, collection binding), not in the row. */
  setupMs: number
}

/** A whole run as one row: mean per document from the total, p99 from the gaps between completions. */
export function wholeRun (name: string, startedAt: number, completions: number[], setupMs: number): Run {
  const gaps = completions.map((t, i) => t - (i === 0 ? startedAt : completions[i - 1] ?? startedAt)).sort((a, b) => a - b)
  const totalMs = (completions.at(-1) ?? startedAt) - startedAt
  return {
    name,
    latency: { mean: totalMs / completions.length, p99: gaps[Math.min(gaps.length - 1, Math.floor(gaps.length * 0.99))] ?? 0 },
    throughput: { mean: completions.length / (totalMs / 1000) },
    totalMs,
    setupMs,
  }
}

/**
 * A full collection between runs, so a run does not pay in its own GC pauses for the garbage the
 * run before it left (OrbitDB's whole log, index and libp2p node, once stopped). `--expose-gc`
 * is switched on here because the bench config's execArgv is shared by every benchmark.
 */
export function collectGarbage (): void {
  v8.setFlagsFromString('--expose-gc')
  const gc = vm.runInNewContext('gc') as () => void
  gc()
}

export async function orbitdbRun (dir: string, items: number): Promise<Run> {
  const setupStart = performance.now()
  // helia 7's `createHelia` adds bitswap, HTTP gateways and delegated routing (network); the light
  // node with our own libp2p config has none of that. Gossipsub is OrbitDB's pubsub for head sync;
  // `allowPublishToZeroTopicPeers` is what OrbitDB's README sets for a single peer.
  const helia = withLibp2pLight(createHeliaLight({ codecs: [dagCbor] }), {
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), pubsub: gossipsub({ allowPublishToZeroTopicPeers: true }) },
  })
  await helia.start()
  const orbitdb = await createOrbitDB({ ipfs: helia, directory: path.join(dir, 'orbitdb') })
  try {
    const db = await orbitdb.open('lineage-bench-tokens', { type: 'documents' })
    const setupMs = performance.now() - setupStart
    const completions: number[] = []
    const startedAt = performance.now()
    for (let id = 0; id < items; id++) {
      await db.put({ _id: String(id), ...documentFor(id) })
      completions.push(performance.now())
    }
    const run = wholeRun(ORBITDB_ANCHOR, startedAt, completions, setupMs)
    for (const id of [0, 42 % items, items - 1]) expect((await db.get(String(id)))?.value).toEqual({ _id: String(id), ...documentFor(id) })
    return run
  } finally {
    await orbitdb.stop()
    await helia.stop()
  }
}
