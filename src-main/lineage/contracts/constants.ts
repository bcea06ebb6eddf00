/** What the validator calls; a module without all three is not a contract. */
export const REQUIRED_FUNCTIONS = ['on_execute', 'on_mint', 'on_clone'] as const
/** Contract ids: short, printable, stable in URLs and signed text. */
export const CONTRACT_ID = /^[a-z0-9][a-z0-9._-]{0,63}$/
/**
 * Names no deployed contract may take, whatever the node is told to reserve besides: its own
 * Marine services. A contract under one of them would be confused with the trusted service
 * wherever services are listed or called by id (list_services, Fluence).
 */
export const RESERVED_CONTRACT_IDS = ['keys', 'formatter'] as const
/** Characters of a refused id repeated in the error; the rest is cut. */
export const MAX_QUOTED_ID_CHARS = 80
