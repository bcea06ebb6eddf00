// Input and output records of the formatter service.

/** One current slot of a token: who wrote it, under which alias and version, and its JSON text. */
export class Slot {
  alias: string = "";
  public_key: string = "";
  version: string = "";
  content: string = "";
}

/** `json` is the tokenURI document when `ok`; otherwise `error` says which slot failed and why. */
export class FormatResult {
  ok: bool = false;
  json: string = "";
  error: string = "";
}
