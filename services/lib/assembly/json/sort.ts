// Canonical key order for hashing and signing: the order JavaScript's default
// Array.prototype.sort gives strings, which compares UTF-16 code units (not code points).

import { JsonKind, JsonValue, JsonNull, JsonBool, JsonNumber, JsonString, JsonArray, JsonObject } from "./value";

/** A deep copy of `value` in which every object's keys are in UTF-16 code unit order. */
export function sortKeysDeep(value: JsonValue): JsonValue {
  switch (value.kind) {
    case JsonKind.Bool:
      return new JsonBool(changetype<JsonBool>(value).value);
    case JsonKind.Number:
      return new JsonNumber(changetype<JsonNumber>(value).lexeme);
    case JsonKind.String:
      return new JsonString(changetype<JsonString>(value).value);
    case JsonKind.Array:
      return sortArray(changetype<JsonArray>(value));
    case JsonKind.Object:
      return sortObject(changetype<JsonObject>(value));
    default:
      return new JsonNull();
  }
}

function sortArray(array: JsonArray): JsonArray {
  const items = new Array<JsonValue>(array.items.length);
  for (let i = 0; i < items.length; i++) items[i] = sortKeysDeep(array.items[i]);
  return new JsonArray(items);
}

function sortObject(object: JsonObject): JsonObject {
  const keys = object.keys();
  keys.sort(compareCodeUnits);
  const sorted = new JsonObject();
  for (let i = 0; i < keys.length; i++) {
    sorted.set(keys[i], sortKeysDeep(changetype<JsonValue>(object.get(keys[i]))));
  }
  return sorted;
}

// AssemblyScript's string relational operators compare UTF-16 code units.
function compareCodeUnits(a: string, b: string): i32 {
  if (a < b) return -1;
  if (a > b) return 1;
  return 0;
}
