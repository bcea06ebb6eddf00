// The `collab` meta contract: the binder names collaborators, each writing only under the alias the
// binder gave it; the binder adds or removes them with a transaction on alias "_collab".
// See services/README.md for the list's format.
import {
  accept, canonicalAlias, canonicalKey, FinalMetadata, jsonError, LOOSE, MetaContract, MetaContractResult, Metadata, methodError,
  reject, Transaction, writeOf,
} from "@lineage/contract-sdk";
import { applyManagement } from "./manage";
import { currentMembers, STATE_ALIAS } from "./members";

export function on_execute(contract: MetaContract, metadatas: Array<Metadata>, transaction: Transaction): MetaContractResult {
  const wrongMethod = methodError(transaction);
  if (wrongMethod.length > 0) return reject(wrongMethod);
  // Keys compare in the node's form: an EVM address is one key in any case.
  const signer = canonicalKey(transaction.public_key);
  const isBinder = signer == canonicalKey(contract.public_key);
  const members = currentMembers(contract, metadatas);

  if (transaction.alias == STATE_ALIAS) {
    if (!isBinder) return reject("only the binder (" + contract.public_key + ") manages collaborators");
    const managed = applyManagement(signer, members, transaction.data);
    const write = managed.write;
    if (write === null) return reject(managed.error);
    return accept([write]);
  }
  if (transaction.alias.startsWith("_")) return reject('alias "' + transaction.alias + '" is reserved for the contract');

  if (!isBinder) {
    const own = members.aliasOf(signer);
    if (own === null) return reject(signer + " is not a collaborator of this token");
    if (own != canonicalAlias(transaction.alias, signer)) {
      return reject("collaborator " + signer + ' writes only under alias "' + own + '", not "' + transaction.alias + '"');
    }
  }
  const invalid = jsonError(transaction.data);
  if (invalid.length > 0) return reject(invalid);
  return accept([writeOf(transaction, LOOSE)]);
}

/** Minting writes nothing: the binder names collaborators per token by transaction. */
export function on_mint(contract: MetaContract, data_key: string, token_id: string, data: string): MetaContractResult {
  return accept(new Array<FinalMetadata>());
}

export function on_clone(): bool {
  return true;
}
