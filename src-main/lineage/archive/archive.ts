import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import { encodeDagCborBlock } from '../../dag/index.js'
import type { EncodedBlock } from '../../dag/index.js'
import { UNSIGNED_FIELDS } from '../signing/index.js'
import type { TransactionRequest } from '../signing/index.js'
import { ARCHIVE_FORMAT, ARCHIVE_PAGE_LINKS, MAX_ARCHIVE_PAGES } from './constants.js'
import { InvalidArchiveError } from './errors.js'

const REQUEST_FIELDS = [...UNSIGNED_FIELDS, 'signature'] as const

const encode = encodeDagCborBlock

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
 * pages `{ transactions: [link…] }`, so that no block grows past the block limit.
 */
export function encodeArchive (transactions: CID[]): { root: EncodedBlock, pages: EncodedBlock[] } {
  const pages: EncodedBlock[] = []
  for (let i = 0; i < transactions.length; i += ARCHIVE_PAGE_LINKS) pages.push(encode({ transactions: transactions.slice(i, i + ARCHIVE_PAGE_LINKS) }))
  return { root: encode({ format: ARCHIVE_FORMAT, pages: pages.map(p => p.cid) }), pages }
}

/** The page links of an archive root, or undefined when the block is not an archive root. */
export function archivePages (cid: CID, bytes: Uint8Array): CID[] | undefined {
  if (cid.code !== dagCbor.code) return undefined
  let root: unknown
  try {
    root = dagCbor.decode(bytes)
  } catch {
    return undefined
  }
  if (typeof root !== 'object' || root === null || (root as { format?: unknown }).format !== ARCHIVE_FORMAT) return undefined
  const pages = (root as { pages?: unknown }).pages
  if (!Array.isArray(pages) || pages.length > MAX_ARCHIVE_PAGES || !pages.every(isLink)) {
    throw new InvalidArchiveError(cid.toString(), `its pages must be a list of at most ${MAX_ARCHIVE_PAGES} links`)
  }
  return pages
}

/** The transaction links of an archive page. */
export function pageTransactions (cid: CID, bytes: Uint8Array): CID[] {
  let page: unknown
  try {
    page = dagCbor.decode(bytes)
  } catch (err) {
    throw new InvalidArchiveError(cid.toString(), `a page is not dag-cbor (${(err as Error).message})`)
  }
  const transactions = (page as { transactions?: unknown } | null)?.transactions
  if (!Array.isArray(transactions) || transactions.length > ARCHIVE_PAGE_LINKS || !transactions.every(isLink)) {
    throw new InvalidArchiveError(cid.toString(), `a page must hold a list of at most ${ARCHIVE_PAGE_LINKS} transaction links`)
  }
  return transactions
}

function isLink (value: unknown): value is CID {
  return CID.asCID(value) !== null
}
