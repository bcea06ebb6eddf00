import type { Session } from 'electron'
import { describe, expect, it } from 'vitest'
import { setupContentSecurityPolicy } from '../../src-main/electron/csp.js'
import { ELECTRON_CONTENT_SECURITY_POLICY } from '../../src-main/electron/index.js'

describe('CSP header', () => {
  it('adds the policy to every response, replacing none of the other headers (session hook stood in for: no Electron runtime here)', () => {
    let hook: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined
    setupContentSecurityPolicy({ webRequest: { onHeadersReceived: (listener: typeof hook) => { hook = listener } } } as unknown as Session)
    let headers: Record<string, string[]> | undefined
    hook?.({ responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': ["default-src *"] } }, r => { headers = r.responseHeaders })
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [ELECTRON_CONTENT_SECURITY_POLICY] })
    expect(ELECTRON_CONTENT_SECURITY_POLICY).toContain("connect-src 'self'")
  })
})
