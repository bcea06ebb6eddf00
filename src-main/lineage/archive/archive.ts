import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { encodeDagCborBlock } from '../../dag/index.js'
import type { EncodedBlock } from '../../dag/index.js'
import { UNSIGNED_FIELDS } from '../signing/index.js'
import type { TransactionRequest } from '../signing/index.js'
import { ARCHIVE_FORMAT, ARCHIVE_PAGE_LINKS, HEADS_PAGE_LINKS, MAX_ARCHIVE_CONTRACTS, MAX_ARCHIVE_PAGES, PINS_PAGE_ENTRIES } from './constants.js'
import { InvalidArchiveError } from './errors.js'

const REQUEST_FIELDS = [...UNSIGNED_FIELDS, 'signature'] as const

const encode = encodeDagCborBlock

/** A pin as an archive keeps it, so an import restores it as it was. */
export interface ArchivedPin {
  cid: CID
  recursive: boolean
  name: string
}

/** A user-deployed meta contract as an archive keeps it: its id, name and module block (raw). */
export interface ArchivedContract {
  id: string
  name: string
  module: CID
}

/**
 * What an archive root names. `pages` (the signed transactions, in the order to apply them) is
 * all the first layout had; exports since add the rest, which older readers ignore.
 */
export interface ArchiveRoot {
  pages: CID[]
  /** Transactions in the pages; absent in archives of the first layout. */
  count?: number
  /** Pages of the slot heads the transactions produced on the exporting node. */
  heads: CID[]
  /** Pages of the exporting node's pins (a whole-node export only). */
  pins: CID[]
  /** User-deployed contracts the transactions need. */
  contracts: ArchivedContract[]
}

/**
 * A signed transaction as a dag-cbor block: exactly the request's fields, so the block is the
 * same on every node that holds the transaction, and its reader can check the signature.
 */
export function encodeTransactionBlock (request: TransactionRequest): EncodedBlock {
  const fields: Record<string, unknown> = {}
  for (const field of REQUEST_FIELDS) fields[field] = request[field]
  return encode(fields)
}

/** The request a transaction block holds, unchecked: the engine checks it as any submitted request. */
export function decodeTransactionBlock (cid: CID, bytes: Uint8Array): unknown {
  try {
    return dagCbor.decode(bytes)
  } catch (err) {
    throw new InvalidArchiveError(cid.toString(), `a transaction block is not dag-cbor (${(err as Error).message})`)
  }
}

/**
 * The archive of transactions, in the order they were applied: a root `{ format, pages }` and
 * pages `{ transactions: [link…] }`, so that no block grows past the block limit. Holds every
 * page in memory: for archives of any size, encode pages one by one with encodeTransactionsPage.
 */
export function encodeArchive (transactions: CID[]): { root: EncodedBlock, pages: EncodedBlock[] } {
  const pages: EncodedBlock[] = []
  for (let i = 0; i < transactions.length; i += ARCHIVE_PAGE_LINKS) pages.push(encodeTransactionsPage(transactions.slice(i, i + ARCHIVE_PAGE_LINKS)))
  return { root: encodeArchiveRoot({ pages: pages.map(p => p.cid), heads: [], pins: [], contracts: [] }), pages }
}

/** One page of transaction links (at most ARCHIVE_PAGE_LINKS). */
export function encodeTransactionsPage (transactions: CID[]): EncodedBlock {
  return encode({ transactions })
}

/** One page of slot heads (at most HEADS_PAGE_LINKS). */
export function encodeHeadsPage (heads: CID[]): EncodedBlock {
  return encode({ heads })
}

/** One page of pins (at most PINS_PAGE_ENTRIES). */
export function encodePinsPage (pins: ArchivedPin[]): EncodedBlock {
  return encode({ pins: pins.map(p => ({ cid: p.cid, recursive: p.recursive, name: p.name })) })
}

/**
 * The root. Fields beyond `format` and `pages` are written only when present, so an archive
 * without heads, pins or contracts is byte for byte what the first layout wrote.
 */
export function encodeArchiveRoot (root: ArchiveRoot): EncodedBlock {
  const value: Record<string, unknown> = { format: ARCHIVE_FORMAT, pages: root.pages }
  if (root.count !== undefined) value.count = root.count
  if (root.heads.length > 0) value.heads = root.heads
  if (root.pins.length > 0) value.pins = root.pins
  if (root.contracts.length > 0) value.contracts = root.contracts.map(c => ({ id: c.id, name: c.name, module: c.module }))
  return encode(value)
}

