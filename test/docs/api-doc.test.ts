/**
 * docs/API.md is generated (scripts/api-doc.mjs) from what a real node declares and from
 * scripts/api-doc.source.md. This renders it again from a running node's dispatcher and the error
 * table, and fails while the committed file and the code disagree; and it shows the generator
 * refuses a source that forgets a method or a code, so the reference cannot silently fall behind.
 */
import fs from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { RPC_ERROR_CODES } from '../../src-main/api/index.js'
import type { RpcMethodInfo } from '../../src-main/api/index.js'
// @ts-expect-error: a plain .mjs build script, typed by its use here
import { describeSchema, renderApiDoc, SOURCE_PATH, OUTPUT_PATH } from '../../scripts/api-doc.mjs'
import { startTestNode } from '../helpers/test-node.js'
import type { TestNode } from '../helpers/test-node.js'

type Render = (input: { methods: readonly RpcMethodInfo[], errorCodes: Record<string, number>, source: string }) => string
const render = renderApiDoc as Render
const source = fs.readFileSync(SOURCE_PATH as string, 'utf8')

describe('docs/API.md', () => {
  let running: TestNode
  let methods: readonly RpcMethodInfo[]
  beforeAll(async () => {
    running = await startTestNode({ offline: true })
    methods = running.node.api.methods
  })
  afterAll(async () => { await running?.stop() })

  it('is exactly what the node declares: regenerate with `npm run api-doc` when this fails', () => {
    const expected = render({ methods, errorCodes: RPC_ERROR_CODES, source })
    const committed = fs.readFileSync(OUTPUT_PATH as string, 'utf8')
    expect(committed).toBe(expected)
  })

  it('has one section per method, with its token mark, and a row per error code', () => {
    const text = fs.readFileSync(OUTPUT_PATH as string, 'utf8')
    const headings = [...text.matchAll(/^### `([a-z0-9_]+)`$/gm)].map(m => m[1])
    expect([...headings].sort()).toEqual(methods.map(m => m.name).sort())
    for (const m of methods) {
      const section = text.slice(text.indexOf(`### \`${m.name}\`\n`)).split('\n### ')[0] ?? ''
      expect(section.includes('🔑 Needs the API token.'), m.name).toBe(m.requiresToken === true)
      for (const p of m.params) expect(section, `${m.name} ${p.name}`).toContain(`| \`${p.name}\``)
    }
    for (const code of new Set(Object.values(RPC_ERROR_CODES))) expect(text).toContain(`<a id="error-${-code}"></a>\`${code}\``)
  })

  it('refuses a source that leaves out a declared method or an error code, naming it', () => {
    const withoutPeers = source.replace(/\n### peers\n[\s\S]*?(?=\n### )/, '\n')
    expect(() => render({ methods, errorCodes: RPC_ERROR_CODES, source: withoutPeers })).toThrow(/the node declares peers, which scripts\/api-doc.source.md does not describe/)
    expect(() => render({ methods, errorCodes: { ...RPC_ERROR_CODES, MadeUpError: -32999 }, source })).toThrow(/code -32999 \(MadeUpError\), which scripts\/api-doc.source.md gives no meaning/)
    const ghost = source.replace('<!-- error meanings -->', '### ghost_method\n\nResult: nothing.\n\n<!-- error meanings -->')
    expect(() => render({ methods, errorCodes: RPC_ERROR_CODES, source: ghost })).toThrow(/describes ghost_method, which the node does not declare/)
  })

  it('writes schemas as phrases a person reads', () => {
    const describe = describeSchema as (s: unknown) => string
    expect(describe({ type: 'string', minLength: 1, maxLength: 4096 })).toBe('string, 1–4,096 characters')
    expect(describe({ type: 'integer', minimum: 1, maximum: 1000 })).toBe('integer 1–1,000')
    expect(describe({ type: 'array', items: { type: 'object' }, minItems: 1, maxItems: 100 })).toBe('array of (object), 1–100 items')
    expect(describe({ type: 'object', additionalProperties: false, required: ['a'], properties: { a: { type: 'boolean' }, b: { enum: ['x', 'y'] } } }))
      .toBe('object { `a`: boolean; `b?`: one of `"x"`, `"y"` }')
    expect(describe({ type: 'string', pattern: '^(0|[1-9])$' })).toBe('string, matching `^(0\\|[1-9])$`')
  })
})
