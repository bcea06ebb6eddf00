import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import net from 'node:net'
import path from 'node:path'
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_ITEM_BYTES, MAX_ITEM_DEPTH, NOT_METADATA_EXTENSIONS, shownText } from '../../../src-main/lineage/import/index.js'
import type { ImportReport } from '../../../src-main/lineage/import/index.js'
import { tempDir } from '../../helpers/temp-dir.js'
import { COLLECTION, createImportRig } from './setup.js'
import type { ImportRig } from './setup.js'

/**
 * Property suites of the import sources (issue 14 §7): folders and CSV files mixing good items
 * with arbitrary bad ones, imported into a real engine. Each run states what must hold: every
 * good item is applied and stored as written (read back by value), every bad one is refused under
 * exactly its (escaped) name with its reason, nothing else changes (no transaction for a refused
 * item), counts add up, and no reason holds a raw control character or any of the file's bytes.
 * Seeded and bounded: a failure replays with its seed.
 */

const RAW_UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u
/** Written into bad files' contents; a reason that quotes the file would show it. */
const MARKER = 'QZXJ'
const isTokenId = (s: string): boolean => /^(0|[1-9][0-9]{0,77})$/.test(s) && BigInt(s) < (1n << 256n)

/** A document the open contract stores as written: plain keys, values a few levels deep. */
const documentArb = fc.dictionary(
  fc.string({ maxLength: 8 }).filter(k => k !== '__proto__'),
  fc.jsonValue({ maxDepth: 2 }),
  { maxKeys: 5 },
)

const nestedText = (levels: number, open: string, close: string): string => `${open.repeat(levels)}${close.repeat(levels)}`

