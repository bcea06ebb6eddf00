/** A call that needs the whole node waited as long as it may while the node was still starting. */
export class NodeStartingError extends Error {
  override readonly name = 'NodeStartingError'
  constructor (waitedMs: number) {
    super(`The node is still starting (waited ${Math.round(waitedMs / 1000)} s for it); try again in a moment. node_info answers meanwhile and says when it is running.`)
  }
}

/** The node failed to start (or was stopped while starting): a call waiting for it is told why. */
export class NodeStartFailedError extends Error {
  override readonly name = 'NodeStartFailedError'
  constructor (reason: string) {
    super(`The node did not start: ${reason}`)
  }
}
