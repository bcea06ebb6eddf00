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

describe('image gateway in the CSP and the remote-content block', () => {
  it('names the creator\'s gateway in img-src, and lets only its GET image requests through, only while it is set', async () => {
    const { isAllowedImage } = await import('../../src-main/electron/remote-content.js')
    const gateway: { origin?: string } = {}
    let hook: ((details: { responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders: Record<string, string[]> }) => void) => void) | undefined
    setupContentSecurityPolicy({ webRequest: { onHeadersReceived: (listener: typeof hook) => { hook = listener } } } as unknown as Session, () => gateway.origin)
    const policy = (): string => {
      let headers: Record<string, string[]> | undefined
      hook?.({ responseHeaders: {} }, r => { headers = r.responseHeaders })
      return headers?.['Content-Security-Policy']?.[0] ?? ''
    }
    expect(policy()).toContain("img-src 'self' data: blob:;")
    gateway.origin = 'https://ipfs.example'
    expect(policy()).toContain("img-src 'self' data: blob: https://ipfs.example;")
    expect(policy()).toContain("connect-src 'self';")
    const image = { url: 'https://ipfs.example/ipfs/bafy/1.png', method: 'GET', resourceType: 'image' }
    expect(isAllowedImage(image, gateway.origin)).toBe(true)
    expect(isAllowedImage({ ...image, resourceType: 'xhr' }, gateway.origin)).toBe(false)
    expect(isAllowedImage({ ...image, url: 'https://ipfs.example.evil/ipfs/x' }, gateway.origin)).toBe(false)
    expect(isAllowedImage(image, undefined)).toBe(false)
  })
})
