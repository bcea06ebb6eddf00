// The `keys` service: token_key (a collection) and data_key (one token).
import { computeDataKey, computeTokenKey } from "./keys";

export function token_key(chain_id: string, token_address: string): string {
  return computeTokenKey(chain_id, token_address);
}

export function data_key(chain_id: string, token_address: string, token_id: string): string {
  return computeDataKey(chain_id, token_address, token_id);
}
