import { createBlockstore, createStore } from '../../src-main/store/index.js'
import { ledgerReads } from '../../src-main/lineage/tokens/index.js'
import type { SqliteBlockstore, Store } from '../../src-main/store/index.js'
import type { VersionBlock, VersionTransaction } from '../../src-main/dag/index.js'
import { testLog } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'

export interface OpenBlockstore {
  store: Store
  blockstore: SqliteBlockstore
  blockCount(): number
  close(): void
}

/** A real store in a fresh temp dir, with its blockstore. */
export function openBlockstore (): OpenBlockstore {
  const { dir, cleanup } = tempDir()
  const store = createStore({ log: testLog }, { dataDir: dir })
  store.start()
  return {
    store,
    blockstore: createBlockstore(store, { transactionRows: ledgerReads }),
    blockCount: () => (store.db.prepare('SELECT count(*) AS n FROM blocks').get() as { n: number }).n,
    close: () => {
      store.stop()
      cleanup()
    },
  }
}

export function transaction (n: number): VersionTransaction {
  return { hash: `0x${n.toString(16).padStart(64, '0')}`, timestamp: 1_700_000_000_000 + n, meta_contract_id: 'open', method: 'metadata', value: `{"n":${n}}` }
}

export function version (n: number, extra: Partial<VersionBlock> = {}): VersionBlock {
  return { timestamp: 1_700_000_000_000 + n, content: { name: `item ${n}` }, transaction: transaction(n), ...extra }
}

export async function collect (source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of source) chunks.push(chunk)
  return Uint8Array.from(Buffer.concat(chunks))
}

/** Replays bytes as a stream of small chunks, as a file or socket would deliver them. */
export async function * chunked (bytes: Uint8Array, size = 1000): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size)
}
