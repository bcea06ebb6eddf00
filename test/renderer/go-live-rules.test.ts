import { describe, expect, it } from 'vitest'
import { describeCheck, describeDht, describeReachability, followCommand, isWildcardUrl, publicMetadataBase, serverBase } from '../../src-renderer/src/lib/rules/go-live.js'
import { publicGatewayLine } from '../../src-main/cli/start.js'
import { isMethodMissing } from '../../src-renderer/src/lib/rules/go-live-wire.js'
import { listenerUrl, portValue, restartNeeded } from '../../src-renderer/src/lib/rules/public-gateway.js'

const ADDRESS = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23'

describe('Go live rules', () => {
  it('makes a public baseURI from the server address as a creator types it', () => {
    expect(serverBase('metadata.example.com')).toBe('https://metadata.example.com')
    expect(serverBase(' https://metadata.example.com/ ')).toBe('https://metadata.example.com')
    expect(serverBase('http://203.0.113.7:8080')).toBe('http://203.0.113.7:8080')
    expect(serverBase('https://example.com/lineage/')).toBe('https://example.com/lineage')
    for (const bad of ['', '   ', 'https://', 'https://example.com/?x=1', 'https://exa mple.com']) expect(serverBase(bad), bad).toBeNull()
    expect(publicMetadataBase('https://metadata.example.com', '1', ADDRESS)).toBe(`https://metadata.example.com/metadata/1/${ADDRESS.toLowerCase()}/`)
    expect(followCommand('137', ADDRESS)).toBe(`lineage-node follow add 137 ${ADDRESS.toLowerCase()}`)
  })

  it('says a check\'s result in words, with its facts', () => {
    expect(describeCheck({ ok: true, url: 'u', redirects: 0, status: 200, content_type: 'application/json', bytes: 2048, elapsed_ms: 12, name: 'Print #1' })).toBe('A marketplace would show “Print #1” (HTTP 200, 2.0 KiB, 12 ms).')
    expect(describeCheck({ ok: false, url: 'u', redirects: 0, status: 404, content_type: null, bytes: 0, elapsed_ms: 3, problem: 'answered 404' })).toBe('A marketplace would not show this token: answered 404 (HTTP 404, 3 ms).')
    expect(describeCheck({ ok: false, url: 'u', redirects: 0, status: null, content_type: null, bytes: 0, elapsed_ms: 10_000, problem: 'took longer than 10 s' })).toBe('A marketplace would not show this token: took longer than 10 s (no answer, 10000 ms).')
  })

  it('says reachability and the DHT in words, and that a missing feature is not available yet', () => {
    const reach = { public_addresses: [], relay_addresses: [], relay_service: false, relays: [] }
    expect(describeReachability(undefined, false)).toBe('Not available on this node yet.')
    expect(describeReachability(undefined, true)).toContain('runs offline')
    expect(describeReachability({ ...reach, status: 'public', public_addresses: ['/ip4/203.0.113.7/tcp/4001'] }, false)).toBe('Reachable directly from the internet at /ip4/203.0.113.7/tcp/4001.')
    expect(describeReachability({ ...reach, status: 'relayed', relays: ['12D3KooWRelay'] }, false)).toBe('Reachable through the relay 12D3KooWRelay: peers reach this computer through it.')
    expect(describeReachability({ ...reach, status: 'unreachable' }, false)).toBe('Not reachable from the internet. Give it a relay server\'s address (Go live › Make this computer reachable): peers then reach it through the relay.')
    expect(describeReachability({ ...reach, status: 'unknown' }, false)).toContain('Not known yet')
    expect(describeDht(undefined)).toBe('Not available on this node yet.')
    const on = { enabled: true as const, network: 'public' as const, mode: 'server' as const, peers: 1, provided: 12, last_reprovide_at: null, reproviding: false, queued: 0, failed: 0, ipns_names: 0 }
    expect(describeDht(on)).toBe('On (server): 1 DHT peer, 12 CIDs announced.')
    expect(describeDht({ ...on, reproviding: true, peers: 3 })).toBe('On (server): 3 DHT peers, 12 CIDs announced. It is announcing them now.')
    expect(describeDht(null)).toBe('Off: IPFS nodes find this content only if told this node\'s address.')
    expect(isMethodMissing({ code: -32601 })).toBe(true)
    expect(isMethodMissing({ code: -32602 })).toBe(false)
    expect(isMethodMissing(null)).toBe(false)
  })
})

describe('public gateway addresses a marketplace can use', () => {
  it('a wildcard listener is named as such, in the UI and in what lineage-node start prints', () => {
    expect([isWildcardUrl('http://0.0.0.0:8080'), isWildcardUrl('http://[::]:8080'), isWildcardUrl('http://127.0.0.1:8080'), isWildcardUrl('http://203.0.113.7:8080')]).toEqual([true, true, false, false])
    expect(publicGatewayLine('http://0.0.0.0:8080')).toBe('Public gateway: http://<this server\'s address>:8080/metadata/<chainId>/<address>/ (listening on 0.0.0.0:8080, every interface)')
    expect(publicGatewayLine('http://[::]:8081')).toBe('Public gateway: http://<this server\'s address>:8081/metadata/<chainId>/<address>/ (listening on [::]:8081, every interface)')
    expect(publicGatewayLine('http://127.0.0.1:8080')).toBe('Public gateway: http://127.0.0.1:8080/metadata/<chainId>/<address>/')
  })
})

describe('"Serve publicly" form rules', () => {
  it('knows when the saved setting waits for a restart', () => {
    expect(listenerUrl({ enabled: true, host: '0.0.0.0', port: 8080 })).toBe('http://0.0.0.0:8080')
    expect(listenerUrl({ enabled: true, host: '::', port: 8080 })).toBe('http://[::]:8080')
    expect(listenerUrl({ enabled: false, host: '0.0.0.0', port: 8080 })).toBeNull()
    expect(restartNeeded({ enabled: true, host: '0.0.0.0', port: 8080 }, null)).toBe(true)
    expect(restartNeeded({ enabled: true, host: '0.0.0.0', port: 8080 }, 'http://0.0.0.0:8080')).toBe(false)
    expect(restartNeeded({ enabled: false, host: '0.0.0.0', port: 8080 }, 'http://0.0.0.0:8080')).toBe(true)
    expect(restartNeeded(null, 'http://0.0.0.0:8080')).toBe(false)
    expect(portValue(' 8081 ')).toBe(8081)
    expect(portValue('80a')).toBe('80a')
  })
})
