// A collection on a running node, as a creator makes one: a key, the collection bound to a
// contract, and a folder of `<id>.json` documents imported through the node, waited for.
import fs from 'node:fs'
import path from 'node:path'
import type { OwnerCall } from './rpc.js'
import { waitFor } from './wait-for.js'

export interface FolderCollection {
  chain_id: string
  token_address: string
  meta_contract_id: string
  /** The signing key, made with `keys_new` (ed25519) unless `keyExists`. */
  key: string
  passphrase: string
  keyExists?: boolean
  /** Written first, one `<id>.json` a document. */
  folder: string
  documents: ReadonlyMap<number, unknown>
}

/** Binds the collection and imports its folder; resolves once the import has ended. */
export async function importFolderCollection (call: OwnerCall, c: FolderCollection): Promise<void> {
  const collection = { chain_id: c.chain_id, token_address: c.token_address }
  if (c.keyExists !== true) await call('keys_new', c.key, 'ed25519', c.passphrase)
  await call('sign_and_publish', c.key, c.passphrase, { method: 'contract', ...collection, token_id: '', meta_contract_id: c.meta_contract_id })
  fs.mkdirSync(c.folder, { recursive: true })
  for (const [id, document] of c.documents) fs.writeFileSync(path.join(c.folder, `${id}.json`), JSON.stringify(document))
  const { job } = await call<{ job: string }>('import_folder', c.folder, { ...collection, meta_contract_id: c.meta_contract_id, key: c.key, passphrase: c.passphrase })
  await waitFor(`the import of ${c.documents.size} documents to end`, async () => {
    const status = await call<{ state: string, running: boolean }>('import_status', job)
    return status.state !== 'running' && !status.running
  }, { timeoutMs: 180_000, intervalMs: 100 })
}

/** Documents 1…n made by `make`. */
export function documentsOf (n: number, make: (id: number) => unknown): Map<number, unknown> {
  return new Map(Array.from({ length: n }, (_, i) => [i + 1, make(i + 1)]))
}
