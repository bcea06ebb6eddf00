// Records of the meta contract interface, with the field names and types of the original
// Lineage network so that contracts built for either side read the same arguments.

/** The binding of a contract to a collection; `public_key` is the key that bound it. */
export class MetaContract {
  hash: string = "";
  token_key: string = "";
  meta_contract_id: string = "";
  public_key: string = "";
  cid: string = "";
}

/** One current slot of the token: who wrote it, under which alias and version (not its content). */
export class Metadata {
  hash: string = "";
  token_key: string = "";
  data_key: string = "";
  meta_contract_id: string = "";
  token_id: string = "";
  alias: string = "";
  cid: string = "";
  public_key: string = "";
  version: string = "";
  loose: i64 = 0;
}

/**
 * The signed request the contract judges. `data` is the content (JSON for metadata).
 * The last two fields are not signed: they are what the node knows from the chain about the
 * token, from its owner index (docs/CHAIN.md). `token_state` is "minted", "unminted", "burned",
 * or "unwatched" (this node does not watch the collection: it knows nothing, so refuse what needs
 * it); `token_owner` is the ERC-721 holder as a lower-case 0x address, or "". A contract whose
 * Transaction lacks them (the original's 15 fields) is given the original record.
 */
export class Transaction {
  hash: string = "";
  method: string = "";
  meta_contract_id: string = "";
  data_key: string = "";
  token_key: string = "";
  data: string = "";
  public_key: string = "";
  alias: string = "";
  timestamp: u64 = 0;
  chain_id: string = "";
  token_address: string = "";
  token_id: string = "";
  version: string = "";
  status: i64 = 0;
  mcdata: string = "";
  token_state: string = "";
  token_owner: string = "";
}

/** A slot write the contract approves. `loose` is 0 when the content passed a schema, 1 otherwise. */
export class FinalMetadata {
  public_key: string = "";
  alias: string = "";
  content: string = "";
  loose: i64 = 0;
  version: string = "";
}

export class MetaContractResult {
  result: bool = false;
  metadatas: Array<FinalMetadata> = [];
  error_string: string = "";
}
