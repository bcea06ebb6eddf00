/** Pending transactions the validator reads per query; it loops until none are left. */
export const VALIDATOR_BATCH = 100
/** Contract functions of the interface (services/contract-sdk). */
export const ON_EXECUTE = 'on_execute'
export const ON_CLONE = 'on_clone'
