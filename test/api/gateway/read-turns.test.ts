// The pause between slices of the gateway's background work: it waits while reads come in, and
// not longer than its bound. Ordering facts only (which happened first), no timed assertions.
import { describe, expect, it } from 'vitest'
import { readTurns } from '../../../src-main/api/gateway/read-turns.js'

describe('background work gives way to gateway reads', () => {
  it('takes its turn at once when no read came: before a timer of its quiet time fires', async () => {
    const pause = readTurns({ reads: () => 0, quietMs: 50, maxWaitMs: 60_000, signal: new AbortController().signal })
    let fired = false
    const timer = setTimeout(() => { fired = true }, 50)
    await pause()
    expect(fired).toBe(false)
    clearTimeout(timer)
  })

  it('waits while reads keep coming, and goes on only after the last one', async () => {
    let reads = 0
    const pause = readTurns({ reads: () => reads, quietMs: 5, maxWaitMs: 60_000, signal: new AbortController().signal })
    const reader = setInterval(() => { reads++ }, 1)
    reads++
    let readsAtTurn = -1
    const turn = pause().then(() => { readsAtTurn = reads })
    // Reads go on for 60 turns of the reader; the pause must outlast them.
    await new Promise<void>(resolve => {
      const check = setInterval(() => {
        if (reads >= 60) {
          clearInterval(check)
          clearInterval(reader)
          resolve()
        }
      }, 1)
    })
    expect(readsAtTurn).toBe(-1)
    await turn
    expect(readsAtTurn).toBe(reads)
  })

  it('goes on after maxWaitMs even while reads keep coming', async () => {
    let reads = 0
    const pause = readTurns({ reads: () => reads, quietMs: 5, maxWaitMs: 20, signal: new AbortController().signal })
    const reader = setInterval(() => { reads++ }, 1)
    reads++
    await pause()
    const atTurn = reads
    // Still reading after the turn was taken.
    await new Promise<void>(resolve => {
      const check = setInterval(() => {
        if (reads > atTurn + 5) {
          clearInterval(check)
          resolve()
        }
      }, 1)
    })
    clearInterval(reader)
    expect(reads).toBeGreaterThan(atTurn)
  })

  it('goes on at once once its signal aborts, reads or not', async () => {
    let reads = 0
    const controller = new AbortController()
    const pause = readTurns({ reads: () => reads, quietMs: 5, maxWaitMs: 60_000, signal: controller.signal })
    const reader = setInterval(() => { reads++ }, 1)
    reads++
    const turn = pause()
    controller.abort()
    await turn
    clearInterval(reader)
    expect(controller.signal.aborted).toBe(true)
  })
})
