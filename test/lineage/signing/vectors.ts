import type { UnsignedTransactionRequest } from '../../../src-main/lineage/signing/index.js'

/** The well-known private key from the web3.js docs, so anyone can check the vector with any wallet library. */
export const EVM_PRIVATE_KEY = '0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318'
export const EVM_ADDRESS = '0x2c7536E3605D9C16a7a3D7b1898e529396a65c23'
/** RFC 8032 section 7.1, test 1. */
export const ED25519_SEED_HEX = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'
export const ED25519_PUBLIC_KEY_HEX = 'd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'
export const ED25519_PUBLIC_KEY = 'FVen3X669xLzsi6N2V91DoiyzHzg1uAgqiT8jZ9nS96Z'

export const DATA = '{"name":"Ape #42","attributes":[{"trait_type":"Fur","value":"Gold"}]}'
export const NONCE = '5f1c0e9a3b7d4e2f8a6c1b0d9e8f7a6b'
/** 2025-11-24T16:00:00.000Z */
export const TIMESTAMP = 1764000000000

/** Every field except public_key, in the worked example of docs/PROTOCOL.md. */
export const BASE: Omit<UnsignedTransactionRequest, 'public_key'> = {
  method: 'metadata',
  chain_id: '1',
  token_address: '0xBC4CA0EdA7647A8aB7C2061c2E118A18a936f13D',
  token_id: '42',
  meta_contract_id: 'erc721',
  alias: 'attributes',
  version: 'v1',
  nonce: NONCE,
  timestamp: TIMESTAMP,
  data: DATA,
  mcdata: ''
}

export const EVM_REQUEST: UnsignedTransactionRequest = { ...BASE, public_key: EVM_ADDRESS }
export const ED25519_REQUEST: UnsignedTransactionRequest = { ...BASE, public_key: ED25519_PUBLIC_KEY }

export const EVM_MESSAGE = [
  'Lineage transaction v1',
  'method: metadata',
  'chain_id: 1',
  'token_address: 0xbc4ca0eda7647a8ab7c2061c2e118a18a936f13d',
  'token_id: 42',
  'meta_contract_id: erc721',
  'alias: attributes',
  'version: v1',
  'public_key: 0x2c7536e3605d9c16a7a3d7b1898e529396a65c23',
  'nonce: 5f1c0e9a3b7d4e2f8a6c1b0d9e8f7a6b',
  'timestamp: 1764000000000',
  'data_sha256: a8cecc2048e32a96a4948790346ae2959bc37a677ecd995f8f1e86504c163870',
  'mcdata_sha256: e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
].join('\n')
export const EVM_SIGNATURE = '0x4c846d53bb587393938c8db221618c6a983765abe88869403c2d06a78d5f32196d5ef4a612aa64cfc051197bfb95125ffc231d662d6158c21a8e18b4577d9d9d1c'
export const EVM_HASH = 'b6168763d4de83e85bb4eb21c8dfe6554185ecd98a97051aa21b4782342a9136'

export const ED25519_MESSAGE = EVM_MESSAGE.replace('public_key: 0x2c7536e3605d9c16a7a3d7b1898e529396a65c23', `public_key: ${ED25519_PUBLIC_KEY}`)
export const ED25519_SIGNATURE = '3bWJQChFSKp21R3HRVo8rux4zhmu7j39LRekfdYxDhdBLuFMUGnhGQxQLMmJLjfzuuqhrBv9H9PZSU2MRnAhqzmt'
export const ED25519_HASH = '4d172bdc24498c498caa5f4d9522c36f967a40401adfe6c918a2037a0622ef43'
