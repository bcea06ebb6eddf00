import { createHash } from 'node:crypto'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { createRequire } from 'node:module'
import { ContractFactory } from 'ethers'
import type { BaseContract, ContractMethod, ContractRunner, InterfaceAbi } from 'ethers'
import { repoRoot } from './processes.js'

/**
 * Test collections: OpenZeppelin's ERC-721 and ERC-1155 with open mint and burn, compiled here
 * by solc (npm) from source; no prebuilt bytecode. Later tests (on_mint, reveal, baseURI) add
 * their contracts to SOURCES. OwnedNft is Ownable (EIP-173 owner(), the deployer), for binding checks.
 */
export const SOURCES: Record<string, string> = {
  'TestNft.sol': `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import "@openzeppelin/contracts/token/ERC721/ERC721.sol";
contract TestNft is ERC721 {
  constructor() ERC721("Test", "TST") {}
  function mint(address to, uint256 id) external { _mint(to, id); }
  function mintMany(address to, uint256 first, uint256 count) external {
    for (uint256 i = 0; i < count; i++) _mint(to, first + i);
  }
  function burn(uint256 id) external { _burn(id); }
}
`,
  'TestMulti.sol': `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import "@openzeppelin/contracts/token/ERC1155/ERC1155.sol";
contract TestMulti is ERC1155 {
  constructor() ERC1155("") {}
  function mint(address to, uint256 id, uint256 amount) external { _mint(to, id, amount, ""); }
  function mintBatch(address to, uint256[] calldata ids, uint256[] calldata amounts) external { _mintBatch(to, ids, amounts, ""); }
  function burn(address from, uint256 id, uint256 amount) external { _burn(from, id, amount); }
}
`,
  'OwnedNft.sol': `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import "@openzeppelin/contracts/access/Ownable.sol";
contract OwnedNft is ERC721, Ownable {
  constructor() ERC721("Owned", "OWN") Ownable(msg.sender) {}
  function mint(address to, uint256 id) external { _mint(to, id); }
}
`,
  // The chain writer's collection: Ownable, a baseURI setter that announces EIP-4906's
  // BatchMetadataUpdate, per-token URIs (ERC721URIStorage emits MetadataUpdate), and a function
  // that only emits the refresh.
  'TestCollection.sol': `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import "@openzeppelin/contracts/token/ERC721/extensions/ERC721URIStorage.sol";
import "@openzeppelin/contracts/access/Ownable.sol";
contract TestCollection is ERC721URIStorage, Ownable {
  string private base;
  constructor() ERC721("Collection", "COL") Ownable(msg.sender) {}
  function mint(address to, uint256 id) external { _mint(to, id); }
  function baseURI() external view returns (string memory) { return base; }
  function _baseURI() internal view override returns (string memory) { return base; }
  function setBaseURI(string calldata uri) external onlyOwner {
    require(bytes(uri)[bytes(uri).length - 1] == "/", "baseURI must end with /");
    base = uri;
    emit BatchMetadataUpdate(0, type(uint256).max);
  }
  function setTokenURI(uint256 id, string calldata uri) external onlyOwner { _setTokenURI(id, uri); }
  function emitBatchMetadataUpdate(uint256 from, uint256 to) external onlyOwner { emit BatchMetadataUpdate(from, to); }
}
`,
  // EIP-4906 announcements anyone may emit (a wallet or another tool, not the node's key).
  'AnnouncingNft.sol': `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;
import "@openzeppelin/contracts/token/ERC721/ERC721.sol";
contract AnnouncingNft is ERC721 {
  event MetadataUpdate(uint256 _tokenId);
  event BatchMetadataUpdate(uint256 _fromTokenId, uint256 _toTokenId);
  constructor() ERC721("Announcing", "ANN") {}
  function mint(address to, uint256 id) external { _mint(to, id); }
  function announce(uint256 id) external { emit MetadataUpdate(id); }
  function announceBatch(uint256 from, uint256 to) external { emit BatchMetadataUpdate(from, to); }
}
`,
}

