/** The libp2p host was used before start() or after stop(). */
export class P2pNotStartedError extends Error {
  override readonly name = 'P2pNotStartedError'
  constructor () {
    super('The peer-to-peer host is not running (the node is offline or stopped).')
  }
}
