import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createSettingsStore, DEFAULT_SETTINGS, openSettingsStore, SettingsFileError } from '../../src-main/electron/index.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('desktop settings file', () => {
  let t: { dir: string, cleanup: () => void }
  let file: string
  beforeEach(() => { t = tempDir(); file = path.join(t.dir, 'sub', 'desktop-settings.json') })
  afterEach(() => { t.cleanup() })

  it('starts from the defaults, and keeps a change across a restart in a versioned file', () => {
    const store = createSettingsStore(file)
    expect(store.get()).toEqual(DEFAULT_SETTINGS)
    expect(fs.existsSync(file)).toBe(false)
    expect(store.set('launchAtLogin', true)).toEqual({ launchAtLogin: true, dataDir: null })
    expect(JSON.parse(fs.readFileSync(file, 'utf8'))).toEqual({ version: 1, settings: { launchAtLogin: true, dataDir: null } })
    expect(createSettingsStore(file).get()).toEqual({ launchAtLogin: true, dataDir: null })
    expect(fs.readdirSync(path.dirname(file))).toEqual(['desktop-settings.json'])
  })

  it('ignores unknown names and values of the wrong type', () => {
    fs.mkdirSync(path.dirname(file), { recursive: true })
    fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { launchAtLogin: 'yes', __proto__: { launchAtLogin: true }, other: 1, dataDir: 'relative/folder' } }))
    const settings = createSettingsStore(file).get()
    expect(settings).toEqual({ launchAtLogin: false, dataDir: null })
    expect(Object.keys(settings)).toEqual(['launchAtLogin', 'dataDir'])
    fs.writeFileSync(file, JSON.stringify({ version: 1, settings: { dataDir: t.dir } }))
    expect(createSettingsStore(file).get()).toEqual({ launchAtLogin: false, dataDir: t.dir })
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