export interface Compiled { abi: InterfaceAbi, bytecode: string }

/** The functions tests call on SOURCES' contracts (ethers builds them from the ABI at run time); add names with new contracts. */
export type TestFunction = 'mint' | 'mintMany' | 'mintBatch' | 'burn' | 'transferFrom' | 'safeTransferFrom' | 'ownerOf' | 'balanceOf' | 'owner' | 'baseURI' | 'tokenURI' | 'transferOwnership' | 'announce' | 'announceBatch'
export type TestContract = BaseContract & Record<TestFunction, ContractMethod>

const require = createRequire(import.meta.url)
const nodeModules = path.join(repoRoot, 'node_modules')

/** solc's import callback: @openzeppelin/… from node_modules, nothing else. */
function findImport (name: string): { contents: string } | { error: string } {
  if (!name.startsWith('@openzeppelin/contracts/')) return { error: `not found: ${name}` }
  const file = path.join(nodeModules, name)
  return fs.existsSync(file) ? { contents: fs.readFileSync(file, 'utf8') } : { error: `not found: ${name}` }
}

let compiled: Record<string, Compiled> | undefined

/**
 * Every contract of SOURCES by name. solc-js takes seconds, so the output is kept in the OS temp
 * dir under the hash of the sources and the compiler's version, and reused by later test files.
 */
export function compileContracts (): Record<string, Compiled> {
  if (compiled !== undefined) return compiled
  const solc = require('solc') as { version(): string, compile(input: string, callbacks: { import: typeof findImport }): string }
  const input = JSON.stringify({
    language: 'Solidity',
    sources: Object.fromEntries(Object.entries(SOURCES).map(([name, content]) => [name, { content }])),
    settings: { optimizer: { enabled: true, runs: 200 }, outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } } },
  })
  const key = createHash('sha256').update(solc.version()).update(input).digest('hex').slice(0, 16)
  const cache = path.join(os.tmpdir(), `lineage-solc-${key}.json`)
  if (fs.existsSync(cache)) {
    compiled = JSON.parse(fs.readFileSync(cache, 'utf8')) as Record<string, Compiled>
    return compiled
  }
  const output = JSON.parse(solc.compile(input, { import: findImport })) as {
    errors?: Array<{ severity: string, formattedMessage: string }>
    contracts: Record<string, Record<string, { abi: InterfaceAbi, evm: { bytecode: { object: string } } }>>
  }
  const errors = (output.errors ?? []).filter(e => e.severity === 'error')
  if (errors.length > 0) throw new Error(`solc: ${errors.map(e => e.formattedMessage).join('\n')}`)
  const result: Record<string, Compiled> = {}
  for (const file of Object.keys(SOURCES)) {
    for (const [name, c] of Object.entries(output.contracts[file] ?? {})) result[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` }
  }
  const temp = `${cache}.${process.pid}`
  fs.writeFileSync(temp, JSON.stringify(result))
  fs.renameSync(temp, cache)
  compiled = result
  return result
}

/** Deploys a compiled contract and waits for it to be mined; answers it and its deployment block. */
export async function deploy (name: string, runner: ContractRunner): Promise<{ contract: TestContract, address: string, block: number }> {
  const c = compileContracts()[name]
  if (c === undefined) throw new Error(`no contract named ${name}`)
  const contract = await new ContractFactory(c.abi, c.bytecode, runner).deploy()
  const hash = contract.deploymentTransaction()?.hash
  if (hash === undefined || runner.provider == null) throw new Error(`${name} was not sent`)
  // Polled here: ethers' wait() sometimes misses anvil's instant blocks.
  for (;;) {
    const receipt = await runner.provider.getTransactionReceipt(hash)
    if (receipt !== null) return { contract: contract as TestContract, address: (await contract.getAddress()).toLowerCase(), block: receipt.blockNumber }
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}
