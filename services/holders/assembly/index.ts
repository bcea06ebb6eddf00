// The `holders` meta contract: the current holder of a token writes the fields the creator (the
// binder) chose for it, each under an alias that is the field's name; the creator writes
// everything else. Who holds the token is what the node's owner index says (the chain facts in
// the transaction), so it works only on a node that watches the collection: elsewhere holder
// writes are refused (fail closed). See services/README.md.
import {
  accept, canonicalKey, FinalMetadata, jsonError, LOOSE, MetaContract, MetaContractResult, Metadata, methodError, reject, Transaction, writeOf,
} from "@lineage/contract-sdk";
import { currentFields, setFields, STATE_ALIAS } from "./fields";

export function on_execute(contract: MetaContract, metadatas: Array<Metadata>, transaction: Transaction): MetaContractResult {
  const wrongMethod = methodError(transaction);
  if (wrongMethod.length > 0) return reject(wrongMethod);
  const signer = canonicalKey(transaction.public_key);
  const isBinder = signer == canonicalKey(contract.public_key);
  const fields = currentFields(contract, metadatas);

  if (transaction.alias == STATE_ALIAS) {
    if (!isBinder) return reject("only the creator (" + contract.public_key + ") chooses the fields holders may write");
    const managed = setFields(signer, fields, transaction.data);
    const write = managed.write;
    if (write === null) return reject(managed.error);
    return accept([write]);
  }
  if (transaction.alias.startsWith("_")) return reject('alias "' + transaction.alias + '" is reserved for the contract');
  const invalid = jsonError(transaction.data);
  if (invalid.length > 0) return reject(invalid);
  // The creator keeps every field, the holder's included.
  if (isBinder) return accept([writeOf(transaction, LOOSE)]);

  const token = "token " + transaction.token_id;
  if (transaction.token_state == "unwatched" || transaction.token_state == "") {
    return reject("this node does not watch the collection on chain " + transaction.chain_id + ", so it cannot tell who holds " + token + "; refused");
  }
  if (transaction.token_state == "burned") return reject(token + " is burned: it has no holder");
  if (transaction.token_state != "minted") return reject(token + " is not minted yet: it has no holder");
  if (transaction.token_owner.length == 0) return reject(token + " has no single holder (ERC-1155): only the creator writes it");
  if (canonicalKey(transaction.token_owner) != signer) {
    return reject("only the current holder of " + token + " (" + transaction.token_owner + ") or the creator may write it; " + signer + " is neither");
  }
  if (!fields.names.includes(transaction.alias)) {
    const allowed = fields.names.length == 0 ? "none (the creator has chosen no fields)" : fields.names.join(", ");
    return reject('the holder may write only these fields of ' + token + ": " + allowed + '; not "' + transaction.alias + '"');
  }
  return accept([writeOf(transaction, LOOSE)]);
}

/** Minting writes nothing: the holder writes by transaction, once the mint is confirmed. */
export function on_mint(contract: MetaContract, data_key: string, token_id: string, data: string): MetaContractResult {
  return accept(new Array<FinalMetadata>());
}

export function on_clone(): bool {
  return false;
}
