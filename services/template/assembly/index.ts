// A meta contract to start from: copy this folder, edit the rules, then build it with
//   lineage-node contract build <folder>
// The validator calls the three exported functions; their signatures must stay as they are.
import {
  accept, FinalMetadata, jsonError, LOOSE, MetaContract, MetaContractResult, Metadata, methodError, reject, Transaction, writeOf,
} from "@lineage/contract-sdk";
import { JsonValue, parseJson } from "@lineage/lib";

/**
 * Judges one signed write. `metadatas` lists the token's current slots (who wrote what alias and
 * version, not the content). Return accept([...writes]) or reject("why").
 */
export function on_execute(contract: MetaContract, metadatas: Array<Metadata>, transaction: Transaction): MetaContractResult {
  const wrongMethod = methodError(transaction);
  if (wrongMethod.length > 0) return reject(wrongMethod);
  const invalid = jsonError(transaction.data);
  if (invalid.length > 0) return reject(invalid);

  // Example rule: a post must say something, in "text" or "image".
  const post = changetype<JsonValue>(parseJson(transaction.data).value).asObject();
  if (post === null) return reject("data must be a JSON object");
  if (!post.has("text") && !post.has("image")) return reject('data needs "text" or "image"');

  return accept([writeOf(transaction, LOOSE)]);
}

/** Called when a watched chain reports a mint; return the slots to create, if any. */
export function on_mint(contract: MetaContract, data_key: string, token_id: string, data: string): MetaContractResult {
  return accept(new Array<FinalMetadata>());
}

/** Whether slots under this contract may be cloned into new slots. */
export function on_clone(): bool {
  return true;
}
