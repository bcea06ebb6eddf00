/**
 * `lineage-node bulk-edit` run as a real process (dist/) against a real node process: without
 * --yes it prints the preview and changes nothing; with --yes it publishes every change (progress
 * on stderr); an operation that does not exist, a trait no token has, an empty selection and a
 * wrong passphrase are each refused with a sentence naming the problem, and nothing changes.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { TEST_NODE_ARGS } from '../helpers/node-config.js'
import { cliPath, runCli, startNodeProcess } from '../helpers/processes.js'
import type { Ran, StartedNode } from '../helpers/processes.js'
import { ownerCaller } from '../helpers/rpc.js'
import { documentsOf, importFolderCollection } from '../helpers/collection.js'
import { tempDir } from '../helpers/temp-dir.js'

const CHAIN = '1'
const ADDRESS = '0x1f9840a85d5af5bf1d1762f925bdaddc4201f984'
const COLLECTION = { chain_id: CHAIN, token_address: ADDRESS }
const PASSPHRASE = 'correct horse battery'
const TOKENS = 12

describe('lineage-node bulk-edit (real CLI, real node)', () => {
  let node: StartedNode
  let dataDir: string
  let work: string
  let cleanup: () => void
  const call = ownerCaller(() => node)
  /** Each token's Fur trait and name, as the browser reads them now. */
  const furs = async (): Promise<string[]> => {
    const page = await call<{ items: Array<{ token_id: string, name: string, traits: Array<{ trait_type: string, value: unknown }> }> }>('browse_tokens', COLLECTION, { page_size: 50, facets: false })
    return page.items.map(t => `${t.token_id}:${t.name}:${String(t.traits.find(a => a.trait_type === 'Fur')?.value ?? '')}`).sort()
  }
  const bulk = async (args: string[], passphrase = PASSPHRASE): Promise<Ran> => await runCli(['bulk-edit', CHAIN, ADDRESS, '--key', 'studio', '--data-dir', dataDir, ...args], { LINEAGE_PASSPHRASE: passphrase })
  let before: string[]

  beforeAll(async () => {
    const made = tempDir()
    cleanup = made.cleanup
    work = made.dir
    dataDir = path.join(made.dir, 'node')
    node = await startNodeProcess(['--data-dir', dataDir, ...TEST_NODE_ARGS, '--offline'], 90_000)
    await importFolderCollection(call, { ...COLLECTION, meta_contract_id: 'open', key: 'studio', passphrase: PASSPHRASE, folder: path.join(made.dir, 'art'), documents: documentsOf(TOKENS, i => ({ name: `Lantern ${i}`, attributes: [{ trait_type: 'Fur', value: i <= 4 ? 'Red' : 'Blue' }] })) })
    before = await furs()
    expect(before.filter(f => f.endsWith(':Red'))).toHaveLength(4)
  }, 180_000)
  afterAll(async () => {
    node?.child.kill('SIGTERM')
    await node?.exited
    cleanup?.()
  })

  it('without --yes: prints the preview (counts and before → after) and changes nothing', async () => {
    const ran = await bulk(['--op', 'set-trait', '--trait', 'Fur', '--value', 'Crimson', '--all', '--where', 'Fur=Red'])
    expect(ran.code).toBe(0)
    expect(ran.stdout).toContain('Set trait "Fur" to "Crimson": 4 selected, 4 will change, 0 unchanged, 0 refused.')
    expect(ran.stdout).toContain('#1 Lantern 1: Trait "Fur": Red → Crimson')
    expect(ran.stdout).toContain('Nothing was changed. Run again with --yes')
    expect(await furs()).toEqual(before)
  })

  it('refuses bad input with a clear message and changes nothing', async () => {
    const unknownOp = await bulk(['--op', 'paint-trait', '--trait', 'Fur', '--value', 'x', '--all', '--yes'])
    expect(unknownOp.code).toBe(2)
    expect(unknownOp.stderr).toContain('"paint-trait" is not an operation; choose one of set-trait, rename-trait, remove-trait, set-field, rename-field, remove-field.')

    const unknownTrait = await bulk(['--op', 'remove-trait', '--trait', 'Hat', '--all', '--yes'])
    expect(unknownTrait.code).toBe(1)
    expect(unknownTrait.stderr).toContain('No token of this collection has the trait "Hat"; its traits are "Fur". Nothing was changed.')

    const empty = await bulk(['--op', 'set-trait', '--trait', 'Fur', '--value', 'Gold', '--all', '--where', 'Fur=Green', '--yes'])
    expect(empty.code).toBe(1)
    expect(empty.stderr).toContain('No token matches this search and these filters. Choose at least one token. Nothing was changed.')

    const noSelection = await bulk(['--op', 'set-trait', '--trait', 'Fur', '--value', 'Gold', '--yes'])
    expect(noSelection.code).toBe(2)
    expect(noSelection.stderr).toContain('Choose the tokens to edit: --tokens 1 2 3, or --all')

    const missing = await bulk(['--op', 'set-trait', '--trait', 'Fur', '--tokens', '1', '--yes'])
    expect(missing.code).toBe(2)
    expect(missing.stderr).toContain('set-trait needs --value.')

    const wrong = await bulk(['--op', 'set-trait', '--trait', 'Fur', '--value', 'Gold', '--tokens', '1', '2', '--yes'], 'not the passphrase')
    expect(wrong.code).toBe(1)
    expect(wrong.stderr).toMatch(/passphrase/i)
    expect(wrong.stdout).not.toContain('Done:')

    expect(await furs()).toEqual(before)
    // No job was recorded for any of them: the history holds no bulk edit.
    const history = await call<Array<{ kind: string }>>('job_history')
    expect(history.filter(j => j.kind === 'edit')).toEqual([])
  })

  it('with --yes: publishes every change in one job, progress on stderr, and says what it did', async () => {
    const ran = await bulk(['--op', 'set-trait', '--trait', 'Fur', '--value', 'Crimson', '--all', '--where', 'Fur=Red', '--yes'])
    expect(ran.stderr).toContain('published 4/4 tokens (4 changed, 0 unchanged, 0 refused)')
    expect(ran.code).toBe(0)
    expect(ran.stdout).toMatch(/Done: 4 changed, 0 unchanged, 0 refused \(job [0-9a-f-]{36}\)\./)
    const after = await furs()
    expect(after.filter(f => f.endsWith(':Crimson')).map(f => f.split(':')[0])).toEqual(['1', '2', '3', '4'])
    expect(after.filter(f => f.endsWith(':Blue'))).toEqual(before.filter(f => f.endsWith(':Blue')))

    // The same edit again: every token is unchanged, nothing is asked or signed.
    const again = await bulk(['--op', 'set-trait', '--trait', 'Fur', '--value', 'Crimson', '--tokens', '1,2', '--yes'])
    expect(again.code).toBe(0)
    expect(again.stdout).toContain('2 selected, 0 will change, 2 unchanged')
    expect(again.stdout).toContain('Nothing to publish: no selected token would change.')
  })

  it('Ctrl+C cancels between batches: the tokens published stay changed, the others keep their documents, the job says cancelled', async () => {
    // Ten batches of BULK_EDIT_BATCH (200): the interrupt lands while the first is published.
    const many = 2_000
    const other = { chain_id: CHAIN, token_address: '0x00000000000000000000000000000000000b01d5' }
    await importFolderCollection(call, { ...other, meta_contract_id: 'open', key: 'studio', keyExists: true, passphrase: PASSPHRASE, folder: path.join(work, 'many'), documents: documentsOf(many, i => ({ name: `Moth ${i}`, attributes: [{ trait_type: 'Wing', value: 'Grey' }] })) })

    const child = spawn(process.execPath, [cliPath, 'bulk-edit', CHAIN, other.token_address, '--key', 'studio', '--data-dir', dataDir, '--op', 'set-trait', '--trait', 'Wing', '--value', 'Gold', '--all', '--yes'], { env: { ...process.env, LINEAGE_PASSPHRASE: PASSPHRASE } })
    let stderr = ''
    let stdout = ''
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    const exited = new Promise<number | null>(resolve => { child.on('exit', resolve) })
    child.stderr.on('data', (d: Buffer) => {
      // The first progress line: the job runs; interrupt it as a person's Ctrl+C does.
      if (!stderr.includes('published ') && (stderr + d.toString()).includes('published ')) child.kill('SIGINT')
      stderr += d.toString()
    })
    expect(await exited).toBe(1)
    expect(stderr).toContain('Cancelling after the batch being published…')
    const done = Number(/Cancelled after (\d+) of 2000 tokens/.exec(stderr)?.[1] ?? NaN)
    expect(done).toBeGreaterThanOrEqual(0)
    expect(done).toBeLessThan(many)
    expect(done % 200).toBe(0)
    expect(stdout).toMatch(new RegExp(`Stopped: ${done} changed, 0 unchanged, 0 refused`))

    const page = await call<{ facets: Array<{ trait_type: string, values: Array<{ value: string, count: number }> }> }>('browse_tokens', other, { page_size: 1 })
    const wings = Object.fromEntries(page.facets.find(f => f.trait_type === 'Wing')?.values.map(v => [v.value, v.count]) ?? [])
    expect(wings).toEqual(done === 0 ? { Grey: many } : { Gold: done, Grey: many - done })
    const edits = (await call<Array<{ kind: string, state: string, applied: number }>>('job_history')).filter(j => j.kind === 'edit' && j.state === 'cancelled')
    expect(edits).toEqual([expect.objectContaining({ applied: done })])
  }, 300_000)
})
