import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises'

export interface ReadTurnsInit {
  /** Reads served so far; background work goes on once this stops moving. */
  reads: () => number
  /** How long reads must have stopped before background work takes a turn (ms). */
  quietMs: number
  /** Longest a turn is put off while reads keep coming (ms): background work still ends under load. */
  maxWaitMs: number
  signal: AbortSignal
}

/**
 * The pause between two slices of the gateway's background work. The event loop runs requests and
 * slices in turn, so a slice taken while requests are waiting adds its length to their latency
 * and takes their CPU: when reads came in since the last slice, the next one waits until they
 * have been quiet for `quietMs`, or `maxWaitMs` at most.
 */
export function readTurns ({ reads, quietMs, maxWaitMs, signal }: ReadTurnsInit): () => Promise<void> {
  let seen = reads()
  return async () => {
    const since = performance.now()
    // Requests already received are answered before the next slice, busy or not.
    await nextTurn()
    while (reads() !== seen && !signal.aborted && performance.now() - since < maxWaitMs) {
      seen = reads()
      await sleep(quietMs)
    }
    seen = reads()
  }
}
