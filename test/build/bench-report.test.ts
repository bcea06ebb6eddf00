import { describe, expect, it } from 'vitest'
// @ts-expect-error: a plain .mjs build script, typed by its use here
import { BEGIN, END, replaceBenchBlocks, tablesIn } from '../../scripts/bench-report.mjs'

const OUTPUT = [
  ' RUN  v3 /repo',
  'stdout | bench/x.bench.ts > x > y',
  '',
  '### first table',
  '',
  '| case | time |',
  '|---|---:|',
  '| \u001b[1manchor\u001b[22m | 1.0 s |',
  '',
  'a line of vitest output',
  '### a heading with no table',
  'more output',
  '### second table',
  '| a | b |',
  '|---|---|',
  '',
  'stdout | bench/x.bench.ts > x > y',
  '| c |',
  '|---|',
].join('\n')

describe('bench report', () => {
  it('finds each titled table in a bench\'s output, colours removed, and nothing else', () => {
    expect(tablesIn(OUTPUT)).toEqual([
      '### first table\n\n| case | time |\n|---|---:|\n| anchor | 1.0 s |',
      '### second table\n\n| a | b |\n|---|---|\n\n| c |\n|---|',
    ])
  })

  it('replaces the block of the benches run, keeps the others, in file order, and leaves the prose alone', () => {
    const first = replaceBenchBlocks('# Benchmarks\n\nProse.\n', new Map([['b.bench.ts', 'Measured then.\n\n### B']]))
    expect(first.startsWith('# Benchmarks\n\nProse.\n\n' + BEGIN)).toBe(true)
    const second = replaceBenchBlocks(first + '\nAfter.\n', new Map([['a.bench.ts', '### A'], ['b.bench.ts', '### B2']]))
    const section = second.slice(second.indexOf(BEGIN), second.indexOf(END))
    expect(section.indexOf('bench/a.bench.ts')).toBeLessThan(section.indexOf('bench/b.bench.ts'))
    expect(section).toContain('### B2')
    expect(section).not.toContain('### B\n')
    expect(second.endsWith(END + '\n\nAfter.\n')).toBe(true)
    const third = replaceBenchBlocks(second, new Map([['c.bench.ts', '### C']]))
    expect(third.match(/#### `bench\/a.bench.ts`/g)).toHaveLength(1)
    expect(third).toContain('### A')
    expect(third).toContain('### B2')
    expect(third).toContain('### C')
  })
})
