// The collection's main document must be ERC-721 / OpenSea metadata (ERC-1155's `properties` and
// `localization` allowed). Every rejection names the field and says why.
import { JsonArray, JsonKind, JsonObject, JsonValue } from "@lineage/lib";

const TEXT_FIELDS = ["name", "description", "image_data"];
const URI_FIELDS = ["image", "animation_url", "external_url", "youtube_url"];
const KNOWN_FIELDS = [
  "name", "description", "image", "image_data", "animation_url", "external_url", "youtube_url",
  "background_color", "attributes", "properties", "localization",
];
const DISPLAY_TYPES = ["number", "boost_number", "boost_percentage", "date"];
const ATTRIBUTE_FIELDS = ["trait_type", "value", "display_type", "max_value"];

function isHexDigit(unit: i32): bool {
  return (unit >= 0x30 && unit <= 0x39) || (unit >= 0x61 && unit <= 0x66) || (unit >= 0x41 && unit <= 0x46);
}

/** A URI has a scheme: letters, digits, "+", "-" or "." after a first letter, then ":". */
function hasScheme(text: string): bool {
  const colon = text.indexOf(":");
  if (colon < 1) return false;
  for (let i = 0; i < colon; i++) {
    const unit = text.charCodeAt(i);
    const letter = (unit >= 0x61 && unit <= 0x7a) || (unit >= 0x41 && unit <= 0x5a);
    const other = (unit >= 0x30 && unit <= 0x39) || unit == 0x2b || unit == 0x2d || unit == 0x2e;
    if (!letter && !(i > 0 && other)) return false;
  }
  return true;
}

function listText(items: string[]): string {
  return items.join(", ");
}

function checkAttribute(value: JsonValue, path: string): string {
  const attribute = value.asObject();
  if (attribute === null) return path + ": must be an object";
  const keys = attribute.keys();
  for (let i = 0; i < keys.length; i++) {
    if (!ATTRIBUTE_FIELDS.includes(keys[i])) return path + "." + keys[i] + ": unknown field (allowed: " + listText(ATTRIBUTE_FIELDS) + ")";
  }
  const traitType = attribute.get("trait_type");
  if (traitType !== null && !traitType.isString()) return path + ".trait_type: must be a string";
  const traitValue = attribute.get("value");
  if (traitValue === null) return path + ".value: is required";
  if (!traitValue.isString() && !traitValue.isNumber()) return path + ".value: must be a string or a number";
  const displayType = attribute.get("display_type");
  if (displayType !== null) {
    const display = displayType.asString();
    if (display === null || !DISPLAY_TYPES.includes(display.value)) {
      return path + ".display_type: must be one of " + listText(DISPLAY_TYPES);
    }
    if (!traitValue.isNumber()) return path + '.value: must be a number when display_type is "' + display.value + '"';
  }
  const maxValue = attribute.get("max_value");
  if (maxValue !== null && !maxValue.isNumber()) return path + ".max_value: must be a number";
  return "";
}

function checkLocalization(value: JsonValue): string {
  const localization = value.asObject();
  if (localization === null) return "localization: must be an object";
  const uri = localization.get("uri");
  if (uri === null || !uri.isString()) return "localization.uri: must be a string";
  if (!changetype<JsonValue>(uri).asString()!.value.includes("{locale}")) return "localization.uri: must contain {locale}";
  const fallback = localization.get("default");
  if (fallback === null || !fallback.isString()) return "localization.default: must be a string";
  const locales = localization.get("locales");
  if (locales === null || !locales.isArray()) return "localization.locales: must be an array of strings";
  const items = changetype<JsonArray>(locales).items;
  for (let i = 0; i < items.length; i++) {
    if (!items[i].isString()) return "localization.locales[" + i.toString() + "]: must be a string";
  }
  return "";
}

/** "" when `document` is acceptable ERC-721 metadata, else "<field>: <why>". */
export function checkErc721(document: JsonValue): string {
  const object = document.asObject();
  if (object === null) return "the main document must be a JSON object";
  const keys = object.keys();
  for (let i = 0; i < keys.length; i++) {
    if (!KNOWN_FIELDS.includes(keys[i])) {
      return keys[i] + ": unknown field (ERC-721 metadata allows " + listText(KNOWN_FIELDS) + "; write other data under an alias)";
    }
  }
  const name = object.get("name");
  if (name === null) return "name: is required";
  for (let i = 0; i < TEXT_FIELDS.length; i++) {
    const value = object.get(TEXT_FIELDS[i]);
    if (value !== null && !value.isString()) return TEXT_FIELDS[i] + ": must be a string";
  }
  if (changetype<JsonValue>(name).asString()!.value.length == 0) return "name: must not be empty";
  for (let i = 0; i < URI_FIELDS.length; i++) {
    const value = object.get(URI_FIELDS[i]);
    if (value === null) continue;
    const text = value.asString();
    if (text === null) return URI_FIELDS[i] + ": must be a string";
    if (!hasScheme(text.value)) return URI_FIELDS[i] + ": must be a URI with a scheme (e.g. ipfs://… or https://…)";
  }
  const color = object.get("background_color");
  if (color !== null) {
    const text = color.asString();
    if (text === null || text.value.length != 6) return "background_color: must be 6 hexadecimal digits without #";
    for (let i = 0; i < 6; i++) {
      if (!isHexDigit(text.value.charCodeAt(i))) return "background_color: must be 6 hexadecimal digits without #";
    }
  }
  const attributes = object.get("attributes");
  if (attributes !== null) {
    if (attributes.kind != JsonKind.Array) return "attributes: must be an array";
    const items = changetype<JsonArray>(attributes).items;
    for (let i = 0; i < items.length; i++) {
      const problem = checkAttribute(items[i], "attributes[" + i.toString() + "]");
      if (problem.length > 0) return problem;
    }
  }
  const properties = object.get("properties");
  if (properties !== null && !properties.isObject()) return "properties: must be an object";
  const localization = object.get("localization");
  if (localization !== null) return checkLocalization(changetype<JsonValue>(localization));
  return "";
}

