import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { decodeVersionBlock } from '../../dag/index.js'
import type { VersionBlock } from '../../dag/index.js'
import type { SqliteBlockstore } from '../../store/index.js'
import { NotAVersionError, VersionCidError, VersionNotFoundError } from './errors.js'

/** A CID parameter, parsed; `field` names the parameter in the error. */
export function parseVersionCid (text: string, field: string): CID {
  try {
    return CID.parse(text)
  } catch {
    throw new VersionCidError(field, text)
  }
}

/**
 * Reads and decodes one version block. Synchronous (the blockstore is SQLite), so a page of
 * history is read without yielding between versions.
 *
 * @throws VersionNotFoundError when the block is not here, NotAVersionError when it is not a version
 */
export function readVersion (blockstore: SqliteBlockstore, cid: CID): VersionBlock {
  if (cid.code !== dagCbor.code) throw new NotAVersionError(cid.toString(), `its codec is 0x${cid.code.toString(16)}, not dag-cbor`)
  const bytes = blockstore.getSync(cid)
  if (bytes === undefined) throw new VersionNotFoundError(cid.toString())
  try {
    return decodeVersionBlock(bytes)
  } catch (err) {
    throw new NotAVersionError(cid.toString(), (err as Error).message)
  }
}
