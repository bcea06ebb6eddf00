/**
 * docs/CLI.md documents every command of `lineage-node`: each command the commander program
 * builds has its own `### \`lineage-node <command>\`` section, and every option the command
 * takes is named in that section. A command or option added without its documentation fails here.
 */
import fs from 'node:fs'
import path from 'node:path'
import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { buildProgram } from '../../src-main/cli/index.js'
import { repoRoot } from '../helpers/processes.js'

const doc = fs.readFileSync(path.join(repoRoot, 'docs', 'CLI.md'), 'utf8')

/** `### \`lineage-node x y\`` → its text up to the next heading. */
function sections (): Map<string, string> {
  const out = new Map<string, string>()
  const parts = doc.split(/^(?=#{2,3} )/m)
  for (const part of parts) {
    const m = /^### `lineage-node ([a-z -]+)`\n/.exec(part)
    if (m?.[1] !== undefined) out.set(m[1], part)
  }
  return out
}

/** Every command that runs something (no subcommands), by its full name, with its options' flags. */
function leafCommands (command: Command, prefix: string[] = []): Array<{ name: string, flags: string[] }> {
  return command.commands.flatMap(sub => {
    const name = [...prefix, sub.name()]
    const own = sub.commands.length === 0 ? [{ name: name.join(' '), flags: sub.options.map(o => o.long ?? o.short ?? o.flags) }] : []
    return [...own, ...leafCommands(sub, name)]
  })
}

describe('docs/CLI.md', () => {
  const program = buildProgram({ out: () => {}, err: () => {} })
  const commands = leafCommands(program)
  const documented = sections()

  it('has a section for every command, and none for a command that does not exist', () => {
    expect(commands.length).toBeGreaterThan(30)
    expect([...documented.keys()].sort()).toEqual(commands.map(c => c.name).sort())
  })

  it.each(leafCommands(buildProgram({ out: () => {}, err: () => {} })).map(c => [c.name, c.flags] as const))('lineage-node %s: every option is named in its section', (name, flags) => {
    const section = documented.get(name) ?? ''
    const missing = flags.filter(flag => !section.includes(`\`${flag}`) && !section.includes(` ${flag}`) && !section.includes(`[${flag}`))
    expect(missing).toEqual([])
  })
})
