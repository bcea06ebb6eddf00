// A stock Helia 7 node fetching blocks over bitswap: the anchor the replication benchmark compares
// with, and the "any IPFS node" of the interop tests.
import { noise } from '@chainsafe/libp2p-noise'
import { identify } from '@libp2p/identify'
import { tcp } from '@libp2p/tcp'
import { yamux } from '@libp2p/yamux'
import { multiaddr } from '@multiformats/multiaddr'
import { createHelia } from 'helia'
import type { CID } from 'multiformats/cid'
import { equals } from 'multiformats/bytes'
import { sha256 } from 'multiformats/hashes/sha2'
import { dialTarget } from '../../src-main/p2p/index.js'

/** Blocks a Helia user fetches at once (a Promise pool over `blockstore.get`, as UnixFS exporters do). */
export const HELIA_FETCH_CONCURRENCY = 32

/** How long one block may take before the fetch counts as failed. */
export const HELIA_BLOCK_TIMEOUT_MS = 30_000

export type StockHelia = Awaited<ReturnType<typeof startStockHelia>>

/**
 * `createHelia` (bitswap, in-memory block and data stores) on loopback TCP only. Its libp2p
 * defaults (DHT with public bootstrappers, mDNS, relays, UPnP, WebRTC) are replaced, and the HTTP
 * parts get no delegated routers and no gateways, so it reaches no one but the peers it dials.
 */
export async function startStockHelia () {
  const helia = createHelia({
    libp2p: {
      addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
      transports: [tcp()],
      connectionEncrypters: [noise()],
      streamMuxers: [yamux()],
      peerDiscovery: [],
      services: { identify: identify() },
    },
    http: { delegatedRouters: [], recursiveGateways: [] },
  })
  await helia.start()
  return helia
}

/** Reads a block from Helia's blockstore (the network is asked when it is not local). */
export async function heliaGet (helia: StockHelia, cid: CID, signal?: AbortSignal): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of helia.blockstore.get(cid, { signal: signal ?? AbortSignal.timeout(HELIA_BLOCK_TIMEOUT_MS) })) chunks.push(chunk)
  return chunks.length === 1 ? chunks[0] as Uint8Array : Buffer.concat(chunks)
}

/**
 * Starts a fresh stock Helia, dials `providerMultiaddr`, fetches every CID with Helia's own bitswap
 * (HELIA_FETCH_CONCURRENCY at a time), checks that each sha2-256 block hashes to its CID, stops.
 * `ms` covers the dial and the fetches, not Helia's start and stop.
 */
export async function heliaFetch (providerMultiaddr: string, cids: CID[]): Promise<{ ms: number, blocks: number }> {
  const helia = await startStockHelia()
  try {
    const started = performance.now()
    await helia.libp2p.dial(dialTarget(multiaddr(providerMultiaddr)))
    let blocks = 0
    let next = 0
    const worker = async (): Promise<void> => {
      while (next < cids.length) {
        const cid = cids[next++] as CID
        const bytes = await heliaGet(helia, cid)
        if (cid.multihash.code === sha256.code && !equals((await sha256.digest(bytes)).digest, cid.multihash.digest)) throw new Error(`Helia returned bytes that do not hash to ${cid.toString()}`)
        blocks++
      }
    }
    await Promise.all(Array.from({ length: Math.min(HELIA_FETCH_CONCURRENCY, cids.length) }, worker))
    const ms = performance.now() - started
    if (blocks !== cids.length) throw new Error(`Helia fetched ${blocks} of ${cids.length} blocks`)
    return { ms, blocks }
  } finally {
    await helia.stop()
  }
}
