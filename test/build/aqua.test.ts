import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/processes.js'

const FUNCTIONS = ['copy_chunk', 'copy_open', 'data_key', 'get_history', 'get_metadata', 'get_slot', 'list_collection', 'list_pins', 'node_info', 'ping', 'publish']

describe('Aqua build output', () => {
  const read = (variant: string): { services: string[], functions: Record<string, string> } =>
    JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist', 'aqua', variant, 'lineage.json'), 'utf8')) as { services: string[], functions: Record<string, string> }

  it('compiles aqua/lineage.aqua to client code and AIR for every exported function, in both variants', () => {
    for (const variant of ['relay', 'direct']) {
      const manifest = read(variant)
      expect(manifest.services.sort()).toEqual(['Lineage', 'LineageCopy', 'LineageNode'])
      expect(Object.keys(manifest.functions).sort()).toEqual(FUNCTIONS)
      const js = fs.readFileSync(path.join(repoRoot, 'dist', 'aqua', variant, 'lineage.js'), 'utf8')
      for (const name of ['registerLineageNode', 'registerLineage', 'registerLineageCopy', ...FUNCTIONS]) expect(js).toContain(`export function ${name}(`)
    }
  })

  it('the relay variant hops through the caller\'s relay; the direct one (noRelay) calls the peer itself', () => {
    const relay = read('relay').functions.get_metadata ?? ''
    const direct = read('direct').functions.get_metadata ?? ''
    expect(relay).toContain('("getDataSrv" "-relay-")')
    expect(direct).not.toContain('-relay-')
    // One struct argument: one getDataSrv call (one AquaVM run) for the request.
    expect(direct.match(/"getDataSrv"/g)).toHaveLength(1)
    expect(direct).toContain('(call -req-arg-.$.peer ("lineage" "metadata") [-req-arg-] ret)')
  })
})
