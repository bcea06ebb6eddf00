import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkPublicGatewaySetting, createSettingsStore, DEFAULT_SETTINGS, openSettingsStore, publicGatewayNodeInit, SettingsFileError } from '../../src-main/electron/index.js'
import { tempDir } from '../helpers/temp-dir.js'

const OFF = { enabled: false, host: '0.0.0.0', port: 8080 }

describe('desktop settings file', () => {
  let t: { dir: string, cleanup: () => void }
  let file: string
  beforeEach(() => { t = tempDir(); file = path.join(t.dir, 'sub', 'desktop-settings.json') })
  afterEach(() => { t.cleanup() })

  it('starts from the defaults, and keeps a change across a restart in a versioned file', () => {
    const store = createSettingsStore(file)
    expect(store.get()).toEqual(DEFAULT_SETTINGS)
    expect(fs.existsSync(file)).toBe(false)
    expect(store.set('launchAtLogin', true)).toEqual({ launchAtLogin: true, dataDir: null, publicGateway: OFF })
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ version: 1, settings: { launchAtLogin: true, dataDir: null, publicGateway: OFF } })
    expect(createSettingsStore(file).get()).toEqual({ launchAtLogin: true, dataDir: null, publicGateway: OFF })
    expect(fs.readdirSync(path.dirname(file))).toEqual(['desktop-settings.json'])
  })

  it('ignores unknown names and values of the wrong type', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { launchAtLogin: 'yes', __proto__: { launchAtLogin: true }, other: 1, dataDir: 'relative/folder' } }))
    const settings = createSettingsStore(file).get()
    expect(settings).toEqual({ launchAtLogin: false, dataDir: null, publicGateway: OFF })
    expect(Object.keys(settings)).toEqual(['launchAtLogin', 'dataDir', 'publicGateway'])
    fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { dataDir: t.dir } }))
    expect(createSettingsStore(file).get()).toEqual({ launchAtLogin: false, dataDir: t.dir, publicGateway: OFF })
    // A hand-edited "Serve publicly": a bad port means the default (off); extra fields are dropped.
    fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { publicGateway: { enabled: true, host: '0.0.0.0', port: 70000 } } }))
    expect(createSettingsStore(file).get().publicGateway).toEqual(OFF)
    fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { publicGateway: { enabled: true, host: '127.0.0.1', port: 8081, apiToo: true } } }))
    expect(createSettingsStore(file).get().publicGateway).toEqual({ enabled: true, host: '127.0.0.1', port: 8081 })
  })

  it('refuses a file it cannot read, and openSettingsStore sets it aside and starts from the defaults', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    for (const [text, words] of [['{', 'not JSON'], ['[]', 'not a settings file'], ['{"version":2,"settings":{}}', 'newer Lineage']] as const) {
      fs.writeFileSync(file, text)
      expect(() => createSettingsStore(file)).toThrow(SettingsFileError)
      expect(() => createSettingsStore(file)).toThrow(words)
    }
    const broken: string[] = []
    const store = openSettingsStore(file, err => { broken.push(err.name) })
    expect(broken).toEqual(['SettingsFileError'])
    expect(store.get()).toEqual(DEFAULT_SETTINGS)
    expect(fs.readFileSync(`${file}.broken`, 'utf8')).toBe('{"version":2,"settings":{}}')
  })
})

describe('"Serve publicly" setting', () => {
  it('takes an IP address of this machine and a fixed port, and trims the address', () => {
    expect(checkPublicGatewaySetting({ enabled: true, host: ' 0.0.0.0 ', port: 8080 })).toEqual({ enabled: true, host: '0.0.0.0', port: 8080 })
    expect(checkPublicGatewaySetting({ enabled: false, host: '::', port: 1 })).toEqual({ enabled: false, host: '::', port: 1 })
    expect(checkPublicGatewaySetting({ enabled: true, host: '192.168.1.20', port: 65535 })).toEqual({ enabled: true, host: '192.168.1.20', port: 65535 })
  })

  it('refuses what is not an address or a port in words naming the field', () => {
    const cases: Array<[unknown, string, string]> = [
      [null, 'setting', 'must be { enabled, host, port }'],
      [{ enabled: 'yes', host: '0.0.0.0', port: 8080 }, 'enabled', 'must be on or off'],
      [{ enabled: true, host: 'example.com', port: 8080 }, 'host', 'The interface must be an IP address of this computer, such as 0.0.0.0 (every network) or 192.168.1.20; "example.com" is not one.'],
      [{ enabled: true, host: '300.1.1.1', port: 8080 }, 'host', '"300.1.1.1" is not one'],
      [{ enabled: true, host: '', port: 8080 }, 'host', '"" is not one'],
      [{ enabled: true, host: '0.0.0.0', port: 0 }, 'port', 'The port must be a whole number from 1 to 65535, such as 8080; "0" is not one.'],
      [{ enabled: true, host: '0.0.0.0', port: 65536 }, 'port', '"65536" is not one'],
      [{ enabled: true, host: '0.0.0.0', port: 80.5 }, 'port', '"80.5" is not one'],
      [{ enabled: true, host: '0.0.0.0', port: '8080' }, 'port', '"8080" is not one'],
    ]
    for (const [value, field, words] of cases) {
      expect(() => checkPublicGatewaySetting(value)).toThrow(expect.objectContaining({ name: 'PublicGatewaySettingError', field, message: expect.stringContaining(words) }))
    }
  })

  it('adds the listener to the node\'s config only when on', () => {
    expect(publicGatewayNodeInit({ enabled: true, host: '0.0.0.0', port: 8081 })).toEqual({ gatewayHost: '0.0.0.0', gatewayPort: 8081 })
    expect(publicGatewayNodeInit({ enabled: false, host: '0.0.0.0', port: 8081 })).toEqual({})
  })
})
