// Records for meta contract tests, with every field the interface declares.
import { getAddress } from 'ethers'

export const BINDER = '7Gc8sEo8VKzMH1B1wbm4Y9m7kC8Xm6YdHAhNYHFhHzDn'
export const ALICE = '0x71c7656ec7ab88b098defb751b7401b5f6d8976f'
export const BOB = '9Qhp1tq1b6tSxVpBmcV3BBfC8Ek4ZLQ1gnXhkLkR7BQp'
/** ALICE as a wallet shows it (EIP-55 checksum), as the node stores it (lower case), and in upper case: one key. */
export const ALICE_SPELLINGS = [getAddress(ALICE), ALICE, `0x${ALICE.slice(2).toUpperCase()}`] as const

export function contract(overrides: Record<string, unknown> = {}) {
  return { hash: 'h', token_key: 'tk', meta_contract_id: 'mc', public_key: BINDER, cid: 'bafy', ...overrides }
}

export function transaction(overrides: Record<string, unknown> = {}) {
  return {
    hash: 'tx', method: 'metadata', meta_contract_id: 'mc', data_key: 'dk', token_key: 'tk', data: '{}', public_key: BINDER,
    alias: '', timestamp: 1_700_000_000_000, chain_id: '1', token_address: '0xabc', token_id: '1', version: 'v1', status: 0,
    mcdata: '', token_state: 'unwatched', token_owner: '', ...overrides,
  }
}

export function row(overrides: Record<string, unknown> = {}) {
  return {
    hash: 'm', token_key: 'tk', data_key: 'dk', meta_contract_id: 'mc', token_id: '1', alias: '', cid: 'bafy', public_key: BINDER,
    version: 'v1', loose: 0, ...overrides,
  }
}

export function write(public_key: string, alias: string, content: string, loose: number, version = 'v1') {
  return { public_key, alias, content, loose, version }
}

export const accepted = (...metadatas: unknown[]) => ({ result: true, metadatas, error_string: '' })
export const rejected = (error_string: string) => ({ result: false, metadatas: [], error_string })
