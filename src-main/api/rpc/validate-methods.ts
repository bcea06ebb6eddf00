import type { Lineage, MetadataCandidate } from '../../lineage/engine/index.js'
import { ADDRESS_PATTERN, CHAIN_ID_PATTERN, TOKEN_ID_PATTERN } from '../../lineage/signing/index.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface ValidateMethodsComponents {
  lineage: Lineage
}

const text = (maxLength: number): object => ({ type: 'string', maxLength })

/**
 * validate_metadata: the collection's governing contract judges a candidate document, with the
 * same arguments the validator would give it, and nothing is written. The editor calls it as the
 * creator types. It needs the API token although it changes nothing: each call runs a contract
 * (untrusted code, up to its whole time budget) and proves nothing, so anyone else could make the
 * node burn contract time for free. Only the node's own UI needs it, and the UI holds the token.
 * Public clients judge a write by publishing it signed.
 */
export function validateMethods ({ lineage }: ValidateMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'validate_metadata',
      description: 'Runs the collection\'s meta contract on a candidate metadata write without writing anything; answers ok, or the contract\'s reason.',
      requiresToken: true,
      params: [{
        name: 'candidate',
        schema: {
          type: 'object',
          properties: {
            chain_id: { type: 'string', pattern: CHAIN_ID_PATTERN.source },
            token_address: { type: 'string', pattern: ADDRESS_PATTERN.source },
            token_id: { type: 'string', pattern: TOKEN_ID_PATTERN.source },
            data: text(65_536),
            alias: text(64),
            version: text(64),
            public_key: { type: 'string', minLength: 1, maxLength: 128 },
          },
          required: ['chain_id', 'token_address', 'token_id', 'data'],
          additionalProperties: false,
        },
      }],
      handler: async p => await lineage.dryRun(p.candidate as MetadataCandidate),
    }),
  ] as RpcMethod[]
}