/** The page links of an archive root, or undefined when the block is not an archive root. */
export function archivePages (cid: CID, bytes: Uint8Array): CID[] | undefined {
  return readArchiveRoot(cid, bytes)?.pages
}

/**
 * Everything an archive root names, or undefined when the block is not an archive root.
 * Throws InvalidArchiveError naming the field when it claims the format but breaks the layout.
 */
export function readArchiveRoot (cid: CID, bytes: Uint8Array): ArchiveRoot | undefined {
  if (cid.code !== dagCbor.code) return undefined
  let root: unknown
  try {
    root = dagCbor.decode(bytes)
  } catch {
    return undefined
  }
  if (!isRecord(root) || root.format !== ARCHIVE_FORMAT) return undefined
  const invalid = (detail: string): InvalidArchiveError => new InvalidArchiveError(cid.toString(), detail)
  const links = (field: string, value: unknown, optional: boolean): CID[] => {
    if (value === undefined && optional) return []
    if (!Array.isArray(value) || value.length > MAX_ARCHIVE_PAGES || !value.every(isLink)) throw invalid(`its ${field} must be a list of at most ${MAX_ARCHIVE_PAGES} links`)
    return value
  }
  const pages = links('pages', root.pages, false)
  const heads = links('heads', root.heads, true)
  const pins = links('pins', root.pins, true)
  const count = root.count
  if (count !== undefined && (typeof count !== 'number' || !Number.isSafeInteger(count) || count < 0 || count > pages.length * ARCHIVE_PAGE_LINKS)) {
    throw invalid('its count must be a whole number no larger than its pages can hold')
  }
  const contracts = root.contracts ?? []
  if (!Array.isArray(contracts) || contracts.length > MAX_ARCHIVE_CONTRACTS || !contracts.every(isArchivedContract)) {
    throw invalid(`its contracts must be a list of at most ${MAX_ARCHIVE_CONTRACTS} entries { id, name, module }`)
  }
  return { pages, ...(count === undefined ? {} : { count }), heads, pins, contracts: contracts.map(c => ({ id: c.id, name: c.name, module: c.module })) }
}

/** The transaction links of an archive page. */
export function pageTransactions (cid: CID, bytes: Uint8Array): CID[] {
  const transactions = readPage(cid, bytes, 'a page', 'transactions')
  if (!Array.isArray(transactions) || transactions.length > ARCHIVE_PAGE_LINKS || !transactions.every(isLink)) {
    throw new InvalidArchiveError(cid.toString(), `a page must hold a list of at most ${ARCHIVE_PAGE_LINKS} transaction links`)
  }
  return transactions
}

/** The slot heads of a heads page. */
export function pageHeads (cid: CID, bytes: Uint8Array): CID[] {
  const heads = readPage(cid, bytes, 'a heads page', 'heads')
  if (!Array.isArray(heads) || heads.length > HEADS_PAGE_LINKS || !heads.every(isLink)) {
    throw new InvalidArchiveError(cid.toString(), `a heads page must hold a list of at most ${HEADS_PAGE_LINKS} links`)
  }
  return heads
}

/** The pins of a pins page. */
export function pagePins (cid: CID, bytes: Uint8Array): ArchivedPin[] {
  const pins = readPage(cid, bytes, 'a pins page', 'pins')
  if (!Array.isArray(pins) || pins.length > PINS_PAGE_ENTRIES || !pins.every(isArchivedPin)) {
    throw new InvalidArchiveError(cid.toString(), `a pins page must hold a list of at most ${PINS_PAGE_ENTRIES} entries { cid, recursive, name }`)
  }
  return pins.map(p => ({ cid: p.cid, recursive: p.recursive, name: p.name }))
}

function readPage (cid: CID, bytes: Uint8Array, what: string, field: string): unknown {
  let page: unknown
  try {
    page = dagCbor.decode(bytes)
  } catch (err) {
    throw new InvalidArchiveError(cid.toString(), `${what} is not dag-cbor (${(err as Error).message})`)
  }
  return isRecord(page) ? page[field] : undefined
}

function isRecord (value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function isLink (value: unknown): value is CID {
  return CID.asCID(value) !== null
}

function isArchivedPin (value: unknown): value is ArchivedPin {
  return isRecord(value) && isLink(value.cid) && typeof value.recursive === 'boolean' && typeof value.name === 'string'
}

function isArchivedContract (value: unknown): value is ArchivedContract {
  return isRecord(value) && typeof value.id === 'string' && typeof value.name === 'string' && isLink(value.module)
}
