import type { IpnsNames } from '../../dht/index.js'
import { MAX_CID_TEXT_LENGTH } from '../../lineage/pins/index.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface IpnsMethodsComponents {
  /** The node's IPNS names (dht/ipns.ts): one per collection, kept with sealed keys. */
  ipns: IpnsNames
}

/** IPNS names of collections: ipns_publish, ipns_ls. */
export function ipnsMethods ({ ipns }: IpnsMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'ipns_publish',
      requiresToken: true,
      description: 'Points the collection\'s IPNS name (/ipns/<name>, one key per collection, made on first use) at a CID this node holds, usually its latest snapshot: signs a record (sequence + 1 when the value changes), serves it at /ipns/<name>, and puts it on the DHT when the DHT is on.',
      params: [
        { name: 'chain_id', schema: { type: 'string', minLength: 1, maxLength: 128 } },
        { name: 'token_address', schema: { type: 'string', minLength: 1, maxLength: 256 } },
        { name: 'cid', schema: { type: 'string', minLength: 1, maxLength: MAX_CID_TEXT_LENGTH } },
      ],
      handler: async p => await ipns.publish({ chain_id: p.chain_id as string, token_address: p.token_address as string, cid: p.cid as string }),
    }),
    defineMethod({
      name: 'ipns_ls',
      requiresToken: true,
      description: 'The IPNS names this node keeps, one per collection, with what each points at.',
      params: [],
      handler: () => ipns.list(),
    }),
  ]
}
