import * as dagCbor from '@ipld/dag-cbor'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { decode as decodeMultihash } from 'multiformats/hashes/digest'
import { sha256 } from 'multiformats/hashes/sha2'
import { encodeVersionBlock } from '../../../src-main/dag/index.js'
import type { EncodedBlock } from '../../../src-main/dag/index.js'
import { createPins } from '../../../src-main/lineage/pins/index.js'
import type { Pins, PinsInit } from '../../../src-main/lineage/pins/index.js'
import { createBlockstore, createStore } from '../../../src-main/store/index.js'
import { ledgerReads } from '../../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore, Store } from '../../../src-main/store/index.js'
import { testLog } from '../../helpers/logger.js'
import { tempDir } from '../../helpers/temp-dir.js'

export interface PinsFixture {
  store: Store
  blockstore: SqliteBlockstore
  pins: Pins
  close(): void
}

/** A real store in a temp dir, its blockstore, and pins over both. */
export function openPins (init: PinsInit = {}): PinsFixture {
  const t = tempDir()
  const store = createStore({ log: testLog }, { dataDir: t.dir })
  store.start()
  const blockstore = createBlockstore(store, { transactionRows: ledgerReads })
  return {
    store,
    blockstore,
    pins: createPins({ store, blockstore, log: testLog }, init),
    close: () => {
      store.stop()
      t.cleanup()
    },
  }
}

/** A slot's version chain as the validator writes it, oldest first, each linking the one before. */
export function versionChain (label: string, length: number): EncodedBlock[] {
  const blocks: EncodedBlock[] = []
  for (let i = 0; i < length; i++) {
    const previous = blocks.at(-1)?.cid
    blocks.push(encodeVersionBlock({
      timestamp: 1_700_000_000_000 + i,
      content: { name: `${label} v${i + 1}`, description: 'x'.repeat(i * 7) },
      ...(previous === undefined ? {} : { previous }),
      transaction: { hash: `${label}-${i}`.padEnd(64, '0'), timestamp: 1_700_000_000_000 + i, meta_contract_id: 'open', method: 'metadata', value: '' },
    }))
  }
  return blocks
}

export async function rawBlock (text: string): Promise<EncodedBlock> {
  const bytes = new TextEncoder().encode(text)
  return { cid: CID.createV1(raw.code, await sha256.digest(bytes)), bytes }
}

/** Any dag-cbor block (links inside `value` are followed by recursive pins and GC). */
export async function cborBlock (value: unknown): Promise<EncodedBlock> {
  const bytes = dagCbor.encode(value)
  return { cid: CID.createV1(dagCbor.code, await sha256.digest(bytes)), bytes }
}

export function put (blockstore: SqliteBlockstore, ...blocks: EncodedBlock[]): void {
  blockstore.putManySync(blocks)
}

export const cids = (blocks: EncodedBlock[]): string[] => blocks.map(b => b.cid.toString())
export const bytesOf = (blocks: EncodedBlock[]): number => blocks.reduce((n, b) => n + b.bytes.byteLength, 0)

/** Writes a slot row with `head` as its head, as the validator would. */
export function setSlotHead (store: Store, slot: { data_key: string, meta_contract_id?: string, alias?: string, version?: string }, head: CID): void {
  store.db.prepare(`INSERT INTO slots (data_key, meta_contract_id, public_key, alias, version, token_key, token_id, head_cid, loose, last_tx, updated_at)
    VALUES (@data_key, @meta_contract_id, 'pk', @alias, @version, 'tk', '1', @head_cid, 1, 'tx', 0)
    ON CONFLICT (data_key, meta_contract_id, public_key, alias, version) DO UPDATE SET head_cid = excluded.head_cid`)
    .run({ data_key: slot.data_key, meta_contract_id: slot.meta_contract_id ?? 'open', alias: slot.alias ?? '', version: slot.version ?? 'v1', head_cid: head.toString() })
}

/** Every stored block, as CIDv1 strings, read straight from the table. */
export function storedCids (store: Store): Set<string> {
  const rows = store.db.prepare('SELECT multihash, codec FROM blocks').all() as Array<{ multihash: Buffer, codec: number }>
  return new Set(rows.map(r => CID.createV1(r.codec, decodeMultihash(new Uint8Array(r.multihash))).toString()))
}

export const rowCount = (store: Store, table: string): number => (store.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n
