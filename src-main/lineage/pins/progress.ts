import type { GC_PROGRESS_EVENT, PIN_PROGRESS_EVENT } from './constants.js'

/**
 * Running totals of a pin's walk, sent after each slice and at the end; while missing blocks are
 * fetched, after each block.
 */
export interface PinProgressEvent {
  type: typeof PIN_PROGRESS_EVENT
  /** Blocks of the DAG found so far. */
  blocks: number
  /** Their bytes. */
  bytes: number
  /** Blocks fetched from peers so far (present once the pin had to fetch any). */
  fetchedBlocks?: number
  /** Their bytes. */
  fetchedBytes?: number
}

/**
 * Running totals of a GC. In the `mark` phase `checked` counts the blocks found reachable so
 * far; in the `sweep` phase it counts the stored blocks examined, and `freed`/`bytes` what is
 * (or, in a dry run, would be) deleted.
 */
export interface GcProgressEvent {
  type: typeof GC_PROGRESS_EVENT
  phase: 'mark' | 'sweep'
  checked: number
  freed: number
  bytes: number
}

export interface PinProgressOptions {
  onProgress?: (event: PinProgressEvent) => void
}

export interface GcProgressOptions {
  onProgress?: (event: GcProgressEvent) => void
}
