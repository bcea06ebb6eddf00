import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { checkContractInterface, parseServiceInterface } from '../../services/toolchain/builder/index.js'
import { REPO, SERVICES } from './helpers.js'

/** The interface `contract build` reads from a contract's source (no compile needed to check it). */
const interfaceOf = (dir: string) => parseServiceInterface({ entryFile: path.join(dir, 'assembly', 'index.ts'), servicesRoot: SERVICES })

describe('contract build: the Transaction record with and without the chain facts', () => {
  it('accepts the SDK\'s Transaction (with token_state and token_owner) and the original network\'s 15 fields', () => {
    const holders = interfaceOf(path.join(SERVICES, 'holders'))
    expect(holders.records.find(r => r.name === 'Transaction')?.fields.slice(-2).map(f => f.name)).toEqual(['token_state', 'token_owner'])
    expect(() => { checkContractInterface(holders) }).not.toThrow()
    const original = interfaceOf(path.join(REPO, 'test', 'chain', 'fixtures', 'original-open'))
    expect(original.records.find(r => r.name === 'Transaction')?.fields).toHaveLength(15)
    expect(() => { checkContractInterface(original) }).not.toThrow()
  })

  it('refuses a Transaction that is neither, naming the expected fields', () => {
    const original = interfaceOf(path.join(REPO, 'test', 'chain', 'fixtures', 'original-open'))
    const transaction = original.records.find(r => r.name === 'Transaction')
    if (transaction === undefined) throw new Error('no Transaction record')
    const changed = { ...original, records: original.records.map(r => r === transaction ? { ...r, fields: r.fields.slice(0, 14) } : r) }
    expect(() => { checkContractInterface(changed) }).toThrowError(expect.objectContaining({ name: 'ServiceBuildError', message: expect.stringMatching(/^record Transaction must be \{hash: string, .*mcdata: string, token_state: string, token_owner: string\}, found \{hash: string, .*status: s64\}$/) }))
  })
})
