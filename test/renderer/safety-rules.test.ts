/**
 * The plain rules behind "never lose the creator's work" and the creator's words: drafts kept
 * and dropped, the connection as the sidebar says it, networks by name, an address checked
 * before any passphrase, and a kept job in one line.
 */
import { describe, expect, it } from 'vitest'
import type { JobSummaryInfo, NodeInfo } from '../../src-main/api/rpc-types.js'
import { addressProblem } from '../../src-renderer/src/lib/rules/address.js'
import { chainLabel, chainName, isChainId } from '../../src-renderer/src/lib/rules/chains.js'
import { connectionLabel, connectionOf } from '../../src-renderer/src/lib/rules/connection.js'
import { draftKey, forgetDraft, readDraft, saveDraft } from '../../src-renderer/src/lib/rules/drafts.js'
import type { DraftStorage } from '../../src-renderer/src/lib/rules/drafts.js'
import { describeJob } from '../../src-renderer/src/lib/rules/job-history.js'

function memoryStorage (): DraftStorage & { size: () => number } {
  const map = new Map<string, string>()
  return { getItem: k => map.get(k) ?? null, setItem: (k, v) => { map.set(k, v) }, removeItem: k => { map.delete(k) }, size: () => map.size }
}

describe('drafts', () => {
  const at = { chainId: '8453', address: '0xAbC0000000000000000000000000000000000001', tokenId: '7' }

  it('keeps the edited document with the version it started from, one per token, any address case', () => {
    const storage = memoryStorage()
    const key = draftKey(at)
    expect(key).toBe(draftKey({ ...at, address: at.address.toLowerCase() }))
    saveDraft(storage, key, '{"name":"new"}', '{"name":"old"}')
    expect(readDraft(storage, key)).toMatchObject({ document: '{"name":"new"}', baseline: '{"name":"old"}' })
    expect(readDraft(storage, draftKey({ ...at, tokenId: '8' }))).toBeNull()
  })

  it('forgets the draft once the document is back to what is published, or on request', () => {
    const storage = memoryStorage()
    const key = draftKey(at)
    saveDraft(storage, key, '{"name":"new"}', '{"name":"old"}')
    saveDraft(storage, key, '{"name":"old"}', '{"name":"old"}')
    expect(storage.size()).toBe(0)
    saveDraft(storage, key, '{"name":"new"}', '{"name":"old"}')
    forgetDraft(storage, key)
    expect(readDraft(storage, key)).toBeNull()
  })

  it('ignores a damaged draft instead of failing the editor', () => {
    const storage = memoryStorage()
    storage.setItem(draftKey(at), 'not json')
    expect(readDraft(storage, draftKey(at))).toBeNull()
    storage.setItem(draftKey(at), JSON.stringify({ document: 1 }))
    expect(readDraft(storage, draftKey(at))).toBeNull()
  })
})

describe('the connection, as every screen shows it', () => {
  const info = { state: 'running' } as NodeInfo
  it('never says "running" while the node does not answer, even with an answer from before', () => {
    expect(connectionLabel(connectionOf(info, 'Lineage cannot reach its node.'))).toBe('Node stopped · reconnecting…')
    expect(connectionLabel(connectionOf(info, null))).toBe('Node running')
    expect(connectionLabel(connectionOf(null, null))).toBe('Connecting to the node…')
    expect(connectionLabel(connectionOf({ state: 'stopping' } as NodeInfo, null))).toBe('Node stopping')
  })
})

describe('networks by name', () => {
  it('names the common networks with the id beside, and any other by its id', () => {
    expect([chainLabel('1'), chainLabel('8453'), chainLabel('137'), chainLabel('10'), chainLabel('42161')]).toEqual(['Ethereum (1)', 'Base (8453)', 'Polygon (137)', 'Optimism (10)', 'Arbitrum One (42161)'])
    expect([chainLabel('11155111'), chainLabel('84532')]).toEqual(['Sepolia (11155111, test network)', 'Base Sepolia (84532, test network)'])
    expect(chainName('999999')).toBe('Network 999999')
    expect([isChainId('8453'), isChainId('0'), isChainId('08453'), isChainId('base')]).toEqual([true, false, false, false])
  })
})

describe('an address, checked before any passphrase', () => {
  it('says what is wrong in words, and accepts checksummed, lower and upper case', () => {
    expect(addressProblem('')).toMatch(/^Give the NFT contract address/)
    expect(addressProblem('0x2c75')).toMatch(/^This is not a contract address/)
    expect(addressProblem('0x2c7536E3605D9C16a7a3D7b1898e529396a65c23')).toBeNull()
    expect(addressProblem('0x2c7536e3605d9c16a7a3d7b1898e529396a65c23')).toBeNull()
    expect(addressProblem('0x2C7536E3605D9C16A7A3D7B1898E529396A65C23')).toBeNull()
    // One letter's case changed: a typo the checksum catches.
    expect(addressProblem('0x2c7536e3605D9C16a7a3D7b1898e529396a65c23')).toMatch(/looks mistyped/)
  })
})

describe('a kept job in one line', () => {
  const job = { kind: 'import', format: 'folder', state: 'done', applied: 1999, unchanged: 3, rejected: 1, transactions: 0, bytes: 0 } as JobSummaryInfo
  it('says written, already there and refused for an import, signed writes and size for a backup', () => {
    expect(describeJob(job)).toBe('Finished: 1,996 written, 3 already there, 1 refused')
    expect(describeJob({ ...job, kind: 'export', format: 'car', transactions: 2003, bytes: 1_572_864 })).toBe('Finished: 2,003 signed writes, 1.5 MiB')
    expect(describeJob({ ...job, state: 'paused' })).toMatch(/^Stopped before the end \(start it again to resume\)/)
  })
})
