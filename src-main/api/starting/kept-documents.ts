import type { Database, Statement } from 'better-sqlite3'
import { createDocumentStore } from '../gateway/stored-documents.js'
import type { CurrentDocument, DocumentStore } from '../gateway/stored-documents.js'
import { parseTokenId } from '../gateway/token-id.js'

const CHAIN_ID = /^[0-9]{1,20}$/
const ADDRESS = /^0x[0-9a-fA-F]{40}$/
const TOKEN_KEY = /^[1-9A-HJ-NP-Za-km-z]{32,64}$/

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
    const parts = path.split('/')
    if ((parts[1] === 'metadata' || parts[1] === 'ta') && parts.length === 5) {
      const [, , chainId = '', address = '', tokenIdText = ''] = parts
      if (!CHAIN_ID.test(chainId) || !ADDRESS.test(address)) return undefined
      const tokenId = parseTokenId(tokenIdText)
      const binding = tokenId === undefined ? undefined : this.byAddress.get(chainId, address)
      return binding === undefined || tokenId === undefined ? undefined : this.documents.current(binding.tokenKey, tokenId, binding.metaContractId)
    }
    if (parts[1] === 'tk' && parts.length === 4) {
      const [, , tokenKey = '', tokenIdText = ''] = parts
      if (!TOKEN_KEY.test(tokenKey)) return undefined
      const tokenId = parseTokenId(tokenIdText)
      const binding = tokenId === undefined ? undefined : this.byKey.get(tokenKey)
      return binding === undefined || tokenId === undefined ? undefined : this.documents.current(tokenKey, tokenId, binding.metaContractId)
    }
    return undefined
  }
}
