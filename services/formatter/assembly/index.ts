// The `formatter` service: merges a token's slots into its tokenURI JSON (see services/README.md).
import { formatToken } from "./format";
import { FormatResult, Slot } from "./records";

export function format(token_id: string, slots: Array<Slot>): FormatResult {
  return formatToken(token_id, slots);
}
