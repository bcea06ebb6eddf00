// The one wait helper: it returns what the check found, and on its deadline fails naming what it
// waited for and the last value seen, rather than hanging or saying only "timed out".
import { describe, expect, it } from 'vitest'
import { waitFor } from './wait-for.js'

describe('waitFor', () => {
  it('returns the first truthy value the check gives, sync or async', async () => {
    let calls = 0
    expect(await waitFor('the third call', () => ++calls >= 3 && `call ${calls}`, { intervalMs: 1 })).toBe('call 3')
    expect(await waitFor('an async value', async () => await Promise.resolve({ n: 1 }))).toEqual({ n: 1 })
  })

  it('fails on its deadline naming what it waited for, the last value and the detail', async () => {
    let calls = 0
    await expect(waitFor('the counter to reach 1000', () => { calls++; return calls >= 1000 && calls }, { timeoutMs: 30, intervalMs: 5, detail: () => 'counter detail' }))
      .rejects.toThrow(/^timed out after 30 ms waiting for the counter to reach 1000; the check last returned false\ncounter detail$/)
    expect(calls).toBeGreaterThan(1)
  })

  it('ends at once when the check throws, with that error', async () => {
    let calls = 0
    await expect(waitFor('a broken probe', () => { calls++; throw new Error('probe broke') })).rejects.toThrow('probe broke')
    expect(calls).toBe(1)
  })
})
