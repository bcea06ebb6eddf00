// The fields the holder of a token may write. A contract sees only the token's slot rows (not their
// content), so the list lives in the version string of a row this contract writes: the binder's
// slot with alias "_holders" and version "<seq>|<field>,<field>…" (sorted). The highest <seq> is current.
import { canonicalKey, finalMetadata, FinalMetadata, Metadata, MetaContract, SCHEMA_CHECKED, statePayload, stateSequence } from "@lineage/contract-sdk";
import { JsonArray, JsonValue, parseJson } from "@lineage/lib";

export const STATE_ALIAS = "_holders";
const MAX_FIELD_LENGTH: i32 = 64;
/** The node's limit on a version a contract writes (MAX_WRITE_VERSION_BYTES); the list is ASCII. */
const MAX_LIST_LENGTH: i32 = 8192;

export class Fields {
  constructor(public sequence: i64, public names: Array<string>) {}
}

/** The current list: the binder's "_holders" row with the highest sequence; none is an empty list. */
export function currentFields(contract: MetaContract, metadatas: Array<Metadata>): Fields {
  const binder = canonicalKey(contract.public_key);
  let best = new Fields(-1, new Array<string>());
  for (let i = 0; i < metadatas.length; i++) {
    const row = metadatas[i];
    if (row.alias != STATE_ALIAS || canonicalKey(row.public_key) != binder) continue;
    const sequence = stateSequence(row.version);
    if (sequence <= best.sequence) continue;
    const list = statePayload(row.version);
    best = new Fields(sequence, list.length == 0 ? new Array<string>() : list.split(","));
  }
  return best;
}

/** "" when `name` may be a holder field: 1–64 of A-Z a-z 0-9 _ - . and not starting with "_". */
export function fieldError(name: string): string {
  if (name.length == 0 || name.length > MAX_FIELD_LENGTH) return 'field "' + name + '": must be 1 to 64 characters';
  if (name.charCodeAt(0) == 0x5f) return 'field "' + name + '": names starting with "_" are reserved for the contract';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    const ok = (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c == 0x5f || c == 0x2d || c == 0x2e;
    if (!ok) return 'field "' + name + '": only A-Z a-z 0-9 _ - . are allowed';
  }
  return "";
}

export class ManageResult {
  constructor(public write: FinalMetadata | null, public error: string) {}
}

/** The binder's transaction on "_holders": data {"fields": ["description", "image"]} replaces the list. */
export function setFields(binder: string, current: Fields, data: string): ManageResult {
  const parsed = parseJson(data);
  if (!parsed.ok) return new ManageResult(null, "data is not valid JSON: " + parsed.error);
  const request = changetype<JsonValue>(parsed.value).asObject();
  if (request === null || request.size != 1 || !request.has("fields")) return new ManageResult(null, 'data must be {"fields": ["<field>", …]}');
  const given = changetype<JsonValue>(request.get("fields"));
  if (!given.isArray()) return new ManageResult(null, "fields: must be an array of field names");
  const items = changetype<JsonArray>(given).items;
  const names = new Array<string>();
  for (let i = 0; i < items.length; i++) {
    const name = items[i].asString();
    if (name === null) return new ManageResult(null, "fields[" + i.toString() + "]: must be a string");
    const problem = fieldError(name.value);
    if (problem.length > 0) return new ManageResult(null, "fields[" + i.toString() + "]: " + problem);
    if (!names.includes(name.value)) names.push(name.value);
  }
  names.sort((a: string, b: string): i32 => (a < b ? -1 : a > b ? 1 : 0));
  const version = (current.sequence + 1).toString() + "|" + names.join(",");
  if (version.length > MAX_LIST_LENGTH) return new ManageResult(null, "too many fields for one token: the list must fit 8 KiB");
  const quoted = new Array<string>();
  for (let i = 0; i < names.length; i++) quoted.push('"' + names[i] + '"');
  return new ManageResult(finalMetadata(binder, STATE_ALIAS, '{"fields":[' + quoted.join(",") + "]}", SCHEMA_CHECKED, version), "");
}
