// The `open` meta contract: approves every well-formed write and stores `data` under the signer's
// key, alias and version.
import {
  accept, FinalMetadata, jsonError, LOOSE, MetaContract, MetaContractResult, Metadata, methodError, reject, Transaction, writeOf,
} from "@lineage/contract-sdk";

export function on_execute(contract: MetaContract, metadatas: Array<Metadata>, transaction: Transaction): MetaContractResult {
  const wrongMethod = methodError(transaction);
  if (wrongMethod.length > 0) return reject(wrongMethod);
  const invalid = jsonError(transaction.data);
  if (invalid.length > 0) return reject(invalid);
  return accept([writeOf(transaction, LOOSE)]);
}

/** Minting writes nothing: metadata arrives through signed transactions. */
export function on_mint(contract: MetaContract, data_key: string, token_id: string, data: string): MetaContractResult {
  return accept(new Array<FinalMetadata>());
}

export function on_clone(): bool {
  return true;
}
