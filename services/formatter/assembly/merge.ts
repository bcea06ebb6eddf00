// Merges a token's slots into one document. The result depends only on the set of slots, not on
// the order they arrive in: slots are applied in (alias, public_key, version, content) order and,
// on a key collision, the slot applied later wins.
import { JsonObject, JsonValue, parseJson } from "@lineage/lib";
import { Slot } from "./records";

/** Aliases starting with this are contract bookkeeping (e.g. collab's "_collab") and stay out of the document. */
export const HIDDEN_ALIAS_PREFIX = "_";

export class MergeResult {
  constructor(public document: JsonObject | null, public error: string) {}
}

function compareSlots(a: Slot, b: Slot): i32 {
  if (a.alias != b.alias) return a.alias < b.alias ? -1 : 1;
  if (a.public_key != b.public_key) return a.public_key < b.public_key ? -1 : 1;
  if (a.version != b.version) return a.version < b.version ? -1 : 1;
  if (a.content != b.content) return a.content < b.content ? -1 : 1;
  return 0;
}

function describeSlot(slot: Slot): string {
  return 'slot (alias "' + slot.alias + '", public_key "' + slot.public_key + '", version "' + slot.version + '")';
}

function mergeInto(target: JsonObject, source: JsonObject): void {
  const keys = source.keys();
  for (let i = 0; i < keys.length; i++) target.set(keys[i], changetype<JsonValue>(source.get(keys[i])));
}

export function mergeSlots(slots: Array<Slot>): MergeResult {
  const ordered = slots.slice(0);
  ordered.sort(compareSlots);
  const out = new JsonObject();
  for (let i = 0; i < ordered.length; i++) {
    const slot = ordered[i];
    if (slot.alias.startsWith(HIDDEN_ALIAS_PREFIX)) continue;
    const parsed = parseJson(slot.content);
    if (!parsed.ok) return new MergeResult(null, describeSlot(slot) + ": invalid JSON: " + parsed.error);
    const value = changetype<JsonValue>(parsed.value);
    const object = value.asObject();
    if (slot.alias.length == 0) {
      // Rows without alias form the top level, so their content must be an object.
      if (object === null) return new MergeResult(null, describeSlot(slot) + ": content without alias must be a JSON object");
      mergeInto(out, object);
      continue;
    }
    const existing = out.get(slot.alias);
    if (existing !== null && existing.isObject() && object !== null) {
      mergeInto(changetype<JsonObject>(existing), object);
    } else {
      out.set(slot.alias, value);
    }
  }
  return new MergeResult(out, "");
}
