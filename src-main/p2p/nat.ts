import { autoNAT } from '@libp2p/autonat'
import type { AutoNATComponents } from '@libp2p/autonat'
import { circuitRelayServer, circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import type { CircuitRelayService } from '@libp2p/circuit-relay-v2'
import { dcutr } from '@libp2p/dcutr'
import { serviceDependencies } from '@libp2p/interface'
import type { Startable } from '@libp2p/interface'
import type { AddressManager, Registrar } from '@libp2p/interface-internal'
import { isNetworkAddress, isPrivate } from '@libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ServiceFactoryMap } from 'libp2p'
import {
  RELAY_DATA_LIMIT_BYTES,
  RELAY_DURATION_LIMIT_MS,
  RELAY_MAX_CIRCUITS_PER_PEER,
  RELAY_MAX_RESERVATIONS,
  RELAY_RESERVATIONS_WANTED,
  RELAY_RESERVATION_TTL_MS,
} from './constants.js'

/**
 * NAT traversal with the libp2p project's own modules: every node can dial and be dialled through
 * circuit relay v2 relays, asks its peers by AutoNAT whether its addresses are reachable (as a
 * client only, see autoNatClient), and
 * upgrades relayed connections to direct ones by DCUtR where the NATs allow. A node started with
 * the relay service also gives slots to other nodes, within the limits in constants.ts.
 */
export interface NatInit {
  /** Offer circuit relay v2 (hop) to other peers. Off by default: it spends this node's bandwidth. */
  relayService?: boolean
  /** Slots the relay service gives at once; RELAY_MAX_RESERVATIONS by default. */
  relayMaxReservations?: number
}

/** Whether peers on the internet can open a connection to this node, and how. */
export interface Reachability {
  status: 'public' | 'relayed' | 'unreachable' | 'unknown' | 'offline'
  /** Public addresses AutoNAT confirmed (another peer dialled back to them) or the operator stated (--p2p-announce). */
  public_addresses: string[]
  /** `/p2p-circuit` addresses through the relays this node holds a slot on. */
  relay_addresses: string[]
  /** This node gives relay slots to other peers. */
  relay_service: boolean
  /** Peer ids of the relays this node holds a reservation with. */
  relays: string[]
}

/** What reachability() reads of the host: AutoNAT's verdicts live on the address manager. */
interface AddressBook {
  addresses(): Array<{ multiaddr: Multiaddr, verified: boolean, expires: number }>
}

/** The AutoNAT v1 protocol @libp2p/autonat speaks. */
export const AUTONAT_PROTOCOL = '/libp2p/autonat/1.0.0'

/**
 * AutoNAT as a client only: the node asks peers to dial it back, and answers no one. The js
 * server of @libp2p/autonat 3.0.28 "dials back" through the connection the question came on (an
 * open direct connection is reused), then closes that connection in its cleanup: between two js
 * nodes (Lineage, Helia) the asker loses its connection, and with it a relay slot. go-libp2p
 * servers (Kubo, the IPFS network) dial back on a new connection and answer truthfully.
 */
function autoNatClient (): (components: AutoNATComponents & { registrar: Registrar }) => Startable {
  const factory = autoNAT()
  return components => {
    const inner = factory(components) as Startable
    return {
      [serviceDependencies]: ['@libp2p/identify'],
      start: async () => {
        await inner.start()
        // Before any connection opens (transports listen and dial after services start).
        await components.registrar.unhandle(AUTONAT_PROTOCOL)
      },
      stop: async () => { await inner.stop() },
    } as Startable
  }
}

/** A libp2p service that only hands over the address manager, where AutoNAT records its verdicts. */
function addressBook (): (components: { addressManager: AddressManager }) => AddressBook {
  return ({ addressManager }) => ({ addresses: () => addressManager.getAddressesWithMetadata() })
}

export type NatServices = {
  autoNAT: unknown
  dcutr: unknown
  addressBook: AddressBook
  circuitRelay?: CircuitRelayService
}

/** The relay transport (dialling `/p2p-circuit` addresses, and holding a slot to be dialled through one). */
export function natTransports (): Array<ReturnType<typeof circuitRelayTransport>> {
  return [circuitRelayTransport({ reservationConcurrency: RELAY_RESERVATIONS_WANTED })]
}

/**
 * `/p2p-circuit` asks the transport for a slot on a relay found among connected peers (the
 * bootstrap list, mDNS, peers dialled). A relay itself needs none: it is meant to be public.
 */
export function natListenAddresses (init: NatInit): string[] {
  return init.relayService === true ? [] : Array.from({ length: RELAY_RESERVATIONS_WANTED }, () => '/p2p-circuit')
}

/** AutoNAT, DCUtR and the address book on every node; the relay service only when asked for. */
export function natServices (init: NatInit): ServiceFactoryMap<NatServices> {
  const base: ServiceFactoryMap<NatServices> = { autoNAT: autoNatClient(), dcutr: dcutr(), addressBook: addressBook() }
  if (init.relayService !== true) return base
  return {
    ...base,
    circuitRelay: circuitRelayServer({
      maxOutboundStopStreams: RELAY_MAX_CIRCUITS_PER_PEER,
      reservations: {
        maxReservations: init.relayMaxReservations ?? RELAY_MAX_RESERVATIONS,
        reservationTtl: RELAY_RESERVATION_TTL_MS,
        applyDefaultLimit: true,
        defaultDataLimit: BigInt(RELAY_DATA_LIMIT_BYTES),
        defaultDurationLimit: RELAY_DURATION_LIMIT_MS,
      },
    }),
  }
}

const isCircuit = (ma: Multiaddr): boolean => ma.getComponents().some(c => c.name === 'p2p-circuit')
/** The relay's peer id in `<relay address>/p2p/<relay>/p2p-circuit/p2p/<us>`. */
function relayOf (ma: Multiaddr): string | undefined {
  const parts = ma.getComponents()
  const circuit = parts.findIndex(c => c.name === 'p2p-circuit')
  return parts.slice(0, circuit).findLast(c => c.name === 'p2p')?.value
}

/**
 * The rule (docs/ARCHITECTURE.md): 'public' when AutoNAT confirmed a public address, or the
 * operator stated one (`--p2p-announce`, which libp2p announces as verified); else
 * 'relayed' when a relay holds a slot for us; else 'unknown' while a public address still waits
 * for AutoNAT's first (or next) check; else 'unreachable' (no public address at all, e.g. only a
 * home network's private ones, or every one refused). 'offline' is for a node with no host.
 */
export function reachability (services: NatServices, announcedAddresses: string[], now = Date.now()): Reachability {
  const announced = announcedAddresses.map(a => multiaddr(a))
  const withPeer = (ma: Multiaddr): string => ma.toString()
  const candidates = services.addressBook.addresses().filter(a => !isCircuit(a.multiaddr) && isNetworkAddress(a.multiaddr) && !isPrivate(a.multiaddr))
  const publicAddresses = announced.filter(ma => !isCircuit(ma) && isNetworkAddress(ma) && !isPrivate(ma)).map(withPeer)
  const relayAddresses = announced.filter(isCircuit).map(withPeer)
  const relays = [...new Set(announced.filter(isCircuit).map(relayOf).filter(id => id !== undefined))]
  const waiting = candidates.some(a => !a.verified && a.expires <= now)
  const status = publicAddresses.length > 0 ? 'public' : relays.length > 0 ? 'relayed' : waiting ? 'unknown' : 'unreachable'
  return { status, public_addresses: publicAddresses, relay_addresses: relayAddresses, relay_service: services.circuitRelay !== undefined, relays }
}

/** What an offline node (no host) says. */
export function offlineReachability (): Reachability {
  return { status: 'offline', public_addresses: [], relay_addresses: [], relay_service: false, relays: [] }
}
