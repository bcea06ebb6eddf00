import fs from 'node:fs'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { repoRoot } from '../helpers/processes.js'

describe('Aqua build output', () => {
  it('compiles aqua/lineage.aqua to client code and AIR for every exported function', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'dist', 'aqua', 'lineage.json'), 'utf8')) as { services: string[], functions: Record<string, string> }
    expect(manifest.services).toEqual(['LineageNode'])
    expect(Object.keys(manifest.functions)).toEqual(['node_info'])
    expect(manifest.functions.node_info).toContain('(call -peer-arg- ("lineage-node" "node_info") [] ')
    const js = fs.readFileSync(path.join(repoRoot, 'dist', 'aqua', 'lineage.js'), 'utf8')
    expect(js).toContain('export function registerLineageNode')
    expect(js).toContain('export function node_info')
  })
})
