import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createChainWriter } from '../../src-main/chain-write/index.js'
import type { ChainTxInfo, ChainWriter } from '../../src-main/chain-write/index.js'
import { createKeystore } from '../../src-main/lineage/keys/index.js'
import type { Keystore } from '../../src-main/lineage/keys/index.js'
import { ANVIL_KEYS, startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { startHostileRpc } from '../helpers/hostile-rpc.js'
import type { HostileRpc } from '../helpers/hostile-rpc.js'
import { testLog } from '../helpers/logger.js'
import { deploy } from '../helpers/solidity.js'
import type { TestContract } from '../helpers/solidity.js'
import { watcherHarness } from '../chain/helpers.js'
import type { WatcherHarness } from '../chain/helpers.js'

// anvil's first two development accounts (its default mnemonic): funded on every anvil.
const OWNER_KEY = ANVIL_KEYS[0]
const STRANGER_KEY = ANVIL_KEYS[1]
const PASSPHRASE = 'correct horse battery'
const MAX_UINT = (2n ** 256n - 1n).toString()

describe('chain writer against anvil: baseURI, token URI and EIP-4906 from a keystore key', () => {
  let anvil: Anvil
  let rpc: HostileRpc
  let h: WatcherHarness
  let keystore: Keystore
  let writer: ChainWriter
  let collection: TestContract
  let address: string
  let plain: string
  let chainId: number
  const rows = (): number => (h.store.db.prepare('SELECT count(*) AS n FROM chain_txs').get() as { n: number }).n
  const newWriter = (): ChainWriter => createChainWriter({ db: h.store.db, chain: h.chain, keystore, log: testLog }, { pollIntervalMs: 50, callTimeoutMs: 2_000 })
  async function settled (w: ChainWriter, id: number, state: ChainTxInfo['state'] = 'confirmed'): Promise<ChainTxInfo> {
    await expect.poll(() => w.tx(id).state, { timeout: 20_000, interval: 20 }).toBe(state)
    return w.tx(id)
  }

  beforeAll(async () => {
    anvil = await startAnvil()
    chainId = anvil.chainId
    rpc = await startHostileRpc(anvil.url)
    h = watcherHarness()
    keystore = createKeystore({ log: testLog }, { dataDir: h.store.db.name.replace(/\/[^/]+$/, ''), scryptN: 1024 })
    await keystore.import('owner', 'secp256k1', OWNER_KEY, PASSPHRASE)
    await keystore.import('stranger', 'secp256k1', STRANGER_KEY, PASSPHRASE)
    await keystore.create('empty', 'secp256k1', PASSPHRASE)
    await keystore.create('signing', 'ed25519', PASSPHRASE)
    await h.chain.setEndpoint({ chain_id: chainId, http_url: rpc.url, confirmations: 0, poll_interval_ms: 50 })
    ;({ contract: collection, address } = await deploy('TestCollection', await anvil.signer(0)))
    ;({ address: plain } = await deploy('TestNft', await anvil.signer(0)))
    await anvil.mined(collection.mint(await (await anvil.signer(2)).getAddress(), 1n))
    writer = newWriter()
    writer.start()
  }, 120_000)
  afterAll(async () => {
    await writer?.stop()
    await h?.close()
    await rpc?.close()
    await anvil?.stop()
  })

  it('reads which setters a contract has from its code, and says plainly when it has none', async () => {
    expect(await writer.functions(chainId, address)).toEqual({
      chain_id: chainId, address, base_uri: 'setBaseURI(string)', token_uri: 'setTokenURI(uint256,string)', metadata_update: 'emitBatchMetadataUpdate(uint256,uint256)', eip4906: true,
    })
    expect(await writer.functions(chainId, plain)).toEqual({ chain_id: chainId, address: plain, base_uri: null, token_uri: null, metadata_update: null, eip4906: false })
    await expect(writer.estimate({ chain_id: chainId, address: plain, key: 'owner', action: 'base_uri', uri: 'ipfs://x/' })).rejects.toMatchObject({
      name: 'NoSetterError', message: expect.stringContaining('has no function to set its baseURI: it has none of setBaseURI(string), setBaseTokenURI(string), setURI(string)'),
    })
  })

  it('estimates first (nothing sent), then sends; the transaction goes sent → confirmed and baseURI on chain is the one asked for', async () => {
    const uri = 'ipfs://bafybeigdyrzt5sfp7udm7hu76uh7y26nf3efuylqabf3oclgtqy55fbzdi/'
    const before = await anvil.blockNumber()
    const estimate = await writer.estimate({ chain_id: String(chainId), address, key: 'owner', action: 'base_uri', uri })
    expect(estimate).toMatchObject({ chain_id: chainId, address, action: 'base_uri', function: 'setBaseURI(string)', args: [uri], enough_funds: true, eip4906: true })
    expect(BigInt(estimate.gas)).toBeGreaterThan(21_000n)
    expect(BigInt(estimate.gas_limit)).toBe(BigInt(estimate.gas) * 120n / 100n)
    expect(BigInt(estimate.cost_wei)).toBe(BigInt(estimate.gas_limit) * BigInt(estimate.max_fee_per_gas))
    expect(await anvil.blockNumber()).toBe(before)
    expect(await collection.baseURI()).toBe('')
    expect(rows()).toBe(0)

    const sent = await writer.send({ chain_id: chainId, address, key: 'owner', action: 'base_uri', uri, passphrase: PASSPHRASE, max_cost_wei: estimate.cost_wei })
    expect(sent).toMatchObject({ state: 'sent', function: 'setBaseURI(string)', args: [uri], from: estimate.from, tx_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/), confirmations: 1 })
    const done = await settled(writer, sent.id)
    expect(done).toMatchObject({ state: 'confirmed', error: null, block_number: expect.any(Number), gas_used: expect.stringMatching(/^\d+$/) })
    expect(await collection.baseURI()).toBe(uri)
    expect(await collection.tokenURI(1n)).toBe(`${uri}1`)
    expect((await anvil.provider.getTransaction(sent.tx_hash))?.from.toLowerCase()).toBe(estimate.from)
    // The contract's BatchMetadataUpdate is recorded for the collection.
    expect(writer.metadataUpdates(chainId, address)).toEqual([{ chain_id: chainId, address, tx_hash: sent.tx_hash, block_number: done.block_number, token_from: '0', token_to: MAX_UINT, recorded_at: expect.any(String) }])
    expect(writer.tx(sent.tx_hash).id).toBe(sent.id)
  })

  it('sets one token\'s URI and emits a metadata update on request; both are recorded', async () => {
    const token = await writer.send({ chain_id: chainId, address, key: 'owner', action: 'token_uri', token_id: '1', uri: 'special.json', passphrase: PASSPHRASE })
    expect(token.function).toBe('setTokenURI(uint256,string)')
    const tokenDone = await settled(writer, token.id)
    expect(await collection.tokenURI(1n)).toMatch(/\/special\.json$/)
    const refresh = await writer.send({ chain_id: chainId, address, key: 'owner', action: 'metadata_update', token_id: '5', to_token_id: '9', passphrase: PASSPHRASE })
    expect(refresh).toMatchObject({ function: 'emitBatchMetadataUpdate(uint256,uint256)', args: ['5', '9'] })
    const refreshDone = await settled(writer, refresh.id)
    expect(writer.metadataUpdates(chainId, address).slice(0, 2).map(u => [u.block_number, u.token_from, u.token_to])).toEqual([
      [refreshDone.block_number, '5', '9'], [tokenDone.block_number, '1', null],
    ])
    expect(writer.txs(chainId, address).map(t => t.action)).toEqual(['metadata_update', 'token_uri', 'base_uri'])
  })

  it('errors say why and change nothing: not the owner, a revert reason, no funds, fees rose, wrong passphrase, bad input, endpoint down', async () => {
    const uri = 'https://meta.example.com/v2/'
    const count = rows()
    const base = { chain_id: chainId, address, action: 'base_uri', uri, passphrase: PASSPHRASE }
    await expect(writer.estimate({ ...base, key: 'stranger' })).rejects.toMatchObject({ name: 'NotContractOwnerError', message: expect.stringContaining('it is not the contract\'s owner (OwnableUnauthorizedAccount)') })
    await expect(writer.send({ ...base, key: 'stranger' })).rejects.toMatchObject({ name: 'NotContractOwnerError' })
    await expect(writer.estimate({ ...base, key: 'empty' })).rejects.toMatchObject({ name: 'NotContractOwnerError' })
    await expect(writer.send({ ...base, key: 'owner', uri: 'https://no-slash' })).rejects.toMatchObject({ name: 'TransactionRevertedError', message: 'The contract refuses this change: "baseURI must end with /".' })
    // A collection the unfunded key owns: the estimate says it cannot pay, and the send refuses.
    const { contract: owned, address: ownedAddress } = await deploy('TestCollection', await anvil.signer(0))
    await anvil.mined(owned.transferOwnership(keystore.exportPublic('empty').publicKey))
    const poorBase = { ...base, address: ownedAddress, key: 'empty' }
    const poor = await writer.estimate(poorBase)
    expect(poor).toMatchObject({ enough_funds: false, balance_wei: '0', function: 'setBaseURI(string)' })
    const chainBefore = await anvil.blockNumber()
    await expect(writer.send(poorBase)).rejects.toMatchObject({ name: 'InsufficientFundsError', message: expect.stringContaining(`has 0 wei, and this transaction may cost up to ${poor.cost_wei} wei`) })
    await expect(writer.send({ ...base, key: 'owner', max_cost_wei: '1' })).rejects.toMatchObject({ name: 'FeeRoseError' })
    await expect(writer.send({ ...base, key: 'owner', passphrase: 'not the passphrase' })).rejects.toMatchObject({ name: 'WrongPassphraseError' })
    await expect(writer.send({ ...base, key: 'signing' })).rejects.toMatchObject({ name: 'InvalidChainWriteInputError', field: 'key' })
    await expect(writer.send({ ...base, key: 'nobody' })).rejects.toMatchObject({ name: 'KeyNotFoundError' })
    await expect(writer.estimate({ ...base, key: 'owner', uri: 'has space/' })).rejects.toMatchObject({ name: 'InvalidChainWriteInputError', field: 'uri' })
    await expect(writer.estimate({ ...base, key: 'owner', action: 'burn' })).rejects.toMatchObject({ name: 'InvalidChainWriteInputError', field: 'action' })
    await expect(writer.estimate({ ...base, key: 'owner', address: '0x' + '12'.repeat(20) })).rejects.toMatchObject({ name: 'NoContractError' })
    await expect(writer.estimate({ ...base, key: 'owner', chain_id: 1 })).rejects.toMatchObject({ name: 'ChainNotConfiguredError' })
    rpc.mode = { kind: 'down' }
    try {
      await expect(writer.send({ ...base, key: 'owner' })).rejects.toMatchObject({ name: 'ChainEndpointUnreachableError' })
    } finally {
      rpc.mode = { kind: 'proxy' }
    }
    expect(rows()).toBe(count)
    expect(await anvil.blockNumber()).toBe(chainBefore)
    expect(await collection.baseURI()).not.toBe(uri)
  })

  it('a transaction that reverts when mined (the contract changed after the estimate) ends failed, saying so; nothing changed on chain', async () => {
    const { contract: upgraded, address: upgradedAddress } = await deploy('TestCollection', await anvil.signer(0))
    await anvil.automine(false)
    try {
      const sent = await writer.send({ chain_id: chainId, address: upgradedAddress, key: 'owner', action: 'base_uri', uri: 'ipfs://too-late/', passphrase: PASSPHRASE })
      expect(sent.state).toBe('sent')
      // As a proxy upgrade would: the code at the address changes before the transaction is mined (0xfe always reverts).
      const code = await anvil.provider.getCode(upgradedAddress)
      await anvil.provider.send('anvil_setCode', [upgradedAddress, '0xfe'])
      await anvil.mine(1)
      const failed = await settled(writer, sent.id, 'failed')
      expect(failed).toMatchObject({ state: 'failed', block_number: expect.any(Number), error: expect.stringMatching(/^The transaction was mined in block \d+ but reverted: the contract refused it/) })
      await anvil.provider.send('anvil_setCode', [upgradedAddress, code])
      expect(await upgraded.baseURI()).toBe('')
      expect(writer.metadataUpdates(chainId, upgradedAddress)).toEqual([])
    } finally {
      await anvil.automine(true)
    }
  })

  it('tracks the confirmation depth, and resumes tracking after a restart (state kept in SQLite)', async () => {
    await h.chain.setEndpoint({ chain_id: chainId, http_url: rpc.url, confirmations: 3, poll_interval_ms: 50 })
    const uri = 'ar://collection-v3/'
    const sent = await writer.send({ chain_id: chainId, address, key: 'owner', action: 'base_uri', uri, passphrase: PASSPHRASE })
    expect(sent.confirmations).toBe(3)
    const mined = await settled(writer, sent.id, 'mined')
    expect(mined.depth).toBe(1)
    await writer.stop()
    await anvil.mine(2)
    // Stopped: nothing follows it, so it stays as it was.
    expect(writer.tx(sent.id).state).toBe('mined')
    writer = newWriter()
    expect(writer.txs()[0]).toMatchObject({ id: sent.id, state: 'mined' })
    writer.start()
    expect(await settled(writer, sent.id)).toMatchObject({ state: 'confirmed', depth: 3 })
    expect(await collection.baseURI()).toBe(uri)
  })
})
