/**
 * The node's embedded Fluence peer: js-client's FluencePeer with AquaVM and marine-js (in one
 * worker), connected through the node's own libp2p host on /fluence/particle/2.0.0. It hosts the
 * Marine services (keys, formatter, the meta contracts) and the engine's JS services behind the
 * Aqua API (aqua/lineage.aqua), acts as a relay for stock Fluence clients, and can join an
 * existing network through an external relay.
 *
 * @example
 * ```ts
 * const fluence = createFluencePeer({ libp2p, privateKey, logger, marineServices, engine, exportCollection, importCar },
 *   { aquaDir: 'dist/aqua', relay: '/dns4/relay.example/tcp/443/wss/p2p/12D3KooW…' })
 * await fluence.start()
 * const { peerId, aqua } = await fluence.resolve('/ip4/127.0.0.1/tcp/5482/ws/p2p/12D3KooW…')
 * const doc = await aqua.get_metadata(fluence.peer, { peer: peerId, chain_id: '1', token_address: '0x…', token_id: '7', limit: 0 })
 * JSON.parse(doc.json) // the tokenURI document that peer serves
 * await fluence.stop()
 * ```
 */
export { createFluencePeer } from './peer.js'
export type { CopyCollectionResult, Fluence, FluencePeerComponents, FluencePeerInit, FluenceStatus, MarineServiceModule, PeerAddress } from './peer.js'
export type { RelayState, RelayStatus } from './relay.js'
export type { ParticleConnectionStats } from './connection.js'
export type { CopyProgress } from './copy.js'
export type * from './aqua-types.js'
export { loadAquaApi } from './aqua.js'
export type { AquaApi } from './aqua.js'
export { relayPeerIdOf } from './relay.js'
export { loadJsClient } from './internals.js'
export type { Particle, KeyPair } from './internals.js'
export { checkParticleTime, decodeParticle, encodeParticle, frame, FrameDecoder, particleSigningBytes, verifyParticle, encodeUvarint, decodeUvarint } from './wire.js'
export * from './constants.js'
export * from './errors.js'