describe('import sources, property-based (seeded, real engine)', () => {
  let rig: ImportRig
  let src: { dir: string, cleanup: () => void }
  let runs = 0
  beforeAll(async () => {
    rig = await createImportRig()
    src = tempDir('lineage-import-prop-')
  }, 60_000)
  afterAll(async () => {
    await rig.close()
    src.cleanup()
  })

  const content = (tokenId: string): unknown => rig.lineage.slot({
    data_key: rig.lineage.dataKey(COLLECTION.chain_id, COLLECTION.token_address, tokenId), meta_contract_id: 'open', public_key: rig.signer.publicKey, alias: '', version: 'v1',
  })?.content
  const metadataTransactions = (): number => rig.count("SELECT count(*) AS n FROM transactions WHERE method = 'metadata'")
  const run = async (source: string): Promise<ImportReport> => {
    const { job } = await rig.importer.create({ source, ...COLLECTION, meta_contract_id: 'open', public_key: rig.signer.publicKey })
    return await rig.importer.run(job, { signer: rig.signer })
  }
  /** What holds for any run, good or bad items alike. */
  const checkReport = (report: ImportReport, total: number, good: number): void => {
    expect(report).toMatchObject({ state: 'done', total, done: total, applied: good, rejected_count: total - good, skipped: 0 })
    expect(report.applied + report.rejected_count + report.skipped).toBe(total)
    for (const r of report.rejected) {
      expect(r.item).not.toMatch(RAW_UNSHOWABLE)
      expect(r.reason).not.toMatch(RAW_UNSHOWABLE)
      expect(r.reason).not.toContain(MARKER)
    }
  }

  describe('folders', () => {
    type Entry =
      | { kind: 'good', ext: boolean, document: Record<string, unknown>, indent: number }
      | { kind: 'bytes', ext: boolean, bytes: Uint8Array }
      | { kind: 'deep', levels: number, object: boolean }
      | { kind: 'oversized', extra: number }
      | { kind: 'name', name: Uint8Array, document: Record<string, unknown> }
      | { kind: 'link', dangling: boolean }
      | { kind: 'folder' }
      | { kind: 'fifo' }
      | { kind: 'socket' }

    /** A file name that is not a token id (and may not be UTF-8): any bytes but "/" and NUL, not hidden. */
    const badName = fc.uint8Array({ minLength: 1, maxLength: 40 })
      .map(bytes => Uint8Array.from(bytes, b => (b === 0x2f || b === 0 ? 0x5f : b)))
      .filter(bytes => {
        if (bytes[0] === 0x2e) return false
        const text = Buffer.from(bytes).toString('utf8')
        // A name with an image's or a note's extension is skipped, not refused (importer.test.ts covers it).
        const dot = bytes.lastIndexOf(0x2e)
        if (dot > 0 && NOT_METADATA_EXTENSIONS.has(Buffer.from(bytes.subarray(dot + 1)).toString('latin1').toLowerCase())) return false
        return !isTokenId(text.endsWith('.json') ? text.slice(0, -5) : text)
      })
    /** Now and then a document exactly as deep as the engine allows. */
    const goodDocument = fc.oneof({ weight: 5, arbitrary: documentArb }, { weight: 1, arbitrary: fc.constant(JSON.parse(`{"a":${nestedText(MAX_ITEM_DEPTH - 1, '[', ']')}}`) as Record<string, unknown>) })
    const entryArb: fc.Arbitrary<Entry> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('good' as const), ext: fc.boolean(), document: goodDocument, indent: fc.constantFrom(0, 2) }) },
      // Bytes that can never be a JSON object: the first is not "{", a BOM or a space.
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('bytes' as const), ext: fc.boolean(), bytes: fc.tuple(fc.constantFrom(0xff, 0x78, 0x5b, 0x22, 0x31, 0x00, 0x80), fc.uint8Array({ maxLength: 60 })).map(([first, rest]) => Uint8Array.from([first, ...Buffer.from(MARKER), ...rest])) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), levels: fc.oneof(fc.constant(MAX_ITEM_DEPTH + 1), fc.integer({ min: MAX_ITEM_DEPTH + 1, max: 4000 })), object: fc.boolean() }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('oversized' as const), extra: fc.integer({ min: 1, max: 5000 }) }) },
      { weight: 2, arbitrary: fc.record({ kind: fc.constant('name' as const), name: badName, document: documentArb }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('link' as const), dangling: fc.boolean() }) },
      { weight: 1, arbitrary: fc.constantFrom<Entry>({ kind: 'folder' }, { kind: 'fifo' }, { kind: 'socket' }) },
    )
    // Bad names must differ from each other; token names are numbered, so they never collide.
    let others = 0
    const folderArb = fc.uniqueArray(entryArb, { maxLength: 12, selector: e => e.kind === 'name' ? Buffer.from(e.name).toString('hex') : ++others })

    it('applies every good file as written and refuses every bad one under its escaped name', async () => {
      await fc.assert(fc.asyncProperty(folderArb, async entries => {
        const dir = path.join(src.dir, `folder-${++runs}`)
        fs.mkdirSync(dir)
        const base = runs * 100
        const servers: net.Server[] = []
        const good = new Map<string, unknown>()
        const refused = new Map<string, string | RegExp>()
        const refusedTokens: string[] = []
        try {
          for (const [i, entry] of entries.entries()) {
            const tokenId = String(base + i)
            const file = path.join(dir, entry.kind === 'good' || entry.kind === 'bytes' ? `${tokenId}${entry.ext ? '.json' : ''}` : `${tokenId}.json`)
            const label = path.basename(file)
            switch (entry.kind) {
              case 'good': {
                const text = JSON.stringify(entry.document, null, entry.indent)
                fs.writeFileSync(file, text)
                good.set(tokenId, JSON.parse(text))
                break
              }
              case 'bytes':
                fs.writeFileSync(file, entry.bytes)
                refused.set(label, /^(the file is not UTF-8 text|not valid JSON \((it ends too early, )?at line \d+, column \d+\)|the JSON is not an object \(a metadata document is \{…\}\))$/)
                break
              case 'deep':
                fs.writeFileSync(file, entry.object ? `${'{"a":'.repeat(entry.levels - 1)}{}${'}'.repeat(entry.levels - 1)}` : nestedText(entry.levels, '[', ']').replace(/^\[/, '{"a":[').concat('}'))
                refused.set(label, `the document is nested ${entry.object ? entry.levels : entry.levels + 1} levels deep; at most ${MAX_ITEM_DEPTH}`)
                break
              case 'oversized': {
                const size = MAX_ITEM_BYTES + entry.extra
                fs.writeFileSync(file, `{"a":"${MARKER}${'x'.repeat(size - 8 - MARKER.length)}"}`)
                refused.set(label, `the file is larger than ${MAX_ITEM_BYTES} bytes, the largest metadata document a transaction carries (it is ${size} bytes)`)
                break
              }
              case 'name': {
                fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/`), entry.name]), JSON.stringify(entry.document))
                const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })
                let valid = true
                try { utf8.decode(entry.name) } catch { valid = false }
                refused.set(shownText(entry.name), valid
                  ? 'the file name is not a token id: name each file <tokenId>.json or <tokenId>, with a decimal token id such as 42'
                  : 'the file name is not valid UTF-8, so it cannot name a token; rename the file <tokenId>.json')
                continue
              }
              case 'link':
                fs.symlinkSync(entry.dangling ? path.join(dir, 'nowhere') : dir, file)
                refused.set(label, 'not a regular file: it is a symbolic link (links are not followed)')
                break
              case 'folder':
                fs.mkdirSync(file)
                refused.set(label, 'not a regular file: it is a folder (folders are not read)')
                break
              case 'fifo':
                execFileSync('mkfifo', [file])
                refused.set(label, 'not a regular file: it is a named pipe (FIFO)')
                break
              case 'socket': {
                const server = net.createServer()
                servers.push(server)
                await new Promise(resolve => server.listen(file, () => { resolve(undefined) }))
                refused.set(label, 'not a regular file: it is a socket')
                break
              }
            }
            if (entry.kind !== 'good') refusedTokens.push(tokenId)
          }
          const before = metadataTransactions()
          const report = await run(dir)

          checkReport(report, entries.length, good.size)
          expect(report.rejected.map(r => r.item).sort()).toEqual([...refused.keys()].sort())
          for (const r of report.rejected) expect(r.reason).toMatch(refused.get(r.item) as string | RegExp)
          // No state change for a refused item: one transaction per good file, nothing stored for the rest.
          expect(metadataTransactions() - before).toBe(good.size)
          for (const [tokenId, value] of good) expect(content(tokenId)).toEqual(value)
          for (const tokenId of refusedTokens) expect(content(tokenId)).toBeUndefined()
        } finally {
          for (const server of servers) await new Promise(resolve => server.close(resolve))
        }
      }), { seed: 0x14f0, numRuns: 20 })
    }, 120_000)
  })

  describe('CSV files', () => {
    type Row =
      | { kind: 'good', name: string, extra?: unknown, level?: number }
      | { kind: 'token', token: string }
      | { kind: 'number', junk: string }
      | { kind: 'json', junk: string }
      | { kind: 'deep', levels: number }
      | { kind: 'bytes', bytes: Uint8Array }
      | { kind: 'fields' }
      | { kind: 'quote' }

    const quoted = (cell: string): string => `"${cell.replaceAll('"', '""')}"`
    /** A JSON cell; now and then one exactly as deep as a cell may be (the row's object is one more level). */
    const goodCell = fc.oneof({ weight: 5, arbitrary: fc.jsonValue({ maxDepth: 2 }) }, { weight: 1, arbitrary: fc.constant(JSON.parse(nestedText(MAX_ITEM_DEPTH - 1, '[', ']')) as unknown) })
    const rowArb: fc.Arbitrary<Row> = fc.oneof(
      { weight: 6, arbitrary: fc.record({ kind: fc.constant('good' as const), name: fc.string({ unit: 'grapheme', maxLength: 20 }), extra: fc.option(goodCell, { nil: undefined }), level: fc.option(fc.integer(), { nil: undefined }) }, { requiredKeys: ['kind', 'name'] }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('token' as const), token: fc.string({ unit: 'grapheme', maxLength: 12 }).filter(t => !isTokenId(t.trim())) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('number' as const), junk: fc.string({ maxLength: 10 }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('json' as const), junk: fc.string({ maxLength: 20 }).filter(j => { try { JSON.parse(`{${MARKER}${j}`); return false } catch { return true } }) }) },
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('deep' as const), levels: fc.oneof(fc.constant(MAX_ITEM_DEPTH), fc.integer({ min: MAX_ITEM_DEPTH, max: 3000 })) }) },
      // Bytes with at least one that is not UTF-8 (0x80–0xff alone never is).
      { weight: 1, arbitrary: fc.record({ kind: fc.constant('bytes' as const), bytes: fc.tuple(fc.uint8Array({ maxLength: 8 }), fc.integer({ min: 0x80, max: 0xbf })).map(([bytes, bad]) => Uint8Array.from([...bytes.filter(b => b >= 0x20 && b < 0x7f && b !== 0x22), bad])) }) },
      { weight: 1, arbitrary: fc.constantFrom<Row>({ kind: 'fields' }, { kind: 'quote' }) },
    )

    it('applies every good row as written and refuses every bad one as "line N" with its reason', async () => {
      await fc.assert(fc.asyncProperty(fc.array(rowArb, { maxLength: 14 }), fc.boolean(), async (rows, crlf) => {
        const file = path.join(src.dir, `rows-${++runs}.csv`)
        const base = runs * 100
        const eol = Buffer.from(crlf ? '\r\n' : '\n')
        const parts: Buffer[] = [Buffer.from('token_id,name,extra:json,level:number'), eol]
        let line = 2
        const good = new Map<string, unknown>()
        const refused = new Map<string, string | RegExp>()
        for (const [i, row] of rows.entries()) {
          const tokenId = String(base + i)
          let record: Buffer
          let reason: string | RegExp | undefined
          switch (row.kind) {
            case 'good': {
              record = Buffer.from([tokenId, quoted(row.name), row.extra === undefined ? '' : quoted(JSON.stringify(row.extra)), row.level === undefined ? '' : String(row.level)].join(','))
              const document: Record<string, unknown> = {}
              if (row.name !== '') document.name = row.name
              if (row.extra !== undefined) document.extra = JSON.parse(JSON.stringify(row.extra))
              if (row.level !== undefined) document.level = Number(String(row.level))
              good.set(tokenId, document)
              break
            }
            case 'token':
              record = Buffer.from(`${quoted(row.token)},${MARKER},,`)
              reason = row.token.trim() === '' ? 'the token_id cell is empty' : 'the token_id cell is not a token id (a decimal uint256 without leading zeros, such as 42)'
              break
            case 'number':
              record = Buffer.from(`${tokenId},n,,${quoted(`x${MARKER}${row.junk}`)}`)
              reason = 'the column "level:number" is not a number'
              break
            case 'json':
              record = Buffer.from(`${tokenId},n,${quoted(`{${MARKER}${row.junk}`)},`)
              reason = /^the column "extra:json" is not valid JSON \((it ends too early, )?at line \d+, column \d+ of the cell\)$/
              break
            case 'deep':
              record = Buffer.from(`${tokenId},n,${nestedText(row.levels, '[', ']')},`)
              reason = `the column "extra:json" nests ${row.levels} levels deep; a document nests at most ${MAX_ITEM_DEPTH}, its own object included`
              break
            case 'bytes':
              record = Buffer.concat([Buffer.from(`${tokenId},"${MARKER}`), row.bytes, Buffer.from('",,')])
              reason = 'the cell of column "name" is not UTF-8 text (save the file as UTF-8)'
              break
            case 'fields':
              record = Buffer.from(`${tokenId},${MARKER},,,`)
              reason = 'the record has 5 fields; the header has 4'
              break
            case 'quote':
              record = Buffer.from(`${tokenId}"${MARKER},n,,`)
              reason = 'a quote inside the unquoted field 1 (quote the whole field and double its quotes: "a ""b"" c")'
              break
          }
          if (reason !== undefined) refused.set(`line ${line}`, reason)
          parts.push(record, eol)
          line += record.filter(b => b === 0x0a).length + 1
        }
        fs.writeFileSync(file, Buffer.concat(parts))
        const before = metadataTransactions()
        const report = await run(file)

        checkReport(report, rows.length, good.size)
        expect(report.rejected.map(r => r.item).sort()).toEqual([...refused.keys()].sort())
        for (const r of report.rejected) expect(r.reason).toMatch(refused.get(r.item) as string | RegExp)
        expect(metadataTransactions() - before).toBe(good.size)
        for (const [tokenId, value] of good) expect(content(tokenId)).toEqual(value)
        for (const [i, row] of rows.entries()) if (row.kind !== 'good' && row.kind !== 'token') expect(content(String(base + i))).toBeUndefined()
      }), { seed: 0xc5f1, numRuns: 20 })
    }, 120_000)
  })
})
