import { describe, expect, it } from 'vitest'
import { isAllowedHost, isAllowedOrigin, ownOrigins, tokenFromProtocols } from '../../src-main/api/index.js'

describe('API request guards', () => {
  it('answers only loopback Host names', () => {
    for (const host of ['127.0.0.1:5480', 'localhost:5480', 'LOCALHOST', '[::1]:5480', '127.0.0.1']) expect(isAllowedHost(host, '127.0.0.1')).toBe(true)
    for (const host of [undefined, '', 'evil.example:5480', '127.0.0.1.evil.example', 'localhost.evil.example:80', '[::2]:5480']) expect(isAllowedHost(host, '127.0.0.1')).toBe(false)
    expect(isAllowedHost('node.lan:5480', 'node.lan')).toBe(true)
  })

  it('knows the UI\'s own origins: http, the served port, the bound name and its loopback names', () => {
    expect([...ownOrigins('127.0.0.1', 5480)].sort()).toEqual(['http://127.0.0.1:5480', 'http://localhost:5480'])
    expect([...ownOrigins('::1', 5480)].sort()).toEqual(['http://[::1]:5480', 'http://localhost:5480'])
    expect([...ownOrigins('node.lan', 80)]).toEqual(['http://node.lan'])
  })

  it('accepts the UI\'s own origin or none, nothing else', () => {
    const own = ownOrigins('127.0.0.1', 5480)
    expect(isAllowedOrigin(undefined, own)).toBe(true)
    expect(isAllowedOrigin('http://127.0.0.1:5480', own)).toBe(true)
    expect(isAllowedOrigin('http://localhost:5480', own)).toBe(true)
    for (const origin of ['http://localhost:1234', 'http://localhost:5173', 'https://127.0.0.1:5480', 'http://[::1]:5481', 'ws://127.0.0.1:5480', 'https://evil.example', 'null', 'file://', 'chrome-extension://abc', 'http://127.0.0.1.evil.example', 'http://127.0.0.1:5480/', 'HTTP://127.0.0.1:5480', '']) expect(isAllowedOrigin(origin, own)).toBe(false)
  })

  it('reads the token only from its own subprotocol', () => {
    expect(tokenFromProtocols('lineage.jsonrpc, lineage.token.abc')).toBe('abc')
    expect(tokenFromProtocols('lineage.jsonrpc')).toBeUndefined()
    expect(tokenFromProtocols(undefined)).toBeUndefined()
  })
})
