import { describe, expect, it } from 'vitest'
import { sniffContentType } from '../../../src-main/api/gateway/content-type.js'

const text = (value: string): Uint8Array => new TextEncoder().encode(value)

describe('sniffContentType: the media type of a file by its bytes', () => {
  it('recognises JSON only when the whole file parses', () => {
    expect(sniffContentType(text(' \n{"name":"Token 42"}\n'), true)).toBe('application/json')
    expect(sniffContentType(text('[1,2]'), true)).toBe('application/json')
    expect(sniffContentType(text('{"name":'), true)).toBe('text/plain; charset=utf-8')
    expect(sniffContentType(text('"a string"'), true)).toBe('text/plain; charset=utf-8')
    // The start of a bigger, streamed file: JSON cannot be told yet.
    expect(sniffContentType(text('{"name":"Token 42"}'), false)).toBe('text/plain; charset=utf-8')
  })

  it('never answers HTML, and keeps SVG an image', () => {
    expect(sniffContentType(text('<!doctype html><script>alert(1)</script>'), true)).toBe('text/plain; charset=utf-8')
    expect(sniffContentType(text('<!-- c --><svg viewBox="0 0 1 1"/>'), true)).toBe('image/svg+xml')
    expect(sniffContentType(text('<html><svg></svg></html>'), true)).toBe('text/plain; charset=utf-8')
    expect(sniffContentType(text('<?xml version="1.0"?><!-- made by hand -->\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'), true)).toBe('image/svg+xml')
  })

  it('reads signatures, and tells binary from text', () => {
    const cases: Array<[number[], string]> = [
      [[0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0], 'image/png'],
      [[0xff, 0xd8, 0xff, 0xe0], 'image/jpeg'],
      [[...text('RIFF'), 1, 2, 3, 4, ...text('WEBPVP8 ')], 'image/webp'],
      [[...text('RIFF'), 1, 2, 3, 4, ...text('WAVEfmt ')], 'audio/wav'],
      [[0, 0, 0, 0x1c, ...text('ftypavif')], 'image/avif'],
      [[0, 0, 0, 0x1c, ...text('ftypisom')], 'video/mp4'],
      [[...text('glTF'), 2, 0, 0, 0], 'model/gltf-binary'],
      [[0x00, 0x01, 0x02], 'application/octet-stream'],
      [[0xc3, 0x28], 'application/octet-stream'],
      [[...text('RIFF')], 'text/plain; charset=utf-8'],
    ]
    for (const [bytes, type] of cases) expect([bytes, sniffContentType(new Uint8Array(bytes), true)]).toEqual([bytes, type])
    // A streamed file's first chunk may end inside a character; the whole file may not.
    const cut = text('caf\u00e9').subarray(0, 4)
    expect(sniffContentType(cut, false)).toBe('text/plain; charset=utf-8')
    expect(sniffContentType(cut, true)).toBe('application/octet-stream')
  })
})
