import fs from 'node:fs'
import { describe, expect, it } from 'vitest'
import { IPC_CHANNELS, IPC_EVENTS } from '../../src-main/electron/index.js'

const preload = fs.readFileSync(new URL('../../src-main/electron/preload.cts', import.meta.url), 'utf8')

/** The `NAME = { key: 'channel', … }` object literal of the preload, as a plain object. */
function preloadMap (name: string): Record<string, string> {
  const body = new RegExp(`const ${name} = \\{([^}]*)\\}`).exec(preload)?.[1] ?? ''
  return Object.fromEntries([...body.matchAll(/(\w+): '([^']+)'/g)].map(m => [m[1], m[2]]))
}

describe('IPC channel map', () => {
  it('names every channel lineage:<area>[:<action>], invoke and event channels apart', () => {
    const all = [...Object.values(IPC_CHANNELS), ...Object.values(IPC_EVENTS)]
    for (const channel of all) expect(channel).toMatch(/^lineage:[a-z-]+(:[a-z-]+)?$/)
    expect(new Set(all).size).toBe(all.length)
  })

  it('is repeated exactly by the sandboxed preload, which cannot import it', () => {
    expect(preloadMap('INVOKE')).toEqual(IPC_CHANNELS)
    expect(preloadMap('EVENTS')).toEqual(IPC_EVENTS)
  })

  it('never hands the page ipcRenderer itself, only named calls', () => {
    expect(preload).not.toMatch(/exposeInMainWorld\([^)]*ipcRenderer\s*\)/)
    expect(preload).not.toMatch(/ipcRenderer\.(send|sendSync)\(/)
    // Listeners get the payload only, never the IPC event (whose sender could reach ipcRenderer).
    expect(preload).toContain('listener(payload)')
    // It loads electron and nothing else (a sandboxed preload cannot).
    expect([...preload.matchAll(/require\('([^']+)'\)/g)].map(m => m[1])).toEqual(['electron'])
  })
})
