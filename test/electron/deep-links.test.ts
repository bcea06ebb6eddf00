import { describe, expect, it } from 'vitest'
import type { TokenLink } from '../../src-main/electron/index.js'
import { createDeepLinkRouter, setupDeepLinks } from '../../src-main/electron/deep-links.js'

const ADDRESS = '0x0000000000000000000000000000000000000abc'
const good = (id: number): string => `lineage://token/1/${ADDRESS}/${id}`

function router (): { opened: string[], refused: string[], r: ReturnType<typeof createDeepLinkRouter> } {
  const opened: string[] = []
  const refused: string[] = []
  const r = createDeepLinkRouter({ open: (link: TokenLink) => { opened.push(link.tokenId) }, refuse: err => { refused.push(err.name) } })
  return { opened, refused, r }
}

describe('deep-link routing', () => {
  it('holds links that arrive before the window, then delivers them in order', () => {
    const { opened, refused, r } = router()
    r.handle(good(1))
    r.handle('lineage://evil')
    r.handleArgv(['/opt/lineage-desktop', '--no-sandbox', good(2)])
    expect(opened).toEqual([])
    r.ready()
    expect(opened).toEqual(['1', '2'])
    expect(refused).toEqual(['DeepLinkError'])
    r.handle(good(3))
    r.handleArgv(['/opt/lineage-desktop'])
    expect(opened).toEqual(['1', '2', '3'])
  })

  it('registers lineage:// with the OS, takes macOS open-url events and the first launch\'s argv', () => {
    const { opened, r } = router()
    const registered: unknown[][] = []
    const listeners = new Map<string, (event: { preventDefault(): void }, url: string) => void>()
    // `app` stood in for at the Electron API boundary: Electron's runtime cannot start here.
    const app = {
      setAsDefaultProtocolClient: (...args: unknown[]) => { registered.push(args); return true },
      on: (event: string, listener: never) => { listeners.set(event, listener) },
    }
    setupDeepLinks(app as never, r, ['/opt/lineage-desktop', good(4)])
    expect(registered).toEqual([['lineage']])
    let prevented = false
    listeners.get('open-url')?.({ preventDefault: () => { prevented = true } }, good(5))
    expect(prevented).toBe(true)
    r.ready()
    expect(opened).toEqual(['4', '5'])
  })
})
