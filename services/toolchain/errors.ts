// One class per failure; callers branch on `err.name`.

/** The interface-types section is malformed or cannot be encoded. */
export class InterfaceTypeError extends Error {
  override name = 'InterfaceTypeError'
}

/** The Wasm binary is malformed or its custom sections are not as Marine needs them. */
export class WasmSectionError extends Error {
  override name = 'WasmSectionError'
}

/** marine-js refused to load the module or a call failed inside Marine. */
export class MarineCallError extends Error {
  override name = 'MarineCallError'
}
