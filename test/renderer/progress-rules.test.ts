import { describe, expect, it } from 'vitest'
import { carImportSummary, formatEta, formatRate, percent, phaseUnit } from '../../src-renderer/src/lib/rules/progress.js'

describe('progress words', () => {
  it('counts percent only against a known total', () => {
    expect(percent(5, null)).toBeNull()
    expect(percent(5, 0)).toBeNull()
    expect(percent(1, 3)).toBe(33)
    expect(percent(7, 5)).toBe(100)
    expect(formatRate(0)).toBe('— items/s')
    expect(formatRate(2500, 'blocks')).toBe('2,500 blocks/s')
    expect(formatEta(null)).toBe('working out the time left')
  })

  it('names what a CAR import counts in each phase', () => {
    expect(phaseUnit('items')).toBe('items')
    expect(phaseUnit(undefined)).toBe('items')
    expect(phaseUnit('blocks')).toBe('blocks')
    expect(phaseUnit('transactions')).toBe('signed writes')
  })

  it('sums up a restored backup, leaving out what it did not hold', () => {
    const car = {
      transactions: { total: 12, applied: 9, rejected: 1, known: 1, refused_count: 1 },
      heads: { listed: 8, current: 7 },
      pins: { listed: 0, pinned: 0 },
      contracts: { deployed: ['fan-club'], refused: [] },
      refused_block_count: 2,
    }
    expect(carImportSummary(car)).toBe('9 signed writes applied, 1 already here, 2 refused; 7 of 8 current versions match the backup; 1 contracts deployed, 0 refused; 2 damaged blocks skipped')
    expect(carImportSummary({ ...car, heads: { listed: 0, current: 0 }, contracts: { deployed: [], refused: [] }, refused_block_count: 0 })).toBe('9 signed writes applied, 1 already here, 2 refused')
  })
})
