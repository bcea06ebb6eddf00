import type { BrowserWindow } from 'electron'
import { describe, expect, it } from 'vitest'
import { setupSingleInstance } from '../../src-main/electron/single-instance.js'

/** `app`'s lock and events, stood in for at the Electron API boundary (no Electron runtime here). */
function fakeApp (locked: boolean): { app: Parameters<typeof setupSingleInstance>[0], emit: (argv: string[]) => void } {
  let listener: ((event: unknown, argv: string[]) => void) | undefined
  return {
    app: { requestSingleInstanceLock: () => locked, on: ((_event: string, l: typeof listener) => { listener = l }) as never },
    emit: argv => { listener?.({}, argv) },
  }
}

describe('single instance', () => {
  it('tells the second process to quit', () => {
    expect(setupSingleInstance(fakeApp(false).app, { showWindow: () => undefined, onArgv: () => {} })).toBe(false)
  })

  it('brings the first window forward and hands over the second launch\'s command line', () => {
    const { app, emit } = fakeApp(true)
    const calls: string[] = []
    const window = { isMinimized: () => true, restore: () => calls.push('restore'), show: () => calls.push('show'), focus: () => calls.push('focus') } as unknown as BrowserWindow
    const argvs: Array<readonly string[]> = []
    expect(setupSingleInstance(app, { showWindow: () => window, onArgv: argv => { argvs.push(argv) } })).toBe(true)
    emit(['/opt/lineage-desktop', 'lineage://token/1/0x0000000000000000000000000000000000000001/7'])
    expect(calls).toEqual(['restore', 'show', 'focus'])
    expect(argvs).toEqual([['/opt/lineage-desktop', 'lineage://token/1/0x0000000000000000000000000000000000000001/7']])
  })
})
