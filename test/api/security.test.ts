import { describe, expect, it } from 'vitest'
import { isAllowedHost, isAllowedOrigin } from '../../src-main/api/index.js'

describe('API request guards', () => {
  it('answers only loopback Host names', () => {
    for (const host of ['127.0.0.1:5480', 'localhost:5480', 'LOCALHOST', '[::1]:5480', '127.0.0.1']) expect(isAllowedHost(host, '127.0.0.1')).toBe(true)
    for (const host of [undefined, '', 'evil.example:5480', '127.0.0.1.evil.example', 'localhost.evil.example:80', '[::2]:5480']) expect(isAllowedHost(host, '127.0.0.1')).toBe(false)
    expect(isAllowedHost('node.lan:5480', 'node.lan')).toBe(true)
  })

  it('accepts WebSocket origins of the node itself or none, nothing else', () => {
    expect(isAllowedOrigin(undefined, '127.0.0.1')).toBe(true)
    expect(isAllowedOrigin('http://127.0.0.1:5480', '127.0.0.1')).toBe(true)
    expect(isAllowedOrigin('http://localhost:1234', '127.0.0.1')).toBe(true)
    for (const origin of ['https://evil.example', 'null', 'file://', 'chrome-extension://abc', 'http://127.0.0.1.evil.example']) expect(isAllowedOrigin(origin, '127.0.0.1')).toBe(false)
  })
})
