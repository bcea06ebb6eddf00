import type { WebContents } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { rendererUrl } from '../../src-main/electron/index.js'
import { guardWebContents, isExternalLink, setupNavigationGuards } from '../../src-main/electron/navigation.js'
import { FakeWebContents, shell } from './fake-electron.js'

// Electron's runtime cannot start here: web contents and `shell` are stood in for at the
// Electron API boundary only; the handlers under test are the real ones.
vi.mock('electron', async () => await import('./fake-electron.js'))

const trusted = rendererUrl('/opt/Lineage/resources/app.asar/dist/renderer/index.html')

function guarded (): { contents: FakeWebContents, opened: string[] } {
  const contents = new FakeWebContents(trusted)
  const opened: string[] = []
  guardWebContents(contents as unknown as WebContents, trusted, url => { opened.push(url) })
  return { contents, opened }
}

/** Emits a navigation event and says whether a handler prevented it. */
function prevented (contents: FakeWebContents, event: string, url: string): boolean {
  let stopped = false
  contents.emit(event, { preventDefault: () => { stopped = true } }, url)
  return stopped
}

describe('navigation and new windows', () => {
  it('denies every new window, handing https links to the browser and nothing else', () => {
    const { contents, opened } = guarded()
    for (const url of ['https://opensea.io/collection/x', 'http://example.com/', 'file:///etc/passwd', 'javascript:alert(1)', 'lineage://token/1/0x/1', 'smb://host/share']) {
      expect(contents.windowOpenHandler?.({ url })).toEqual({ action: 'deny' })
    }
    expect(opened).toEqual(['https://opensea.io/collection/x'])
    expect(isExternalLink('not a url')).toBe(false)
  })

  it('blocks navigation and redirects away from our page, allows reloads of it', () => {
    const { contents } = guarded()
    expect(prevented(contents, 'will-navigate', 'https://evil.example/')).toBe(true)
    expect(prevented(contents, 'will-navigate', 'file:///tmp/evil.html')).toBe(true)
    expect(prevented(contents, 'will-redirect', 'https://evil.example/')).toBe(true)
    expect(prevented(contents, 'will-navigate', `${trusted}#/tokens`)).toBe(false)
    expect(prevented(contents, 'will-attach-webview', '')).toBe(true)
  })

  it('grants no permission but writing to the clipboard', () => {
    const { contents } = guarded()
    const answers: Record<string, boolean> = {}
    for (const permission of ['media', 'geolocation', 'notifications', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write']) {
      contents.permissionRequest?.(contents, permission, granted => { answers[permission] = granted })
      expect(contents.permissionCheck?.(contents, permission)).toBe(answers[permission])
    }
    expect(Object.entries(answers).filter(([, granted]) => granted).map(([p]) => p)).toEqual(['clipboard-sanitized-write'])
  })

  it('guards every web contents the app creates, opening links with shell', () => {
    const listeners: Array<(event: unknown, contents: WebContents) => void> = []
    setupNavigationGuards({ on: ((event: string, listener: never) => { if (event === 'web-contents-created') listeners.push(listener) }) as never }, trusted)
    const contents = new FakeWebContents('devtools://devtools/bundled/inspector.html')
    listeners[0]?.({}, contents as unknown as WebContents)
    expect(contents.windowOpenHandler?.({ url: 'https://docs.example/' })).toEqual({ action: 'deny' })
    expect(shell.external).toEqual(['https://docs.example/'])
    expect(prevented(contents, 'will-navigate', 'https://evil.example/')).toBe(true)
  })
})
