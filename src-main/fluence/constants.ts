/**
 * Protocol ids, limits and timeouts of the embedded Fluence peer. Each one is listed, with why it
 * has its value, in docs/LIMITS.md.
 */

/** The Fluence particle protocol: one uvarint-framed particle per stream (js-client 0.9.0, Nox). */
export const PARTICLE_PROTOCOL = '/fluence/particle/2.0.0'

/** Largest framed particle we accept or send. Nox allows 100 MiB; ours carry documents and CAR chunks. */
export const MAX_PARTICLE_BYTES = 16 * 1024 * 1024

/** Particle streams open at once per connection, each way (stock js-client uses 1,024; libp2p's default of 32 inbound is too few). */
export const MAX_PARTICLE_STREAMS = 1024

/**
 * Particles one peer (the connection's remote end) may send a second, with bursts up to twice
 * that. Each costs an AquaVM run of about 1 ms in the main thread, so a flood from one peer is
 * dropped before it is decoded instead of taking the gateway's time. An Aqua call takes a few
 * particles; 0 turns the limit off.
 */
export const MAX_PARTICLES_PER_SECOND_PER_PEER = 300
/**
 * Particles held while js-client and AquaVM load for the first one (about a second, once a run:
 * an idle node does not load them); more are dropped and counted as rejected.
 */
export const MAX_HELD_PARTICLES = 1_000

/** Opening a stream and writing one particle, per next peer. */
export const SEND_TIMEOUT_MS = 5_000

/**
 * After we close our write side, how long the remote may keep its own open before the stream is
 * reset. Stock js-client 0.9.0 never closes a stream it only reads (docs/FLUENCE.md).
 */
export const STREAM_CLOSE_TIMEOUT_MS = 2_000

/**
 * A particle whose deadline (timestamp + ttl) is further ahead than this is refused. Its memory
 * lives until its deadline, and the ttl is signed, so it cannot be shortened instead.
 */
export const MAX_PARTICLE_DEADLINE_MS = 5 * 60_000

/** A particle stamped further in the future than this (clock skew) is refused. */
export const MAX_PARTICLE_CLOCK_SKEW_MS = 30_000

/** TTL of the particles this node starts (an Aqua call). */
export const DEFAULT_PARTICLE_TTL_MS = 7_000

/** TTL of the calls that copy a collection (large results). */
export const COPY_CALL_TTL_MS = 30_000

/**
 * A particle's processing group is released this long after its deadline, so AquaVM runs still
 * queued for it finish (docs/FLUENCE.md, "What js-client 0.9.0 does").
 */
export const PARTICLE_GROUP_SLACK_MS = 1_000

/** Calls to the AquaVM/Marine worker in flight before Node warns about its listeners (one per call; they are removed on answer). */
export const MAX_WORKER_CALLS_IN_FLIGHT = 10_000

/** Reconnecting to an external relay: first wait, doubling up to the maximum. */
export const RELAY_BACKOFF_INITIAL_MS = 1_000
export const RELAY_BACKOFF_MAX_MS = 60_000
/** Dialing the relay, per attempt. */
export const RELAY_DIAL_TIMEOUT_MS = 10_000

/** Versions of a slot or token history one call returns at most. */
export const MAX_HISTORY_VERSIONS_PER_CALL = 100
/** Tokens of a collection one `list_collection` call returns at most. */
export const MAX_COLLECTION_PAGE = 500

/** One chunk of a collection CAR sent in one particle (base64 makes it a third bigger). */
export const COPY_CHUNK_BYTES = 512 * 1024
/** Collection CARs held for peers copying them at once; the oldest is dropped first. */
export const MAX_COPY_SESSIONS = 4
/** A held CAR is dropped this long after its last chunk was read. */
export const COPY_SESSION_IDLE_MS = 60_000
/**
 * Copies one peer may open per window: each open exports a whole collection (CPU and disk), so a
 * peer asking again and again would keep the node busy. An honest copy opens once.
 */
export const MAX_COPY_OPENS_PER_PEER = 4
export const COPY_OPEN_WINDOW_MS = 60_000
/** Largest collection CAR a peer may copy from this node, or this node from a peer. */
export const MAX_COPY_CAR_BYTES = 256 * 1024 * 1024

/** Service ids of the engine, as the Aqua API declares them (aqua/lineage.aqua). */
export const NODE_SERVICE_ID = 'lineage-node'
export const ENGINE_SERVICE_ID = 'lineage'
export const COPY_SERVICE_ID = 'lineage-copy'

/** Trusted Marine services every node hosts, from the built services. */
export const MARINE_SERVICES = ['keys', 'formatter'] as const

/**
 * Ids no user contract may take as a Marine service: js-client's built-ins (a Marine service
 * would shadow them, and relaying depends on `op`, `peer`…), and our own.
 */
export const RESERVED_SERVICE_IDS: ReadonlySet<string> = new Set([
  'avm', 'sig', 'single_module_srv', 'tracingSrv', 'peer', 'op', 'kad', 'srv', 'dist', 'script', 'debug', 'math', 'cmp', 'array', 'json',
  'getDataSrv', 'callbackSrv', 'errorHandlingSrv', 'run-console',
  NODE_SERVICE_ID, ENGINE_SERVICE_ID, COPY_SERVICE_ID, ...MARINE_SERVICES,
])
