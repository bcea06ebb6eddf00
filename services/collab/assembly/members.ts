// The collaborator list of a token. A contract sees only the token's slot rows (not their content),
// so the list lives in the version string of a row the contract itself writes: the binder's slot
// with alias "_collab" and version "<seq>|<key>=<alias>;<key>=<alias>…". The highest <seq> is current.
import { canonicalKey, Metadata, MetaContract, statePayload, stateSequence } from "@lineage/contract-sdk";

export const STATE_ALIAS = "_collab";
export const MAX_ALIAS_LENGTH: i32 = 64;
/**
 * Longest version string the node stores for a slot a contract writes (MAX_WRITE_VERSION_BYTES
 * in src-main/lineage/engine/constants.ts). The list is ASCII, so characters are bytes; a list
 * longer than this is refused here, with a reason, rather than by the node.
 */
export const MAX_LIST_LENGTH: i32 = 8192;

export class Members {
  constructor(
    public sequence: i64,
    public keys: Array<string>,
    public aliases: Array<string>,
  ) {}

  aliasOf(key: string): string | null {
    const index = this.keys.indexOf(key);
    return index < 0 ? null : this.aliases[index];
  }

  holderOf(alias: string): string | null {
    const index = this.aliases.indexOf(alias);
    return index < 0 ? null : this.keys[index];
  }

  set(key: string, alias: string): void {
    const index = this.keys.indexOf(key);
    if (index < 0) {
      this.keys.push(key);
      this.aliases.push(alias);
    } else {
      this.aliases[index] = alias;
    }
  }

  remove(key: string): bool {
    const index = this.keys.indexOf(key);
    if (index < 0) return false;
    this.keys.splice(index, 1);
    this.aliases.splice(index, 1);
    return true;
  }

  /** Keys in code unit order, so the same list always encodes the same way. */
  sortedKeys(): Array<string> {
    const keys = this.keys.slice(0);
    keys.sort((a: string, b: string): i32 => (a < b ? -1 : a > b ? 1 : 0));
    return keys;
  }

  encodeVersion(): string {
    const keys = this.sortedKeys();
    const pairs = new Array<string>();
    for (let i = 0; i < keys.length; i++) pairs.push(keys[i] + "=" + changetype<string>(this.aliasOf(keys[i])));
    return this.sequence.toString() + "|" + pairs.join(";");
  }
}

function decode(version: string): Members | null {
  const sequence = stateSequence(version);
  if (sequence < 0) return null;
  const members = new Members(sequence, new Array<string>(), new Array<string>());
  const rest = statePayload(version);
  if (rest.length == 0) return members;
  const pairs = rest.split(";");
  for (let i = 0; i < pairs.length; i++) {
    const eq = pairs[i].indexOf("=");
    if (eq < 1) return null;
    // Lists written before keys were compared in one form may hold an address in mixed case.
    members.set(canonicalKey(pairs[i].substring(0, eq)), pairs[i].substring(eq + 1));
  }
  return members;
}

/** The current list: the binder's "_collab" row of this contract with the highest sequence. */
export function currentMembers(contract: MetaContract, metadatas: Array<Metadata>): Members {
  let best = new Members(0, new Array<string>(), new Array<string>());
  for (let i = 0; i < metadatas.length; i++) {
    const row = metadatas[i];
    if (row.alias != STATE_ALIAS || canonicalKey(row.public_key) != canonicalKey(contract.public_key)) continue;
    if (row.meta_contract_id != contract.meta_contract_id) continue;
    const members = decode(row.version);
    if (members !== null && members.sequence > best.sequence) best = members;
  }
  return best;
}

/** Keys are base58 or 0x-hex, so letters and digits only; that keeps the version encoding unambiguous. */
export function keyError(key: string): string {
  if (key.length == 0) return "a collaborator's public key must not be empty";
  for (let i = 0; i < key.length; i++) {
    const unit = key.charCodeAt(i);
    const ok = (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x61 && unit <= 0x7a);
    if (!ok) return 'public key "' + key + '" must be base58 or 0x-hex (letters and digits only)';
  }
  return "";
}

export function aliasError(alias: string): string {
  if (alias.length == 0 || alias.length > MAX_ALIAS_LENGTH) {
    return 'alias "' + alias + '" must be 1 to ' + MAX_ALIAS_LENGTH.toString() + " characters";
  }
  if (alias.charCodeAt(0) == 0x5f) return 'alias "' + alias + '" must not start with "_" (reserved for the contract)';
  for (let i = 0; i < alias.length; i++) {
    const unit = alias.charCodeAt(i);
    const ok = (unit >= 0x30 && unit <= 0x39) || (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x61 && unit <= 0x7a) ||
      unit == 0x5f || unit == 0x2d || unit == 0x2e;
    if (!ok) return 'alias "' + alias + '" may hold only letters, digits, "_", "-" and "."';
  }
  return "";
}
