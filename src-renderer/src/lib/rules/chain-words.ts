/**
 * The chain in a creator's words: watch states, endpoint errors, transaction progress, amounts.
 * Plain TS, decided by names and states (never an error's text), so the screens stay thin.
 */
import type { ChainTxWire, ChainWatchStatusWire } from '../../../../src-main/api/rpc-types.js'

const STATES: Record<ChainWatchStatusWire['state'], string> = {
  stopped: 'Paused',
  'finding start block': 'Finding where the contract was deployed',
  backfilling: 'Catching up with past blocks',
  following: 'Up to date, following new blocks',
  retrying: 'Cannot reach the network, trying again',
}

export const watchStateWords = (state: ChainWatchStatusWire['state']): string => STATES[state]

const ERRORS: Record<string, string> = {
  ChainEndpointUnreachableError: 'The endpoint does not answer (down, too slow, or limiting this node\'s requests).',
  ChainEndpointResponseError: 'The endpoint answers something that is not a blockchain answer.',
  ChainEndpointRejectedError: 'The endpoint refuses this node\'s requests.',
  ChainIdMismatchError: 'The endpoint serves another network than this one. Check its URL.',
  NoContractError: 'There is no contract at this address on this network. Check the address and the network.',
  ChainNotConfiguredError: 'This network has no endpoint any more. Add one above.',
}

/** The last error of a watch, said plainly, with when it happened. */
export function watchErrorWords (error: ChainWatchStatusWire['last_error']): string | null {
  if (error === null) return null
  return `${ERRORS[error.name] ?? 'Something went wrong reading the chain.'} (${new Date(error.at).toLocaleTimeString()})`
}

/** An endpoint URL without what follows its host: providers put API keys in the path and query. */
export function endpointHost (url: string): string {
  try {
    const u = new URL(url)
    return u.pathname.length > 1 || u.search !== '' ? `${u.protocol}//${u.host}/…` : `${u.protocol}//${u.host}`
  } catch {
    return url
  }
}

/** Wei as the network's coin, to 6 significant decimals: "0.000146", "12.5". */
export function formatWei (wei: string): string {
  const padded = wei.replace(/^0+/, '').padStart(19, '0')
  const whole = padded.slice(0, -18).replace(/^0+(?=\d)/, '')
  const fraction = padded.slice(-18)
  const firstDigit = fraction.search(/[1-9]/)
  if (firstDigit === -1) return whole
  const shown = fraction.slice(0, Math.max(firstDigit + 3, whole === '0' ? 0 : 4)).replace(/0+$/, '')
  return shown === '' ? whole : `${whole}.${shown}`
}

/** How far a sent transaction is, in words and as a share of the way (0–100). */
export function txProgress (tx: ChainTxWire): { words: string, percent: number } {
  switch (tx.state) {
    case 'sent': return { words: 'Sent, waiting to be included in a block', percent: 10 }
    case 'mined': {
      const depth = Math.min(tx.depth, tx.confirmations)
      return { words: `In block ${tx.block_number ?? '?'}: ${depth} of ${tx.confirmations} confirmations`, percent: 20 + Math.round(80 * depth / tx.confirmations) }
    }
    case 'confirmed': return { words: `Confirmed in block ${tx.block_number ?? '?'}`, percent: 100 }
    case 'failed': return { words: tx.error ?? 'The transaction failed.', percent: 100 }
  }
}

/** Chain write refusals by name: what happened and what to do. */
export const CHAIN_WRITE_PROBLEMS: Readonly<Record<string, string>> = {
  NoSetterError: 'This contract has no function Lineage knows for setting its baseURI (setBaseURI, setBaseTokenURI or setURI). Change it with your wallet or the project\'s own tools.',
  NotContractOwnerError: 'The contract refuses this key: it is not the contract\'s owner. Choose the key that deployed or owns the contract.',
  InsufficientFundsError: 'The key\'s account cannot pay for the gas. Send it some of the network\'s coin, then estimate again.',
  FeeRoseError: 'Gas became more expensive since the estimate. Nothing was sent: estimate again and confirm the new cost.',
}
