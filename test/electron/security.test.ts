import { describe, expect, it } from 'vitest'
import { ELECTRON_CONTENT_SECURITY_POLICY, isAllowedNavigation, isTrustedSender, mainWindowOptions, rendererUrl, secureWebPreferences } from '../../src-main/electron/index.js'

describe('Electron window security', () => {
  it('builds webPreferences with isolation, sandbox and no Node in the page', () => {
    const prefs = secureWebPreferences('/app/dist/src-main/electron/preload.cjs')
    expect(prefs).toMatchObject({
      preload: '/app/dist/src-main/electron/preload.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    })
    expect(mainWindowOptions('/p.cjs').webPreferences).toEqual(secureWebPreferences('/p.cjs'))
    expect(mainWindowOptions('/p.cjs').show).toBe(false)
  })

  it('has a CSP that allows only the app\'s own scripts and no plugins or framing', () => {
    const directives = Object.fromEntries(ELECTRON_CONTENT_SECURITY_POLICY.split('; ').map(d => { const [k, ...v] = d.split(' '); return [k, v.join(' ')] }))
    expect(directives['default-src']).toBe("'self'")
    expect(directives['script-src']).toBe("'self'")
    expect(directives['object-src']).toBe("'none'")
    expect(directives['frame-ancestors']).toBe("'none'")
    expect(ELECTRON_CONTENT_SECURITY_POLICY).not.toContain('unsafe-inline')
    expect(ELECTRON_CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval')
  })

  it('trusts IPC only from the top frame of our own page', () => {
    const trusted = rendererUrl('/opt/Lineage/resources/app.asar/dist/renderer/index.html')
    expect(trusted).toBe('file:///opt/Lineage/resources/app.asar/dist/renderer/index.html')
    expect(isTrustedSender({ url: trusted, parent: null }, trusted)).toBe(true)
    expect(isTrustedSender({ url: trusted + '#/tokens', parent: null }, trusted)).toBe(true)
    expect(isTrustedSender({ url: trusted, parent: {} }, trusted)).toBe(false)
    expect(isTrustedSender({ url: 'https://evil.example/', parent: null }, trusted)).toBe(false)
    expect(isTrustedSender({ url: 'file:///tmp/evil.html', parent: null }, trusted)).toBe(false)
    expect(isTrustedSender({ url: 'not a url', parent: null }, trusted)).toBe(false)
    expect(isTrustedSender(null, trusted)).toBe(false)
    expect(isAllowedNavigation('https://evil.example/', trusted)).toBe(false)
    expect(isAllowedNavigation(trusted, trusted)).toBe(true)
  })
})
