/**
 * Errors in words a creator can act on: what happened and what to do next. Decided by the
 * error's name and JSON-RPC code (never its text); the node's own message is kept where it
 * names a field or a reason.
 */
import { describeFieldProblem, fieldProblemOf } from './plain-words.js'

const BY_CODE: Record<number, string> = {
  [-32004]: 'Lineage needs its access token for this. Sign in again with the token the node printed when it started (Settings › Sign out, then sign in).',
  [-32013]: 'This collection has no rules yet. Choose them on the Collections screen first.',
  [-32014]: 'This collection follows other rules. Pick the collection\'s own rules and try again.',
  [-32015]: 'Only the key that chose this collection\'s rules may change them. Choose that key.',
  [-32011]: 'This exact write was already sent once. Try again: Lineage will sign it afresh.',
  [-32040]: 'Lineage cannot read that folder or file. Check the path and that the file is there.',
  [-32041]: 'The source changed since this import began. Start a new import instead of resuming.',
  [-32043]: 'This import is already running. Wait for it, or cancel it first.',
  [-32045]: 'That collection follows other rules. Choose the rules the collection uses.',
  [-32047]: 'There is no key with that name. Create or import it on the Keys screen.',
  [-32048]: 'That passphrase does not unlock this key. Check it (capital letters count) and try again.',
  [-32049]: 'A key with that name already exists. Choose another name.',
  [-32050]: 'There is nothing to export yet for this choice. Import or publish something first.',
  [-32051]: 'This file is not a rules contract Lineage can run (it lacks the functions every one has). Build it from the contract template.',
  [-32052]: 'This file cannot be loaded as a contract (damaged, too big, or asking for too much memory).',
  [-32060]: 'This node has no such collection yet.',
  [-32082]: 'That is not a peer address. It looks like /ip4/192.168.1.20/tcp/4001/p2p/12D3KooW…: copy it from the other node\'s Peers & sync screen.',
  [-32091]: 'This node does not follow that collection.',
  [-32093]: 'This node runs offline, so it cannot reach peers. Start it without --offline to connect and sync.',
  [-32061]: 'This node does not hold that version.',
  [-32603]: 'Something went wrong inside the node. The Logs screen shows what it said; try again.',
}

/**
 * `labels`: the form's own labels for the node's field names, so that an invalid value is named
 * as the form shows it.
 */
export function describeProblem (err: unknown, labels: Readonly<Record<string, string>> = {}): string {
  const { name, code, message } = (err ?? {}) as { name?: unknown, code?: unknown, message?: unknown }
  const text = typeof message === 'string' ? message : String(err)
  if (name === 'NodeUnreachableError') return 'Lineage cannot reach its node. If you started it from a terminal, check that it is still running; Lineage retries on its own.'
  if (name === 'RpcCallError' && typeof code === 'number') {
    if (code === -32602) {
      const field = fieldProblemOf(err)
      return field === null ? 'One of the values is not right. Check the form and try again.' : describeFieldProblem(field, labels, text)
    }
    const known = BY_CODE[code]
    if (known !== undefined) return code === -32040 || code === -32052 ? `${known} (${text})` : known
  }
  return text
}

/** The field an error names (invalid params carry it in data.field), to put the message beside it. */
export function fieldOfProblem (err: unknown): string | null {
  const data = (err as { data?: { field?: unknown } } | null)?.data
  return typeof data?.field === 'string' ? data.field : null
}
