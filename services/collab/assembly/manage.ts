// The binder's management transaction: data {"add": {"<key>": "<alias>"}, "remove": ["<key>"]}.
// Removals apply first, then additions (an existing key gets its new alias).
import { canonicalAlias, canonicalKey, finalMetadata, FinalMetadata, SCHEMA_CHECKED } from "@lineage/contract-sdk";
import { JsonArray, JsonObject, JsonString, JsonValue, parseJson, stringifyJson } from "@lineage/lib";
import { aliasError, keyError, MAX_LIST_LENGTH, Members, STATE_ALIAS } from "./members";

export class ManageResult {
  constructor(public write: FinalMetadata | null, public error: string) {}
}

function fail(error: string): ManageResult {
  return new ManageResult(null, error);
}

export function applyManagement(binder: string, members: Members, data: string): ManageResult {
  const parsed = parseJson(data);
  if (!parsed.ok) return fail("data is not valid JSON: " + parsed.error);
  const request = changetype<JsonValue>(parsed.value).asObject();
  if (request === null) return fail('data must be an object {"add": {key: alias}, "remove": [key]}');
  const fields = request.keys();
  for (let i = 0; i < fields.length; i++) {
    if (fields[i] != "add" && fields[i] != "remove") return fail(fields[i] + ': unknown field (allowed: add, remove)');
  }
  const add = request.get("add");
  const remove = request.get("remove");
  if (add === null && remove === null) return fail('data must hold "add", "remove" or both');

  if (remove !== null) {
    if (!remove.isArray()) return fail("remove: must be an array of public keys");
    const items = changetype<JsonArray>(remove).items;
    for (let i = 0; i < items.length; i++) {
      const key = items[i].asString();
      if (key === null) return fail("remove[" + i.toString() + "]: must be a string");
      if (!members.remove(canonicalKey(key.value))) return fail("remove[" + i.toString() + ']: "' + key.value + '" is not a collaborator');
    }
  }
  if (add !== null) {
    if (!add.isObject()) return fail("add: must be an object of public key → alias");
    const additions = changetype<JsonObject>(add);
    const keys = additions.keys();
    for (let i = 0; i < keys.length; i++) {
      const given = keys[i];
      const problem = keyError(given);
      if (problem.length > 0) return fail("add: " + problem);
      const aliasValue = changetype<JsonValue>(additions.get(given)).asString();
      if (aliasValue === null) return fail("add." + given + ": the alias must be a string");
      const aliasProblem = aliasError(aliasValue.value);
      if (aliasProblem.length > 0) return fail("add." + given + ": " + aliasProblem);
      // Kept in the node's form: an EVM address (and an alias that is that address) lower-cased,
      // so the collaborator matches whatever case it or the binder wrote it in.
      const key = canonicalKey(given);
      const alias = canonicalAlias(aliasValue.value, key);
      const holder = members.holderOf(alias);
      if (holder !== null && holder != key) return fail("add." + given + ': alias "' + alias + '" already belongs to ' + holder);
      members.set(key, alias);
    }
  }

  members.sequence += 1;
  const version = members.encodeVersion();
  if (version.length > MAX_LIST_LENGTH) {
    return fail("too many collaborators for one token: the list would take " + version.length.toString() + " characters, and the node keeps at most " +
      MAX_LIST_LENGTH.toString() + " (about 70 collaborators with long aliases)");
  }
  const list = new JsonObject();
  const sorted = members.sortedKeys();
  for (let i = 0; i < sorted.length; i++) list.set(sorted[i], new JsonString(changetype<string>(members.aliasOf(sorted[i]))));
  const content = new JsonObject();
  content.set("collaborators", list);
  return new ManageResult(finalMetadata(binder, STATE_ALIAS, stringifyJson(content), SCHEMA_CHECKED, version), "");
}
