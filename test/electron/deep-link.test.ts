import { describe, expect, it } from 'vitest'
import { DeepLinkError, findDeepLink, MAX_DEEP_LINK_LENGTH, parseDeepLink } from '../../src-main/electron/index.js'

const ADDRESS = '0x5180db8F5c931aaE63c74266b211F580155ecac8'
const link = (rest: string): string => `lineage://token/${rest}`

/** The refusal's name and message: every refusal is a DeepLinkError that says what is wrong. */
function refusal (text: string): string {
  try {
    parseDeepLink(text)
  } catch (err) {
    expect((err as Error).name).toBe('DeepLinkError')
    expect(err).toBeInstanceOf(DeepLinkError)
    return (err as Error).message
  }
  throw new Error(`accepted ${text}`)
}

describe('lineage:// deep links', () => {
  it('opens lineage://token/<chainId>/<address>/<tokenId>, canonical and lower-cased', () => {
    expect(parseDeepLink(link(`1/${ADDRESS}/42`))).toEqual({ kind: 'token', chainId: '1', address: ADDRESS.toLowerCase(), tokenId: '42' })
    expect(parseDeepLink(link(`137/${ADDRESS}/0`))).toMatchObject({ chainId: '137', tokenId: '0' })
    // Browsers may upper-case the scheme, and Windows ones add a trailing slash.
    expect(parseDeepLink(`LINEAGE://token/1/${ADDRESS}/42/`)).toMatchObject({ tokenId: '42' })
    const max = ((1n << 256n) - 1n).toString()
    expect(parseDeepLink(link(`18446744073709551615/${ADDRESS}/${max}`))).toMatchObject({ chainId: '18446744073709551615', tokenId: max })
  })

  it('refuses other schemes, kinds and shapes, saying what is wrong', () => {
    expect(refusal(`https://token/1/${ADDRESS}/1`)).toContain('does not start with lineage://')
    expect(refusal(`lineage:token/1/${ADDRESS}/1`)).toContain('does not start with lineage://')
    expect(refusal(`lineage://collection/1/${ADDRESS}`)).toContain('"collection" is not something Lineage opens')
    expect(refusal(`lineage://TOKEN/1/${ADDRESS}/1`)).toContain('"TOKEN" is not something')
    expect(refusal(link(`1/${ADDRESS}`))).toContain('exactly three parts')
    expect(refusal(link(`1/${ADDRESS}/1/extra`))).toContain('exactly three parts')
    expect(refusal(link(`1/${ADDRESS}/1//`))).toContain('exactly three parts')
    expect(refusal(link(`1//${ADDRESS}/1`))).toContain('exactly three parts')
    expect(refusal('lineage://')).toContain('"" is not something')
  })

  it('refuses bad chain ids, addresses and token ids', () => {
    expect(refusal(link(`0/${ADDRESS}/1`))).toContain('"0" is not a chain id')
    expect(refusal(link(`01/${ADDRESS}/1`))).toContain('"01" is not a chain id')
    expect(refusal(link(`18446744073709551616/${ADDRESS}/1`))).toContain('is not a chain id')
    expect(refusal(link('1/0x1234/1'))).toContain('"0x1234" is not a contract address')
    expect(refusal(link(`1/${ADDRESS.slice(2)}/1`))).toContain('is not a contract address')
    expect(refusal(link(`1/${ADDRESS}g/1`))).toContain('is not a contract address')
    expect(refusal(link(`1/${ADDRESS}/007`))).toContain('"007" is not a token id')
    expect(refusal(link(`1/${ADDRESS}/${(1n << 256n).toString()}`))).toContain('is not a token id')
    expect(refusal(link(`1/${ADDRESS}/0x2a`))).toContain('is not a token id')
  })

  it('refuses hostile links before reading them: escapes, traversal, queries, credentials, control characters, huge input', () => {
    const hostile = [
      link(`1/${ADDRESS}/1?redirect=https://evil.example`),
      link(`1/${ADDRESS}/1#x`),
      link(`1/${ADDRESS}/%2e%2e`),
      link(`1/${ADDRESS}/../../etc/passwd`),
      link(`1/${ADDRESS}/1%00`),
      link(`1/${ADDRESS}/1\n`),
      link(`1/${ADDRESS}/1 `),
      link(`1/${ADDRESS}/１`), // full-width digit
      `lineage://user:pass@token/1/${ADDRESS}/1`,
      `lineage://token:80/1/${ADDRESS}/1`,
      `lineage://token\\1\\${ADDRESS}\\1`,
      `lineage://token/1/${ADDRESS}/1\u202e`,
      'javascript:alert(1)//lineage://token/1',
    ]
    for (const text of hostile) expect(() => parseDeepLink(text), text).toThrow(DeepLinkError)
    expect(refusal(link(`1/${ADDRESS}/1?x=1`))).toContain('contains "?"')
    const huge = link(`1/${ADDRESS}/${'1'.repeat(MAX_DEEP_LINK_LENGTH)}`)
    expect(refusal(huge)).toContain(`longer than ${MAX_DEEP_LINK_LENGTH} characters`)
    // The message quotes at most 120 characters of what it refused.
    expect(refusal(huge).length).toBeLessThan(400)
    expect(() => parseDeepLink(42 as unknown as string)).toThrow(DeepLinkError)
  })

  it('finds the link on a command line, after any Chromium switches', () => {
    const url = link(`1/${ADDRESS}/1`)
    expect(findDeepLink(['/opt/Lineage/lineage-desktop', '--no-sandbox', url])).toBe(url)
    expect(findDeepLink(['C:\\Lineage\\Lineage.exe', '--allow-file-access-from-files', url.toUpperCase()])).toBe(url.toUpperCase())
    expect(findDeepLink(['/opt/Lineage/lineage-desktop', '--launched-at-login'])).toBeUndefined()
    expect(findDeepLink(['/usr/bin/electron', '/home/ada/lineage-linear'])).toBeUndefined()
  })
})
