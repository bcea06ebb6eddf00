// Test entry for services/lib: thin exports over the library for the vitest suites.

import {
  JsonValue,
  JsonNull,
  JsonBool,
  JsonNumber,
  JsonString,
  JsonArray,
  JsonObject,
  parseJson,
  stringifyJson,
  sortKeysDeep,
} from "../../assembly";

export {
  sha256,
  base58Encode,
  base58Decode,
  utf8Encode,
  utf8Decode,
  hexEncode,
  toLowerAscii,
  decimalToHex64,
  JSON_MAX_DEPTH,
} from "../../assembly";

let lastError = "";
let lastErrorOffset: i32 = -1;

/** Parses `text`; on failure records the error for `jsonLastError` and returns null. */
function parseOrRecord(text: string): JsonValue | null {
  const result = parseJson(text);
  lastError = result.error;
  lastErrorOffset = result.offset;
  return result.ok ? result.value : null;
}

export function jsonLastError(): string {
  return lastError;
}

export function jsonLastErrorOffset(): i32 {
  return lastErrorOffset;
}

export function jsonRoundTrip(text: string): string | null {
  const value = parseOrRecord(text);
  return value == null ? null : stringifyJson(value);
}

export function jsonSortKeys(text: string): string | null {
  const value = parseOrRecord(text);
  return value == null ? null : stringifyJson(sortKeysDeep(value));
}

/** Sorts, then changes the original; the sorted copy must not see the change. */
export function jsonSortKeysThenMutateOriginal(text: string): string | null {
  const value = parseOrRecord(text);
  if (value == null) return null;
  const sorted = sortKeysDeep(value);
  mutateEverything(value);
  return stringifyJson(sorted);
}

function mutateEverything(value: JsonValue): void {
  const object = value.asObject();
  if (object != null) {
    const keys = object.keys();
    for (let i = 0; i < keys.length; i++) mutateEverything(changetype<JsonValue>(object.get(keys[i])));
    object.set("~added", new JsonNull());
  }
  const array = value.asArray();
  if (array != null) {
    for (let i = 0; i < array.items.length; i++) mutateEverything(array.items[i]);
    array.items.push(new JsonNull());
  }
  const text = value.asString();
  if (text != null) text.value = "changed";
  const number = value.asNumber();
  if (number != null) number.lexeme = "0";
  const flag = value.asBool();
  if (flag != null) flag.value = !flag.value;
}

/** NaN when `text` is not a JSON number. */
export function jsonNumberToF64(text: string): f64 {
  const value = parseOrRecord(text);
  if (value == null) return NaN;
  const number = value.asNumber();
  return number == null ? NaN : number.toF64();
}

/** -1 when `text` is not a JSON number, else 1 for an integer value and 0 otherwise. */
export function jsonNumberIsInteger(text: string): i32 {
  const value = parseOrRecord(text);
  if (value == null) return -1;
  const number = value.asNumber();
  return number == null ? -1 : i32(number.isInteger());
}

export function jsonNumberFromI64(value: i64): string {
  return stringifyJson(JsonNumber.fromI64(value));
}

export function jsonQuote(value: string): string {
  return stringifyJson(new JsonString(value));
}

/**
 * The shape of a document by kind, e.g. `object(a:number,b:array(string,null))`, read through
 * both the `isX()` predicates and the `asX()` casts, which must agree.
 */
export function jsonDescribe(text: string): string | null {
  const value = parseOrRecord(text);
  return value == null ? null : describe(value);
}

function describe(value: JsonValue): string {
  const kinds: bool[] = [value.isNull(), value.isBool(), value.isNumber(), value.isString(), value.isArray(), value.isObject()];
  const casts: bool[] = [
    value.isNull(),
    value.asBool() != null,
    value.asNumber() != null,
    value.asString() != null,
    value.asArray() != null,
    value.asObject() != null,
  ];
  let matches = 0;
  for (let i = 0; i < kinds.length; i++) {
    if (kinds[i] != casts[i]) return "inconsistent";
    if (kinds[i]) matches++;
    if (kinds[i] && i32(value.kind) != i) return "inconsistent";
  }
  if (matches != 1) return "inconsistent";

  const array = value.asArray();
  if (array != null) {
    const parts = new Array<string>();
    for (let i = 0; i < array.items.length; i++) parts.push(describe(array.items[i]));
    return "array(" + parts.join(",") + ")";
  }
  const object = value.asObject();
  if (object != null) {
    const parts = new Array<string>();
    const keys = object.keys();
    for (let i = 0; i < keys.length; i++) {
      parts.push(keys[i] + ":" + describe(changetype<JsonValue>(object.get(keys[i]))));
    }
    return "object(" + parts.join(",") + ")";
  }
  if (value.isNull()) return "null";
  if (value.isBool()) return "bool";
  if (value.isNumber()) return "number";
  return "string";
}

/** Exercises JsonObject's editing methods in a fixed sequence and reports each observation. */
export function jsonObjectEditScript(): string {
  const object = new JsonObject();
  object.set("b", JsonNumber.fromI64(1));
  object.set("a", new JsonString("x"));
  object.set("c", new JsonNull());
  object.set("b", new JsonBool(true));
  const deletedA = object.delete("a");
  const deletedMissing = object.delete("missing");
  const cAfterDelete = object.get("c");
  object.set("a", JsonNumber.fromI64(-5));
  const keys = object.keys();
  keys.push("not-in-object");
  const observations: string[] = [
    stringifyJson(object),
    object.size.toString(),
    object.has("a").toString(),
    object.has("missing").toString(),
    (object.get("missing") == null).toString(),
    deletedA.toString(),
    deletedMissing.toString(),
    (cAfterDelete != null && cAfterDelete.isNull()).toString(),
    object.keys().join(","),
    stringifyJson(new JsonArray([new JsonObject(), new JsonArray(), new JsonBool(false)])),
  ];
  return observations.join("|");
}
