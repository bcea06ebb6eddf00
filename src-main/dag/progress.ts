import type { CAR_PROGRESS_EVENT } from './constants.js'

/** Running totals of a CAR import or export, sent after every block. */
export interface CarProgressEvent {
  type: typeof CAR_PROGRESS_EVENT
  /** Blocks handled so far. */
  blocks: number
  /** Bytes of block data handled so far (CIDs and framing not counted). */
  bytes: number
}

export interface CarProgressOptions {
  onProgress?: (event: CarProgressEvent) => void
}
