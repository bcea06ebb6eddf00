import type { Session } from 'electron'
import { describe, expect, it } from 'vitest'
import { isLocalRequest } from '../../src-main/electron/index.js'
import { setupRemoteContentBlock } from '../../src-main/electron/remote-content.js'

describe('no remote content', () => {
  it('lets the page load its own files and inline data only', () => {
    for (const url of ['file:///opt/Lineage/resources/app.asar/dist/renderer/assets/index.js', 'data:image/png;base64,AAAA', 'blob:file:///1234', 'devtools://devtools/bundled/inspector.html']) {
      expect(isLocalRequest(url), url).toBe(true)
    }
    for (const url of ['https://evil.example/x.js', 'http://127.0.0.1:5480/rpc', 'ws://127.0.0.1:5480/rpc/ws', 'wss://relay.example/', 'ipfs://bafy', 'ftp://host/', 'not a url', '']) {
      expect(isLocalRequest(url), url).toBe(false)
    }
  })

  it('cancels remote requests in the session (the webRequest hook stood in for: no Electron runtime here)', () => {
    let hook: ((details: { url: string }, callback: (response: { cancel: boolean }) => void) => void) | undefined
    const session = { webRequest: { onBeforeRequest: (listener: typeof hook) => { hook = listener } } } as unknown as Session
    setupRemoteContentBlock(session)
    const answer = (url: string): boolean | undefined => {
      let cancel: boolean | undefined
      hook?.({ url }, response => { cancel = response.cancel })
      return cancel
    }
    expect(answer('https://tracker.example/pixel.gif')).toBe(true)
    expect(answer('file:///opt/Lineage/resources/app.asar/dist/renderer/index.html')).toBe(false)
  })
})
