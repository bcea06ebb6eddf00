// ERC-1155 clients replace "{id}" with the token id as 64 lowercase hex digits; the formatter
// does it for them in every string value (keys are left alone).
import { JsonArray, JsonKind, JsonObject, JsonString, JsonValue } from "@lineage/lib";

export const ID_PLACEHOLDER = "{id}";

export function substituteId(value: JsonValue, hexId: string): void {
  if (value.kind == JsonKind.String) {
    const text = changetype<JsonString>(value);
    // split/join rather than String#replaceAll, which corrupts the heap in AssemblyScript 0.28
    // when the replacement is longer than the pattern.
    if (text.value.includes(ID_PLACEHOLDER)) text.value = text.value.split(ID_PLACEHOLDER).join(hexId);
  } else if (value.kind == JsonKind.Array) {
    const items = changetype<JsonArray>(value).items;
    for (let i = 0; i < items.length; i++) substituteId(items[i], hexId);
  } else if (value.kind == JsonKind.Object) {
    const object = changetype<JsonObject>(value);
    const keys = object.keys();
    for (let i = 0; i < keys.length; i++) substituteId(changetype<JsonValue>(object.get(keys[i])), hexId);
  }
}
