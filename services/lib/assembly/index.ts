// Shared AssemblyScript library for Lineage's Marine Wasm services: hashing, encodings and
// strict JSON. Everything here is pure (no host imports) and reports failure as a value
// (null or an error string), because services are built with `--use abort=` and
// AssemblyScript has no exceptions.
//
//   import { parseJson, stringifyJson, sortKeysDeep, sha256, utf8Encode, hexEncode } from "../../lib/assembly";
//   const parsed = parseJson(input);
//   if (!parsed.ok) return parsed.error;               // "duplicate key \"name\" at offset 40"
//   const canonical = stringifyJson(sortKeysDeep(parsed.value!));
//   return hexEncode(sha256(utf8Encode(canonical)));

export { sha256, SHA256_BYTES } from "./sha256";
export { base58Encode, base58Decode } from "./base58";
export { utf8Encode, utf8Decode } from "./utf8";
export { hexEncode } from "./hex";
export { toLowerAscii } from "./ascii";
export { decimalToHex64 } from "./decimal";
export { JsonKind, JsonValue, JsonNull, JsonBool, JsonNumber, JsonString, JsonArray, JsonObject } from "./json/value";
export { JsonParseResult, JSON_MAX_DEPTH, parseJson } from "./json/parse";
export { stringifyJson } from "./json/stringify";
export { sortKeysDeep } from "./json/sort";
