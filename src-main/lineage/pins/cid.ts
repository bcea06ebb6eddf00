import { CID } from 'multiformats/cid'
import { MAX_CID_TEXT_LENGTH } from './constants.js'
import { InvalidCidError } from './errors.js'

/** A CID given as an object or as text; text is parsed, and `field` names it when it is not a CID. */
export function toCid (value: CID | string, field = 'cid'): CID {
  if (typeof value !== 'string') return value
  if (value.length > MAX_CID_TEXT_LENGTH) throw new InvalidCidError(field, value, `longer than ${MAX_CID_TEXT_LENGTH} characters`)
  try {
    return CID.parse(value)
  } catch (err) {
    throw new InvalidCidError(field, value, err instanceof Error ? err.message : String(err))
  }
}

/**
 * The spelling a pin is stored under: CIDv1 in its default base. A CIDv0 and its CIDv1 name the
 * same block, so they must be one pin, not two that rm would have to find separately.
 */
export function pinKey (cid: CID): string {
  return cid.toV1().toString()
}
