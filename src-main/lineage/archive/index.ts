/**
 * Signed transactions as IPLD blocks, for CAR files that another node can replay. Version blocks
 * record a transaction's hash, not its signed request, so blocks alone cannot prove who wrote a
 * version or move a slot; an archive carries the signed requests too, in the order they were
 * applied. A node that imports it checks every signature and applies every transaction through
 * its own meta contracts; contracts are deterministic and the block timestamp is the signed one,
 * so it writes byte-identical version blocks and ends with the same slot heads.
 *
 * @example
 * ```ts
 * const tx = encodeTransactionBlock(request)              // { cid, bytes }
 * const { root, pages } = encodeArchive([tx.cid])         // root: { format, pages: [link] }
 * const links = archivePages(root.cid, root.bytes)        // undefined if not an archive
 * // An export's root also names its slot heads, pins and deployed contracts (pages of links):
 * const { pages, count, heads, pins, contracts } = readArchiveRoot(cid, bytes) ?? {}
 * ```
 */
export {
  archivePages, decodeTransactionBlock, encodeArchive, encodeArchiveRoot, encodeHeadsPage, encodePinsPage, encodeTransactionBlock,
  encodeTransactionsPage, pageHeads, pagePins, pageTransactions, readArchiveRoot,
} from './archive.js'
export type { ArchivedContract, ArchivedPin, ArchiveRoot } from './archive.js'
export * from './constants.js'
export * from './errors.js'
