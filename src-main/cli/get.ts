import { defaultDataDir } from '../node/local/index.js'
import { CliError } from './errors.js'
import { nodeClient } from './node-client.js'
import type { Output } from './start.js'

/** Prints a token's tokenURI JSON, as the node's gateway serves it to marketplaces. */
export async function runGet (chainId: string, address: string, tokenId: string, options: { dataDir?: string }, output: Output): Promise<void> {
  const client = nodeClient(options.dataDir ?? defaultDataDir())
  const path = `/metadata/${encodeURIComponent(chainId)}/${encodeURIComponent(address)}/${encodeURIComponent(tokenId)}`
  let response: Response
  try {
    response = await fetch(client.url + path)
  } catch {
    throw new CliError(`The node at ${client.url} does not answer.`)
  }
  const text = await response.text()
  if (!response.ok) {
    const reason = (JSON.parse(text) as { error?: string }).error ?? `HTTP ${response.status}`
    throw new CliError(reason)
  }
  output.out(JSON.stringify(JSON.parse(text), null, 2))
}
