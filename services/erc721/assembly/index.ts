// The `erc721` meta contract: the canonical metadata of a collection. The key that bound the
// contract writes the main document (alias ""), which must be valid ERC-721 metadata; any other
// signer writes only under its own alias, which is its public key (an EVM address in any case).
import {
  accept, canonicalAlias, canonicalKey, FinalMetadata, LOOSE, MetaContract, MetaContractResult, Metadata, methodError, reject,
  SCHEMA_CHECKED, Transaction, writeOf,
} from "@lineage/contract-sdk";
import { JsonValue, parseJson } from "@lineage/lib";
import { checkErc721 } from "./schema";

export const MAIN_ALIAS = "";

export function on_execute(contract: MetaContract, metadatas: Array<Metadata>, transaction: Transaction): MetaContractResult {
  const wrongMethod = methodError(transaction);
  if (wrongMethod.length > 0) return reject(wrongMethod);
  const signer = canonicalKey(transaction.public_key);
  const isBinder = signer == canonicalKey(contract.public_key);
  if (transaction.alias == MAIN_ALIAS && !isBinder) {
    return reject('only the collection\'s binder (' + contract.public_key + ') writes the main document (alias "")');
  }
  if (!isBinder && canonicalAlias(transaction.alias, signer) != signer) {
    return reject('alias "' + transaction.alias + '" is not yours: signers other than the binder write only under alias = their public key');
  }
  const parsed = parseJson(transaction.data);
  if (!parsed.ok) return reject("data is not valid JSON: " + parsed.error);
  if (transaction.alias != MAIN_ALIAS) return accept([writeOf(transaction, LOOSE)]);
  const problem = checkErc721(changetype<JsonValue>(parsed.value));
  if (problem.length > 0) return reject("invalid ERC-721 metadata: " + problem);
  return accept([writeOf(transaction, SCHEMA_CHECKED)]);
}

/** Minting writes nothing: the binder publishes each token's document as a transaction. */
export function on_mint(contract: MetaContract, data_key: string, token_id: string, data: string): MetaContractResult {
  return accept(new Array<FinalMetadata>());
}

/** The canonical document is not copied into other slots. */
export function on_clone(): bool {
  return false;
}
