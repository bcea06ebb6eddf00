// Compact JSON text: no whitespace, object keys in the object's own order, numbers as their
// lexeme. For parsed input this equals JSON.stringify(JSON.parse(input)) whenever the input's
// numbers are already written the way JavaScript would write them.

import { CodeUnitBuffer } from "../text-buffer";
import { writeJsonString } from "./escape";
import { JsonKind, JsonValue, JsonBool, JsonNumber, JsonString, JsonArray, JsonObject } from "./value";

export function stringifyJson(value: JsonValue): string {
  const out = new CodeUnitBuffer();
  writeValue(out, value);
  return out.toString();
}

function writeValue(out: CodeUnitBuffer, value: JsonValue): void {
  switch (value.kind) {
    case JsonKind.Null:
      out.pushString("null");
      break;
    case JsonKind.Bool:
      out.pushString(changetype<JsonBool>(value).value ? "true" : "false");
      break;
    case JsonKind.Number:
      out.pushString(changetype<JsonNumber>(value).lexeme);
      break;
    case JsonKind.String:
      writeJsonString(out, changetype<JsonString>(value).value);
      break;
    case JsonKind.Array:
      writeArray(out, changetype<JsonArray>(value));
      break;
    case JsonKind.Object:
      writeObject(out, changetype<JsonObject>(value));
      break;
  }
}

function writeArray(out: CodeUnitBuffer, array: JsonArray): void {
  out.push(0x5b); // [
  const items = array.items;
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.push(0x2c); // ,
    writeValue(out, items[i]);
  }
  out.push(0x5d); // ]
}

function writeObject(out: CodeUnitBuffer, object: JsonObject): void {
  out.push(0x7b); // {
  const keys = object.keys();
  for (let i = 0; i < keys.length; i++) {
    if (i > 0) out.push(0x2c); // ,
    writeJsonString(out, keys[i]);
    out.push(0x3a); // :
    writeValue(out, changetype<JsonValue>(object.get(keys[i])));
  }
  out.push(0x7d); // }
}
