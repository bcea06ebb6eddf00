/**
 * The media type of a file's bytes, judged by the bytes (a snapshot's token documents have no
 * extension at all). JSON is recognised by parsing it whole; images, audio, video and 3D models by
 * their signatures. Markup is never served as HTML: it could run script on the node's own origin,
 * so it goes out as text/plain (an SVG keeps its type, under the sandbox CSP every file gets).
 */

interface Signature {
  type: string
  /** Bytes at `offset`; `undefined` matches any byte. */
  bytes: ReadonlyArray<number | undefined>
  offset?: number
}

const ascii = (text: string): number[] => [...text].map(c => c.charCodeAt(0))

const SIGNATURES: readonly Signature[] = [
  { type: 'image/png', bytes: [0x89, ...ascii('PNG\r\n\x1a\n')] },
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/gif', bytes: ascii('GIF8') },
  { type: 'image/webp', bytes: [...ascii('RIFF'), undefined, undefined, undefined, undefined, ...ascii('WEBP')] },
  { type: 'image/avif', bytes: ascii('ftypavif'), offset: 4 },
  { type: 'video/mp4', bytes: ascii('ftyp'), offset: 4 },
  { type: 'video/webm', bytes: [0x1a, 0x45, 0xdf, 0xa3] },
  { type: 'audio/mpeg', bytes: ascii('ID3') },
  { type: 'audio/ogg', bytes: ascii('OggS') },
  { type: 'audio/wav', bytes: [...ascii('RIFF'), undefined, undefined, undefined, undefined, ...ascii('WAVE')] },
  { type: 'model/gltf-binary', bytes: ascii('glTF') },
  { type: 'application/pdf', bytes: ascii('%PDF-') },
]

const SVG = /^\s*(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE\s+svg[^>]*>\s*)?<svg[\s>]/i
/** C0 controls other than tab, line feed, form feed and carriage return: binary, not text. */
const BINARY_CONTROL = /[\x00-\x08\x0b\x0e-\x1f\x7f]/ // eslint-disable-line no-control-regex

function matches (bytes: Uint8Array, { bytes: expected, offset = 0 }: Signature): boolean {
  if (bytes.byteLength < offset + expected.length) return false
  return expected.every((byte, i) => byte === undefined || bytes[offset + i] === byte)
}

/**
 * The media type for `bytes`. `whole` says whether they are the whole file (only then can JSON
 * be told from text that merely starts like it).
 */
export function sniffContentType (bytes: Uint8Array, whole: boolean): string {
  for (const signature of SIGNATURES) if (matches(bytes, signature)) return signature.type
  let text: string
  try {
    // Streaming: the first chunk of a bigger file may end inside a character, which is no error.
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes, { stream: !whole })
  } catch {
    return 'application/octet-stream'
  }
  if (BINARY_CONTROL.test(text)) return 'application/octet-stream'
  if (whole && isJson(text)) return 'application/json'
  if (SVG.test(text.slice(0, 4096))) return 'image/svg+xml'
  return 'text/plain; charset=utf-8'
}

function isJson (text: string): boolean {
  const first = text.trimStart()[0]
  if (first !== '{' && first !== '[') return false
  try {
    JSON.parse(text)
    return true
  } catch {
    return false
  }
}
