// The meta contract SDK: the records of the contract interface and helpers to answer with them.
// A contract's assembly/index.ts exports on_execute, on_mint and on_clone using these records.
export { MetaContract, Metadata, Transaction, FinalMetadata, MetaContractResult } from "./records";
export { accept, reject, finalMetadata, writeOf, jsonError, methodError, SCHEMA_CHECKED, LOOSE } from "./results";
export { canonicalAlias, canonicalKey, isAddress } from "./keys";
export { stateSequence, statePayload } from "./state";
