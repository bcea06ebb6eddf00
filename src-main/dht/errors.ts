/** An /ipns/ name this node does not keep (the gateway serves only its own names). */
export class IpnsNameNotFoundError extends Error {
  override readonly name = 'IpnsNameNotFoundError'
  constructor (readonly ipnsName: string) {
    super(`This node keeps no IPNS name ${ipnsName.slice(0, 80)}; it serves only the names of its own collections (ipns_ls lists them).`)
  }
}

/** Text that is not an IPNS name (a libp2p-key CID such as k51qzi5u…, or a peer id). */
export class InvalidIpnsNameError extends Error {
  override readonly name = 'InvalidIpnsNameError'
  constructor (readonly ipnsName: string) {
    super(`"${ipnsName.slice(0, 80)}" is not an IPNS name: expected a key such as k51qzi5uqu5d… or 12D3KooW….`)
  }
}

/** ipns_publish of a CID whose block this node does not hold: the name would point at nothing it can serve. */
export class IpnsValueNotHeldError extends Error {
  override readonly name = 'IpnsValueNotHeldError'
  readonly field = 'cid'
  constructor (readonly cid: string) {
    super(`This node does not hold ${cid.slice(0, 120)}; a name can point only at content the node serves (create the snapshot first).`)
  }
}

/** A CID parameter that does not parse. */
export class InvalidIpnsValueError extends Error {
  override readonly name = 'InvalidIpnsValueError'
  readonly field = 'cid'
  constructor (readonly cid: string) {
    super(`"${cid.slice(0, 120)}" is not a CID.`)
  }
}

/** The node keeps MAX_IPNS_NAMES names already. */
export class TooManyIpnsNamesError extends Error {
  override readonly name = 'TooManyIpnsNamesError'
  constructor (readonly limit: number) {
    super(`This node keeps ${limit} IPNS names already, the most it republishes; no new name was made.`)
  }
}

/** The IPNS names file in the data dir is damaged. */
export class IpnsNamesFileError extends Error {
  override readonly name = 'IpnsNamesFileError'
  constructor (readonly path: string, why: string) {
    super(`The IPNS names file ${path} cannot be read: ${why}. Move it away to start over (the names' keys stay in the credentials file).`)
  }
}

/** ipns_publish for a collection given by a chain id or contract address that is not one. */
export class InvalidCollectionError extends Error {
  override readonly name = 'InvalidCollectionError'
  constructor (message: string) {
    super(message)
  }
}
