import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createSettingsStore } from '../../src-main/electron/index.js'
import type { DesktopSettingsStore } from '../../src-main/electron/index.js'
import { DATA_DIR_FAILED_BUTTONS, setupNode } from '../../src-main/electron/node.js'
import type { LineageNode } from '../../src-main/node/index.js'
import { testNodeConfig } from '../helpers/node-config.js'
import { testLogger } from '../helpers/logger.js'
import { tempDir } from '../helpers/temp-dir.js'
import { dialog } from './fake-electron.js'

// Electron's runtime cannot start here: dialog is replaced at the Electron API boundary only;
// the node is a real one.
vi.mock('electron', async () => await import('./fake-electron.js'))

describe('the app\'s node and the chosen data folder', () => {
  let t: { dir: string, cleanup: () => void }
  let settings: DesktopSettingsStore
  let defaultDir: string
  let node: LineageNode | undefined
  beforeEach(() => {
    t = tempDir()
    defaultDir = path.join(t.dir, 'default')
    vi.stubEnv('LINEAGE_DATA_DIR', defaultDir)
    settings = createSettingsStore(path.join(t.dir, 'desktop-settings.json'))
    dialog.messages.length = 0
    dialog.errors.length = 0
  })
  afterEach(async () => {
    await node?.stop()
    node = undefined
    vi.unstubAllEnvs()
    t.cleanup()
  })
  // No listening beyond the local API on any free port: the folder is what is under test.
  const init = { ...testNodeConfig(''), dataDir: undefined, offline: true }

  it('starts on the folder chosen in the app, from the next start on', async () => {
    const chosen = path.join(t.dir, 'chosen')
    settings.set('dataDir', chosen)
    node = await setupNode(testLogger, createSettingsStore(settings.path), init)
    expect(node?.config.dataDir).toBe(chosen)
    expect(fs.readdirSync(chosen).length).toBeGreaterThan(0)
    expect(fs.existsSync(defaultDir)).toBe(false)
  })

  it('offers the default folder when the chosen one cannot be opened, and uses it when asked', async () => {
    const file = path.join(t.dir, 'not-a-folder')
    fs.writeFileSync(file, 'x')
    settings.set('dataDir', file)
    dialog.messageResponse = DATA_DIR_FAILED_BUTTONS.indexOf('Use the default folder')
    node = await setupNode(testLogger, settings, init)
    expect(dialog.messages).toEqual([expect.objectContaining({ message: 'Lineage could not open the data folder you chose', detail: expect.stringContaining(file), buttons: [...DATA_DIR_FAILED_BUTTONS] })])
    expect(node?.config.dataDir).toBe(defaultDir)
    expect(settings.get().dataDir).toBeNull()
  })

  it('quits when the user says so, keeping the choice', async () => {
    const file = path.join(t.dir, 'not-a-folder')
    fs.writeFileSync(file, 'x')
    settings.set('dataDir', file)
    dialog.messageResponse = DATA_DIR_FAILED_BUTTONS.indexOf('Quit')
    expect(await setupNode(testLogger, settings, init)).toBeUndefined()
    expect(settings.get().dataDir).toBe(file)
  })
})
