import { AbortError } from '../../dag/index.js'

/** Throws the dag's AbortError, so every abort of an import is told apart by one name. */
export function throwIfAborted (signal: AbortSignal | undefined): void {
  if (signal?.aborted === true) throw new AbortError('import')
}
