// Helpers every contract uses to answer the validator.
import { parseJson } from "@lineage/lib";
import { canonicalAlias, canonicalKey } from "./keys";
import { FinalMetadata, MetaContractResult, Transaction } from "./records";

/** `loose` values: the content was checked against the contract's schema, or only parsed as JSON. */
export const SCHEMA_CHECKED: i64 = 0;
export const LOOSE: i64 = 1;

export function accept(metadatas: Array<FinalMetadata>): MetaContractResult {
  const out = new MetaContractResult();
  out.result = true;
  out.metadatas = metadatas;
  return out;
}

export function reject(reason: string): MetaContractResult {
  const out = new MetaContractResult();
  out.result = false;
  out.error_string = reason;
  return out;
}

export function finalMetadata(publicKey: string, alias: string, content: string, loose: i64, version: string): FinalMetadata {
  const out = new FinalMetadata();
  out.public_key = publicKey;
  out.alias = alias;
  out.content = content;
  out.loose = loose;
  out.version = version;
  return out;
}

/**
 * The transaction's own write: its data under the signer's key, alias and version. An alias that
 * is the signer's own EVM address (in any case) is written lower-cased, as the key is.
 */
export function writeOf(transaction: Transaction, loose: i64): FinalMetadata {
  const key = canonicalKey(transaction.public_key);
  return finalMetadata(key, canonicalAlias(transaction.alias, key), transaction.data, loose, transaction.version);
}

/** "" when `text` is one JSON document, else why not. */
export function jsonError(text: string): string {
  const parsed = parseJson(text);
  return parsed.ok ? "" : "data is not valid JSON: " + parsed.error;
}

/** on_execute judges writes only; other methods never reach a contract through it. */
export function methodError(transaction: Transaction): string {
  return transaction.method == "metadata" ? "" : 'on_execute handles method "metadata", not "' + transaction.method + '"';
}
