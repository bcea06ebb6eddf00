// Slots → the tokenURI JSON a marketplace reads, byte-for-byte stable for the same slots.
import { decimalToHex64, JsonObject, sortKeysDeep, stringifyJson } from "@lineage/lib";
import { mergeSlots } from "./merge";
import { FormatResult, Slot } from "./records";
import { substituteId } from "./substitute";

function failure(error: string): FormatResult {
  const out = new FormatResult();
  out.error = error;
  return out;
}

export function formatToken(tokenId: string, slots: Array<Slot>): FormatResult {
  const hexId = decimalToHex64(tokenId);
  if (hexId === null) return failure('token_id "' + tokenId + '" is not a decimal integer below 2^256');
  const merged = mergeSlots(slots);
  const document = merged.document;
  if (document === null) return failure(merged.error);
  // Keys sorted at every depth: the same slots always give the same bytes.
  const sorted = changetype<JsonObject>(sortKeysDeep(document));
  substituteId(sorted, hexId!);
  const out = new FormatResult();
  out.ok = true;
  out.json = stringifyJson(sorted);
  return out;
}
