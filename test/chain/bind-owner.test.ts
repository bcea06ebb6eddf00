import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ANVIL_KEYS, startAnvil } from '../helpers/anvil.js'
import type { Anvil } from '../helpers/anvil.js'
import { startHostileRpc } from '../helpers/hostile-rpc.js'
import type { HostileRpc } from '../helpers/hostile-rpc.js'
import { evmSigner } from '../helpers/signers.js'
import type { TestSigner } from '../helpers/signers.js'
import { deploy } from '../helpers/solidity.js'
import { startChainEngine } from './engine-harness.js'
import type { ChainEngine } from './engine-harness.js'

/** anvil's default accounts 0 and 1 (their well-known test keys): 0 deploys, so owns, the Ownable collection. */
const DEPLOYER_KEY = ANVIL_KEYS[0]
const SECOND_KEY = ANVIL_KEYS[1]

describe('who may bind a collection on a configured chain: its contract\'s owner() (anvil, OpenZeppelin Ownable)', () => {
  let anvil: Anvil
  let rpc: HostileRpc
  let e: ChainEngine
  let chainId: string
  const deployer = evmSigner(DEPLOYER_KEY)
  const second = evmSigner(SECOND_KEY)
  const stranger = evmSigner()

  const bind = async (signer: TestSigner, token: string, contractId = 'open') =>
    await signer.sign({ method: 'contract', chain_id: chainId, token_address: token, token_id: '', meta_contract_id: contractId, alias: '', version: '', data: '{}', mcdata: '' })
  const binding = (token: string) => e.lineage.binding(e.lineage.tokenKey(chainId, token))

  beforeAll(async () => {
    anvil = await startAnvil()
    chainId = String(anvil.chainId)
    expect((await (await anvil.signer(0)).getAddress()).toLowerCase()).toBe(deployer.publicKey.toLowerCase())
    expect((await (await anvil.signer(1)).getAddress()).toLowerCase()).toBe(second.publicKey.toLowerCase())
    rpc = await startHostileRpc(anvil.url)
    e = await startChainEngine(['open', 'erc721'])
    await e.chain.setEndpoint({ chain_id: anvil.chainId, http_url: rpc.url, confirmations: 2 })
  }, 60_000)
  afterAll(async () => {
    await e?.close()
    await rpc?.close()
    await anvil?.stop()
  })

  it('only owner() at a confirmed block binds and rebinds; after transferOwnership the new owner takes over', async () => {
    const { contract, address } = await deploy('OwnedNft', await anvil.signer(0))
    await anvil.mine(2)
    const confirmed = await anvil.blockNumber() - 2
    const [refused] = await e.apply([await bind(stranger, address)])
    expect(refused).toEqual({ status: 'rejected', reason: `only the collection contract's owner() (${deployer.publicKey.toLowerCase()} at block ${confirmed}) may bind it; ${stranger.publicKey.toLowerCase()} is not` })
    expect(binding(address)).toBeUndefined()

    expect(await e.apply([await bind(deployer, address)])).toEqual([{ status: 'applied', reason: '' }])
    expect(binding(address)).toMatchObject({ meta_contract_id: 'open', public_key: deployer.publicKey.toLowerCase() })

    // Ownership moves on chain; until it is confirmed (2 blocks) the old owner still decides.
    await anvil.mined(await contract.transferOwnership(second.publicKey))
    const [early] = await e.apply([await bind(second, address, 'erc721')])
    expect(early?.status).toBe('rejected')
    expect(early?.reason).toContain(`only the collection contract's owner() (${deployer.publicKey.toLowerCase()} at block`)
    await anvil.mine(2)
    expect(await e.apply([await bind(second, address, 'erc721')])).toEqual([{ status: 'applied', reason: '' }])
    expect(binding(address)).toMatchObject({ meta_contract_id: 'erc721', public_key: second.publicKey.toLowerCase() })
    const [former] = await e.apply([await bind(deployer, address, 'open')])
    expect(former?.reason).toContain(`only the collection contract's owner() (${second.publicKey.toLowerCase()} at block`)
    expect(binding(address)).toMatchObject({ meta_contract_id: 'erc721', public_key: second.publicKey.toLowerCase() })
  })

  it('a contract without owner() keeps the first binder\'s rule: the first key binds, only it rebinds', async () => {
    const { address } = await deploy('TestNft', await anvil.signer(0))
    await anvil.mine(2)
    expect(await e.apply([await bind(stranger, address)])).toEqual([{ status: 'applied', reason: '' }])
    const [other] = await e.apply([await bind(deployer, address, 'erc721')])
    expect(other).toEqual({ status: 'rejected', reason: `only the key that bound this collection (${stranger.publicKey.toLowerCase()}) may rebind it` })
    expect(binding(address)).toMatchObject({ meta_contract_id: 'open', public_key: stranger.publicKey.toLowerCase() })
  })

  it('an endpoint that cannot answer refuses the binding with a retryable reason and changes nothing', async () => {
    const { address } = await deploy('OwnedNft', await anvil.signer(0))
    await anvil.mine(2)
    rpc.mode = { kind: 'down' }
    try {
      const [r] = await e.apply([await bind(deployer, address)])
      expect(r?.status).toBe('rejected')
      expect(r?.reason).toMatch(new RegExp(`^the collection contract's owner\\(\\) could not be read from chain ${chainId}'s endpoint \\(.+\\); nothing changed\\. Publish the binding again once the endpoint answers\\.$`))
      expect(binding(address)).toBeUndefined()
    } finally {
      rpc.mode = { kind: 'proxy' }
    }
    // Retried once it answers: the same owner binds.
    expect(await e.apply([await bind(deployer, address)])).toEqual([{ status: 'applied', reason: '' }])
  })

  it('a chain with no endpoint here keeps the first binder\'s rule', async () => {
    const token = '0x00000000000000000000000000000000000b1bd1'
    const other = async (signer: TestSigner) => await signer.sign({ method: 'contract', chain_id: '999', token_address: token, token_id: '', meta_contract_id: 'open', alias: '', version: '', data: '{}', mcdata: '' })
    expect(await e.apply([await other(stranger)])).toEqual([{ status: 'applied', reason: '' }])
    // Refused at once, as before: no chain decides, so the binder's key does.
    expect(e.lineage.publishBatch([await other(deployer)])[0]?.error).toMatchObject({ name: 'BindingOwnerError' })
  })
})
