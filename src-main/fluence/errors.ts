/** A frame or particle on /fluence/particle/2.0.0 that does not parse; the particle is dropped. */
export class ParticleFormatError extends Error {
  override readonly name = 'ParticleFormatError'
}

/** A particle whose signature does not verify under its init_peer_id's key; dropped. */
export class ParticleSignatureError extends Error {
  override readonly name = 'ParticleSignatureError'
  constructor (id: string, initPeerId: string) {
    super(`particle ${id}: the signature is not ${initPeerId}'s`)
  }
}

/** A particle outside the node's time bounds (deadline too far ahead, stamped in the future, or expired). */
export class ParticleTimeError extends Error {
  override readonly name = 'ParticleTimeError'
}

/** The Fluence peer was used before start() or after stop(). */
export class FluenceNotStartedError extends Error {
  override readonly name = 'FluenceNotStartedError'
  constructor () {
    super('The Fluence peer is not running (the node is offline or stopped).')
  }
}

/** The node's identity is not Ed25519; Fluence peer ids must embed an Ed25519 key. */
export class FluenceIdentityError extends Error {
  override readonly name = 'FluenceIdentityError'
}

/** A particle could not be sent to one or more next peers. */
export class ParticleSendError extends Error {
  override readonly name = 'ParticleSendError'
}

/** The built Aqua API (dist/aqua) is missing or does not have what the node needs. */
export class AquaBuildMissingError extends Error {
  override readonly name = 'AquaBuildMissingError'
  constructor (file: string) {
    super(`The compiled Aqua API is missing (${file}). Run \`npm run build\` first.`)
  }
}

/** A call to another peer failed: it is unreachable, timed out, or its service answered an error. */
export class RemoteCallError extends Error {
  override readonly name = 'RemoteCallError'
}

/** A peer address is neither a peer id nor a multiaddr ending in /p2p/<peer id>. */
export class PeerAddressError extends Error {
  override readonly name = 'PeerAddressError'
  constructor (address: string) {
    super(`"${address}" is neither a peer id nor a multiaddr ending in /p2p/<peer id>.`)
  }
}

/** A block received while copying a collection does not hash to its CID, or the copy is incomplete. */
export class CopyVerificationError extends Error {
  override readonly name = 'CopyVerificationError'
}

/** A collection copy session is unknown (expired, or never opened) or over its limits. */
export class CopySessionError extends Error {
  override readonly name = 'CopySessionError'
}
