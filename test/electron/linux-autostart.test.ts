import fs from 'node:fs'
import path from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { autostartEntry, autostartEntryPath, isLinuxAutostartSet, quoteExecArgument, setLinuxAutostart } from '../../src-main/electron/linux-autostart.js'
import { tempDir } from '../helpers/temp-dir.js'

describe('Linux autostart entry', () => {
  let t: { dir: string, cleanup: () => void }
  beforeEach(() => { t = tempDir() })
  afterEach(() => { t.cleanup() })

  it('lives in $XDG_CONFIG_HOME/autostart, or ~/.config/autostart', () => {
    expect(autostartEntryPath({ XDG_CONFIG_HOME: '/cfg' }, '/home/ada')).toBe('/cfg/autostart/lineage-desktop.desktop')
    expect(autostartEntryPath({}, '/home/ada')).toBe('/home/ada/.config/autostart/lineage-desktop.desktop')
    // A relative XDG_CONFIG_HOME is invalid per the spec and ignored.
    expect(autostartEntryPath({ XDG_CONFIG_HOME: 'cfg' }, '/home/ada')).toBe('/home/ada/.config/autostart/lineage-desktop.desktop')
  })

  it('quotes the executable as the Desktop Entry spec asks', () => {
    expect(quoteExecArgument('/opt/Lineage Desktop/lineage-desktop')).toBe('"/opt/Lineage Desktop/lineage-desktop"')
    expect(quoteExecArgument('/a/$HOME/`x`/"q"/\\')).toBe('"/a/\\$HOME/\\`x\\`/\\"q\\"/\\\\"')
    expect(autostartEntry('/home/ada/Apps/Lineage.AppImage')).toContain('Exec="/home/ada/Apps/Lineage.AppImage" --launched-at-login\n')
  })

  it('is written when enabled and removed when disabled, idempotently', () => {
    const file = path.join(t.dir, 'autostart', 'lineage-desktop.desktop')
    setLinuxAutostart(true, '/opt/lineage-desktop', file)
    setLinuxAutostart(true, '/opt/lineage-desktop', file)
    expect(isLinuxAutostartSet(file)).toBe(true)
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^\[Desktop Entry\]\nType=Application\n/)
    setLinuxAutostart(false, '/opt/lineage-desktop', file)
    setLinuxAutostart(false, '/opt/lineage-desktop', file)
    expect(isLinuxAutostartSet(file)).toBe(false)
  })
})
