import type { Contracts } from '../../lineage/contracts/index.js'
import { defineMethod } from './method.js'
import type { RpcMethod } from './method.js'

export interface ContractMethodsComponents {
  contracts: Contracts
}

/** Services the node calls directly; listed with the contracts so a client sees everything it hosts. */
const TRUSTED_SERVICES = [
  { service_id: 'keys', kind: 'service', functions: ['token_key', 'data_key'] },
  { service_id: 'formatter', kind: 'service', functions: ['format'] },
] as const

/** Deploying user meta contracts, and listing what the node's Marine host runs. */
export function contractMethods ({ contracts }: ContractMethodsComponents): RpcMethod[] {
  return [
    defineMethod({
      name: 'deploy_meta_contract',
      requiresToken: true,
      description: 'Deploys a meta contract (.wasm, base64) under a new id: checked, run in the sandbox, stored by CID.',
      params: [
        { name: 'id', schema: { type: 'string', minLength: 1, maxLength: 64 } },
        // The body limit (1 MiB) bounds the module to about 760 KB; built contracts are 30–50 KB.
        { name: 'wasm', schema: { type: 'string', minLength: 8, pattern: '^[A-Za-z0-9+/]+={0,2}$' } },
        { name: 'name', schema: { type: 'string', maxLength: 128 }, optional: true },
      ],
      handler: async p => await contracts.deploy(p.id as string, new Uint8Array(Buffer.from(p.wasm as string, 'base64')), p.name as string | undefined),
    }),
    defineMethod({
      name: 'get_meta_contract_by_id',
      description: 'A meta contract this node can run, by id: { meta_contract_id, cid, name, builtin, functions, created_at }, or null.',
      params: [{ name: 'meta_contract_id', schema: { type: 'string', minLength: 1, maxLength: 128 } }],
      handler: p => contracts.list().find(c => c.meta_contract_id === p.meta_contract_id) ?? null,
    }),
    defineMethod({
      name: 'list_services',
      description: 'The Marine services this node hosts: the trusted services and every meta contract.',
      params: [],
      handler: () => [
        ...TRUSTED_SERVICES.map(s => ({ ...s, functions: [...s.functions] })),
        ...contracts.list().map(c => ({ service_id: c.meta_contract_id, kind: 'meta_contract' as const, functions: c.functions, cid: c.cid, builtin: c.builtin })),
      ],
    }),
  ] as RpcMethod[]
}
