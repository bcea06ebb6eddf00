import type { withBitswap } from '@helia/bitswap'
import { identity } from 'multiformats/hashes/identity'
import { sha256, sha512 } from 'multiformats/hashes/sha2'
import { RoutingUnavailableError, UnsupportedHashFunctionError } from './errors.js'

type HeliaParts = Parameters<typeof withBitswap>[0]
export type Routing = HeliaParts['routing']
export type HasherLoader = HeliaParts['getHasher']

/**
 * Content routing for a node without a DHT. Bitswap asks routing for providers of each wanted CID
 * and dials them; here the providers are the peers already connected (mDNS, the bootstrap list, a
 * manual dial, or a peer that dialled us), and bitswap sends its wantlist to every connected peer
 * on its own. So provider lookups find nothing more, announcements have nobody to go to, and
 * values and peer addresses cannot be looked up. Nothing is made up: an empty answer is the
 * truth for a node that knows only its connections.
 */
export function connectedPeersRouting (): Routing {
  return {
    async * findProviders () {},
    async provide () {},
    async cancelReprovide () {},
    async put (key) {
      throw new RoutingUnavailableError(`a place to store value ${Buffer.from(key).toString('hex').slice(0, 32)}`)
    },
    async get (key) {
      throw new RoutingUnavailableError(`value ${Buffer.from(key).toString('hex').slice(0, 32)}`)
    },
    async findPeer (peer) {
      throw new RoutingUnavailableError(`peer ${peer.toString()}`)
    },
    async * getClosestPeers () {},
  }
}

const HASHERS = new Map<number, Awaited<ReturnType<HasherLoader>>>([[sha256.code, sha256], [sha512.code, sha512], [identity.code, identity]])

/** The hash functions blocks from peers are checked with: those the dag layer verifies. */
export const loadHasher: HasherLoader = code => {
  const hasher = HASHERS.get(code)
  if (hasher === undefined) throw new UnsupportedHashFunctionError(code)
  return hasher
}
