import type { Database, Statement } from 'better-sqlite3'
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
  private readonly byAddress: Statement<[string, string], { tokenKey: string, metaContractId: string }>
  private readonly byKey: Statement<[string], { metaContractId: string }>

  constructor (db: Database, formatterId: string) {
    this.documents = createDocumentStore(db, { formatterId })
    // A token key is derived from the lower-cased address (services/keys), so any case names it;
    // bindings are one row a collection, few enough to compare without an index.
    this.byAddress = db.prepare('SELECT token_key AS tokenKey, meta_contract_id AS metaContractId FROM contract_bindings WHERE chain_id = ? AND lower(token_address) = lower(?)')
    this.byKey = db.prepare('SELECT meta_contract_id AS metaContractId FROM contract_bindings WHERE token_key = ?')
  }

  /** The kept document a gateway path (`/metadata|/ta/<chain>/<address>/<id>`, `/tk/<key>/<id>`) names, if any. */
  read (path: string): CurrentDocument | undefined {
    const named = parseDocumentPath(path)
    if (named === undefined) return undefined
    if (named.tokenKey !== undefined) {
      const binding = this.byKey.get(named.tokenKey)
      return binding === undefined ? undefined : this.documents.current(named.tokenKey, named.tokenId, binding.metaContractId)
    }
    const binding = this.byAddress.get(named.chainId, named.address)
    return binding === undefined ? undefined : this.documents.current(binding.tokenKey, named.tokenId, binding.metaContractId)
  }

}
