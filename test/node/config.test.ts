import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { DEFAULT_RPC_HOST, DEFAULT_RPC_PORT, defaultDataDir, resolveConfig } from '../../src-main/node/index.js'

describe('node config', () => {
  it('follows each OS convention for the default data dir, and the env override wins', () => {
    expect(defaultDataDir({}, 'linux', '/home/ada')).toBe('/home/ada/.local/share/lineage')
    expect(defaultDataDir({ XDG_DATA_HOME: '/data' }, 'linux', '/home/ada')).toBe('/data/lineage')
    expect(defaultDataDir({}, 'darwin', '/Users/ada')).toBe('/Users/ada/Library/Application Support/Lineage')
    expect(defaultDataDir({ APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' }, 'win32', 'C:\\Users\\ada')).toBe(path.join('C:\\Users\\ada\\AppData\\Roaming', 'Lineage'))
    expect(defaultDataDir({ LINEAGE_DATA_DIR: '/srv/lineage' }, 'linux', '/home/ada')).toBe('/srv/lineage')
  })

  it('binds the API to loopback by default', () => {
    const config = resolveConfig({ dataDir: '/tmp/x' })
    expect(config.rpcHost).toBe(DEFAULT_RPC_HOST)
    expect(config.rpcHost).toBe('127.0.0.1')
    expect(config.rpcPort).toBe(DEFAULT_RPC_PORT)
    expect(config.offline).toBe(false)
    expect(config.uiDir.endsWith(path.join('dist', 'renderer'))).toBe(true)
  })

  it('opens no public gateway unless asked, and checks its host, rate, burst and trusted proxies', () => {
    const plain = resolveConfig({ dataDir: '/tmp/x' })
    expect([plain.gatewayHost, plain.gatewayPort, plain.gatewayRatePerSecond, plain.gatewayRateBurst, plain.trustedProxies]).toEqual([null, 8080, 20, 200, []])
    const server = resolveConfig({ dataDir: '/tmp/x', gatewayHost: '0.0.0.0', gatewayPort: 80, gatewayRatePerSecond: 0.5, gatewayRateBurst: 10, trustedProxies: ['127.0.0.1', '::1'] })
    expect([server.gatewayHost, server.gatewayPort, server.gatewayRatePerSecond, server.gatewayRateBurst, server.trustedProxies]).toEqual(['0.0.0.0', 80, 0.5, 10, ['127.0.0.1', '::1']])
    const refused = (init: Parameters<typeof resolveConfig>[0], field: string, words: string): void => {
      expect(() => resolveConfig(init)).toThrowError(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining(field) }))
      expect(() => resolveConfig(init)).toThrowError(expect.objectContaining({ message: expect.stringContaining(words) }))
    }
    refused({ gatewayHost: 'example.org' }, 'gatewayHost', '"example.org"')
    refused({ gatewayPort: 65536 }, 'gatewayPort', '65536')
    refused({ gatewayRatePerSecond: -1 }, 'gatewayRatePerSecond', '-1')
    refused({ gatewayRateBurst: 0 }, 'gatewayRateBurst', 'at least 1')
    refused({ trustedProxies: ['10.0.0.1', 'proxy.local'] }, 'trustedProxies', '"proxy.local"')
  })

  it('rejects ports out of range, naming the field', () => {
    expect(() => resolveConfig({ rpcPort: 70000 })).toThrowError(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('rpcPort') }))
    expect(() => resolveConfig({ p2pPort: -1 })).toThrowError(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('p2pPort') }))
    expect(() => resolveConfig({ rpcPort: 1.5 })).toThrowError(expect.objectContaining({ name: 'ConfigError' }))
  })

  it('looks for LAN peers (mDNS) by default, but not on a loopback-only host, and checks bootstrap addresses', () => {
    expect(resolveConfig({ dataDir: '/tmp/x' }).mdns).toBe(true)
    expect(resolveConfig({ dataDir: '/tmp/x', p2pHost: '127.0.0.1' }).mdns).toBe(false)
    expect(resolveConfig({ dataDir: '/tmp/x', mdns: false }).mdns).toBe(false)
    // The IPFS DHT follows the same rule: on for the app and servers, off in loopback tests unless asked.
    expect(resolveConfig({ dataDir: '/tmp/x' }).dht).toBe(true)
    expect(resolveConfig({ dataDir: '/tmp/x', p2pHost: '127.0.0.1' }).dht).toBe(false)
    expect(resolveConfig({ dataDir: '/tmp/x', p2pHost: '127.0.0.1', dht: true }).dht).toBe(true)
    expect(resolveConfig({ dataDir: '/tmp/x', dht: false }).dht).toBe(false)
    expect(resolveConfig({ dataDir: '/tmp/x' }).bootstrap).toEqual([])
    const peer = '/ip4/10.0.0.2/tcp/5481/p2p/12D3KooWQWSfJ4RhLi2xGFbVFsfvyDz7EtFTa3UWN7nCh9v1QcEX'
    expect(resolveConfig({ dataDir: '/tmp/x', bootstrap: [peer] }).bootstrap).toEqual([peer])
    expect(() => resolveConfig({ bootstrap: ['/ip4/10.0.0.2/tcp/5481'] })).toThrowError(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('bootstrap') }))
  })

  it('runs AquaVM in the main thread unless told to use js-client\'s worker, and refuses anything else', () => {
    expect(resolveConfig({ dataDir: '/tmp/x' }).aquaVmThread).toBe('main')
    expect(resolveConfig({ dataDir: '/tmp/x', aquaVmThread: 'worker' }).aquaVmThread).toBe('worker')
    expect(() => resolveConfig({ aquaVmThread: 'gpu' as 'main' })).toThrowError(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('"main" or "worker"') }))
  })

  it('limits particles per peer by default, takes 0 for no limit, and refuses a rate that is not a whole number', () => {
    expect(resolveConfig({ dataDir: '/tmp/x' }).particleRateLimit).toBe(300)
    expect(resolveConfig({ dataDir: '/tmp/x', particleRateLimit: 0 }).particleRateLimit).toBe(0)
    expect(() => resolveConfig({ particleRateLimit: -1 })).toThrowError(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('particleRateLimit') }))
    expect(() => resolveConfig({ particleRateLimit: 2.5 })).toThrowError(expect.objectContaining({ name: 'ConfigError' }))
  })

  it('trusts no dev-server origin unless given, and only http loopback origins with a port', () => {
    expect(resolveConfig({}).devUiOrigins).toEqual([])
    expect(resolveConfig({ devUiOrigins: ['http://127.0.0.1:5173', 'http://localhost:4000', 'http://[::1]:8080'] }).devUiOrigins).toEqual(['http://127.0.0.1:5173', 'http://localhost:4000', 'http://[::1]:8080'])
    for (const origin of ['https://127.0.0.1:5173', 'http://evil.example:5173', 'http://127.0.0.1', 'http://127.0.0.1:5173/', 'null', 'file://', '*']) {
      expect(() => resolveConfig({ devUiOrigins: [origin] }), origin).toThrowError(expect.objectContaining({ name: 'ConfigError', message: expect.stringContaining('devUiOrigins') }))
    }
  })
})
