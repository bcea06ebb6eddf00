import type { Database, Statement } from 'better-sqlite3'
// The read model's own file: lineage/tokens/index.ts loads Marine, which a starting node does not yet.
import { ledgerReads } from '../../lineage/tokens/ledger-reads.js'
import type { BindingRow } from '../../lineage/tokens/ledger-reads.js'
import type { RevealGate } from '../../chain/index.js'
import { createDocumentStore } from '../gateway/stored-documents.js'
import type { CurrentDocument, DocumentStore } from '../gateway/stored-documents.js'
import { parseDocumentPath } from '../gateway/paths.js'

/**
 * The gateway's kept documents (table token_documents) read straight from SQLite, for the time
 * the node is starting: no Marine key derivation (the binding row names its token_key) and no
 * formatting. Answers only what it is sure of (a bound collection and a current kept document);
 * anything else is undefined and waits for the gateway.
 */
export class KeptDocuments {
  private readonly documents: DocumentStore
  private readonly byAddress: Statement<[string, string], BindingRow>
  private readonly byKey: Statement<[string], BindingRow>

  /** `reveal`: a token hidden until minted is sent its placeholder, or left to the gateway's 404. */
  constructor (db: Database, formatterId: string, private readonly reveal?: RevealGate) {
    this.documents = createDocumentStore(db, { formatterId })
    const reads = ledgerReads(db)
    this.byAddress = reads.bindingByAddress
    this.byKey = reads.bindingByKey
  }

  /** The kept document a gateway path (`/metadata|/ta/<chain>/<address>/<id>`, `/tk/<key>/<id>`) names, if any. */
  read (path: string): Pick<CurrentDocument, 'etag' | 'json'> | undefined {
    const named = parseDocumentPath(path)
    if (named === undefined) return undefined
    const binding = named.tokenKey !== undefined ? this.byKey.get(named.tokenKey) : this.byAddress.get(named.chainId, named.address)
    if (binding === undefined) return undefined
    const hidden = this.reveal?.hidden(binding.chainId, binding.tokenAddress, named.tokenId)
    if (hidden !== undefined) return hidden.placeholder ?? undefined
    return this.documents.current(binding.tokenKey, named.tokenId, binding.metaContractId)
  }

}
