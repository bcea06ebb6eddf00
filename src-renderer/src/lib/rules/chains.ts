/**
 * EVM networks by name, with the chain id beside it (the id is what the node keys collections
 * by). The list is the common ones a creator deploys on; any other id can still be typed.
 */
export const CHAINS: ReadonlyArray<{ id: string, name: string, test?: true }> = [
  { id: '1', name: 'Ethereum' },
  { id: '8453', name: 'Base' },
  { id: '137', name: 'Polygon' },
  { id: '10', name: 'Optimism' },
  { id: '42161', name: 'Arbitrum One' },
  { id: '42170', name: 'Arbitrum Nova' },
  { id: '7777777', name: 'Zora' },
  { id: '43114', name: 'Avalanche C-Chain' },
  { id: '56', name: 'BNB Smart Chain' },
  { id: '59144', name: 'Linea' },
  { id: '534352', name: 'Scroll' },
  { id: '81457', name: 'Blast' },
  { id: '11155111', name: 'Sepolia', test: true },
  { id: '84532', name: 'Base Sepolia', test: true },
  { id: '80002', name: 'Polygon Amoy', test: true },
  { id: '11155420', name: 'Optimism Sepolia', test: true },
  { id: '421614', name: 'Arbitrum Sepolia', test: true },
  { id: '31337', name: 'Local test network', test: true },
]

const BY_ID = new Map(CHAINS.map(c => [c.id, c]))

/** "Ethereum (1)", "Base Sepolia (84532, test network)", "Network 999 (not in Lineage's list)". */
export function chainName (id: string): string {
  const chain = BY_ID.get(id)
  if (chain === undefined) return `Network ${id}`
  return chain.name
}

/** The name with the id beside it, as the lists show it. */
export function chainLabel (id: string): string {
  const chain = BY_ID.get(id)
  if (chain === undefined) return `Network ${id}`
  return `${chain.name} (${id}${chain.test === true ? ', test network' : ''})`
}

/** A chain id as typed: a positive whole number without leading zeros. */
export function isChainId (text: string): boolean {
  return /^[1-9]\d{0,19}$/.test(text)
}
