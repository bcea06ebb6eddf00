// State a contract keeps in the version string of a row it writes itself, since a contract sees
// its token's rows but not their content: "<seq>|<payload>", the row with the highest <seq>
// current (the collab and holders contracts; services/README.md).

/** The <seq> of a state row's version: up to 15 decimal digits before "|"; -1 when it has none. */
export function stateSequence(version: string): i64 {
  const bar = version.indexOf("|");
  if (bar <= 0 || bar > 15) return -1;
  let value: i64 = 0;
  for (let i = 0; i < bar; i++) {
    const unit = version.charCodeAt(i);
    if (unit < 0x30 || unit > 0x39) return -1;
    value = value * 10 + <i64>(unit - 0x30);
  }
  return value;
}

/** What follows the first "|" of a state row's version; "" when there is none. */
export function statePayload(version: string): string {
  const bar = version.indexOf("|");
  return bar < 0 ? "" : version.substring(bar + 1);
}
