/**
 * An error as another peer is told it in an Aqua answer (`error: "Name: message"`). The node's
 * own errors keep their name and first line (the sentence, not a stack under it); anything else
 * (JavaScript's own classes, a system error with an errno code: a bug, or this machine's file
 * system talking) is an internal error, since peers are strangers. `hide` are local paths the
 * message may hold (a temporary export file), written as "…".
 */
const UNEXPECTED = new Set(['Error', 'TypeError', 'RangeError', 'SyntaxError', 'ReferenceError', 'EvalError', 'URIError', 'AggregateError'])

export const PEER_INTERNAL_ERROR = 'InternalError: the peer could not answer; the details are in its log'

export function peerError (err: unknown, hide: readonly string[] = []): string {
  if (!(err instanceof Error) || UNEXPECTED.has(err.name) || !/^[A-Z][A-Za-z0-9]*Error$/.test(err.name) || typeof (err as { code?: unknown }).code === 'string') return PEER_INTERNAL_ERROR
  let text = err.message.split('\n', 1)[0] ?? ''
  for (const local of hide) if (local !== '') text = text.split(local).join('…')
  return `${err.name}: ${text}`
}
