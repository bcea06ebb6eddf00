/**
 * marine-js's account of a failure, in the contract author's terms. Its messages wrap the Wasm
 * engine's error in its own layers ("engine error: Wasm backend error: … JsValue(LinkError: …")
 * and end with the JavaScript stack of marine-js itself, which names install paths. The author
 * needs what their module did (an import the sandbox lacks, a trap in its start code); the rest
 * is for the node's log, where the sandbox's caller writes the original.
 */

/** V8's names for Wasm traps, as a person would say them. */
const TRAPS: Readonly<Record<string, string>> = {
  unreachable: 'it reached unreachable code (an abort or a failed assertion)',
  'memory access out of bounds': 'it read or wrote outside its memory',
  'divide by zero': 'it divided by zero',
  'integer overflow': 'an integer conversion overflowed',
  'float unrepresentable in integer range': 'a number did not fit the integer it was converted to',
  'Maximum call stack size exceeded': 'it ran out of stack (too deep a recursion)',
  'table index is out of bounds': 'it called through a function table out of bounds',
  'null function or function signature mismatch': 'it called a function through a table with the wrong signature',
}

/** The engine's wrappers, which say where in marine-js the error passed, not what happened. */
const WRAPPERS = /^(?:(?:engine error|Wasm backend error|Execution error|failed to instantiate): )+/

/** The detail to put after "Meta contract x cannot be loaded: " or "… failed in fn: ". */
export function engineText (detail: string): string {
  const link = /Import #\d+ module="([^"\n]{0,64})" function="([^"\n]{0,64})"/.exec(detail)
  if (link !== null) return `it imports ${link[1] ?? ''}.${link[2] ?? ''}, which the sandbox does not provide (a contract may import only what \`lineage-node contract build\` links)`
  const thrown = /JsValue\(\w*Error: ([^\n]*)/.exec(detail)?.[1]
  if (thrown !== undefined) {
    const trap = TRAPS[thrown] ?? 'it trapped'
    return /failed to instantiate/.test(detail) ? `its start code failed: ${trap}` : trap
  }
  // A trap inside a call: the engine names its own adapter instruction, not the cause.
  if (/failed while calling the local or import function/.test(detail)) return 'the module trapped (unreachable code, a memory access out of bounds, or its memory ran out)'
  const firstLine = detail.split('\n', 1)[0] ?? ''
  return firstLine.replace(WRAPPERS, '').trim() || 'the sandbox gave no reason'
}
