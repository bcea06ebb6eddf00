import type { Logger } from '@libp2p/logger'

/** One part of a node: `stop` undoes `start`. */
export interface Part {
  name: string
  start(): Promise<void> | void
  stop(): Promise<void> | void
}

/**
 * The parts started so far, stopped last first. A part that fails to stop is logged and the
 * others still stop, so an unwind after a failed start leaves nothing open.
 */
export class PartStack {
  private parts: Part[] = []

  constructor (private readonly log: Logger) {}

  async start (part: Part): Promise<void> {
    await part.start()
    this.parts.push(part)
  }

  async unwind (): Promise<void> {
    for (const part of this.parts.splice(0).reverse()) {
      try {
        await part.stop()
      } catch (err) {
        this.log.error('stopping %s failed: %e', part.name, err)
      }
    }
  }
}
