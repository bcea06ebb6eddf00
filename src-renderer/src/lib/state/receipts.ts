import type { ReceiptInfo } from '../../../../src-main/api/rpc-types.js'
import type { UiClient } from '../client/index.js'

const POLL_MS = 150
const WAIT_MS = 30_000

/** Waits for a transaction's receipt (applied or rejected); null if none came in time. */
export async function waitForReceipt (client: UiClient, hash: string, waitMs = WAIT_MS): Promise<ReceiptInfo | null> {
  const deadline = Date.now() + waitMs
  while (Date.now() < deadline) {
    const receipt = await client.call('get_transaction_receipt', hash)
    if (receipt !== null) return receipt
    await new Promise(resolve => setTimeout(resolve, POLL_MS))
  }
  return null
}
