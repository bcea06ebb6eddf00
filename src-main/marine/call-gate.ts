/**
 * Counts the calls of each contract that one kind of caller has waiting, and refuses one past a
 * limit: calls that prove nothing (a dry run, a remote peer's call) against a contract that burns
 * its budget would otherwise queue without end behind it. Other contracts are unaffected either
 * way: the sandbox gives each its own queue and turn.
 */
export class WaitingCallsGate {
  private readonly waiting = new Map<string, number>()

  /** `busy` makes the error a refused call throws. */
  constructor (private readonly limit: number, private readonly busy: (contractId: string, limit: number) => Error) {}

  /** Takes a place for a call of `contractId` (or throws `busy`); call the returned function once it is answered. */
  enter (contractId: string): () => void {
    const now = this.waiting.get(contractId) ?? 0
    if (now >= this.limit) throw this.busy(contractId, this.limit)
    this.waiting.set(contractId, now + 1)
    let left = false
    return () => {
      if (left) return
      left = true
      const n = (this.waiting.get(contractId) ?? 1) - 1
      if (n === 0) this.waiting.delete(contractId)
      else this.waiting.set(contractId, n)
    }
  }
}
