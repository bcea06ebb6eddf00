import fs from 'node:fs'
import path from 'node:path'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import type { Logger } from '@libp2p/logger'
import { peerIdFromPrivateKey, peerIdFromString } from '@libp2p/peer-id'
import { createIPNSRecord, marshalIPNSRecord, multihashToIPNSRoutingKey } from 'ipns'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import { ADDRESS_PATTERN, CHAIN_ID_PATTERN } from '../lineage/signing/constants.js'
import type { SecretVault } from '../secrets/index.js'
import { IPNS_NAMES_FILE, IPNS_PUBLISH_TIMEOUT_MS, IPNS_RECORD_LIFETIME_MS, IPNS_RECORD_TTL_MS, IPNS_REPUBLISH_INTERVAL_MS, MAX_IPNS_NAMES, MAX_IPNS_NAMES_FILE_BYTES } from './constants.js'
import { InvalidCollectionError, InvalidIpnsNameError, InvalidIpnsValueError, IpnsNameNotFoundError, IpnsNamesFileError, IpnsValueNotHeldError, TooManyIpnsNamesError } from './errors.js'

/** One collection's name, as ipns_publish and ipns_ls answer. */
export interface IpnsNameInfo {
  /** The name's key as a libp2p-key CIDv1 in base36 (k51qzi5uqu5d…): the `<name>` of `/ipns/<name>`. */
  name: string
  chain_id: string
  token_address: string
  token_key: string
  /** What the name points at: `/ipfs/<cid>`. */
  value: string
  /** Grows by one each time the value changes; republishing signs the same sequence with a later expiry. */
  sequence: number
  /** ISO time the current record was signed, and when it stops being valid unless republished. */
  published_at: string
  expires_at: string
  /** DHT peers that stored the record at its last publication; 0 with the DHT off (the gateway still serves it). */
  dht_peers: number
}

export interface IpnsNamesComponents {
  dataDir: string
  /** Where each name's private key is kept, sealed (the credentials file: key file or OS keychain). */
  vault: SecretVault
  /** Whether the node holds the block a name would point at. */
  hasBlock(cid: CID): boolean
  tokenKey(chainId: string, tokenAddress: string): string
  /** Puts a record on the DHT, resolving to how many peers stored it; absent with the DHT off. */
  putRecord?(routingKey: Uint8Array, record: Uint8Array, options: { signal: AbortSignal }): Promise<number>
  /** A name now points at `cid`: the node provides it. */
  onValue?(cid: CID): void
  log: Logger
}

export interface IpnsNames {
  start(): void
  stop(): Promise<void>
  publish(request: { chain_id: string, token_address: string, cid: string }, options?: { signal?: AbortSignal }): Promise<IpnsNameInfo>
  list(): IpnsNameInfo[]
  /** The node's own name, by any spelling of its key (k51…, bafz…, 12D3KooW…); throws InvalidIpnsNameError, IpnsNameNotFoundError. */
  resolve(name: string): IpnsNameInfo
  /** The CIDs the names point at, for the provider. */
  values(): string[]
  /** Signs every record again with a fresh expiry and puts it on the DHT (the timer does this every interval). */
  republish(options?: { signal?: AbortSignal }): Promise<void>
}

interface NamesFile { version: 1, names: Record<string, IpnsNameInfo> }

/** The canonical spelling of an IPNS key: libp2p-key CIDv1 in base36, as Kubo prints it. */
export function ipnsNameOf (text: string): string {
  try {
    return peerIdFromString(text).toCID().toString(base36)
  } catch {
    throw new InvalidIpnsNameError(text)
  }
}

class FileIpnsNames implements IpnsNames {
  private readonly file: string
  private tail: Promise<unknown> = Promise.resolve()
  private timer: NodeJS.Timeout | undefined
  private controller: AbortController | undefined

  constructor (private readonly components: IpnsNamesComponents) {
    this.file = path.join(components.dataDir, IPNS_NAMES_FILE)
  }

  start (): void {
    if (this.controller !== undefined) return
    this.controller = new AbortController()
    // Records expire: sign them again now (the node may have been off) and then periodically.
    const tick = (): void => {
      void this.republish().catch((err: unknown) => { this.components.log.error('IPNS republish failed: %e', err) })
    }
    if (Object.keys(this.read().names).length > 0) tick()
    this.timer = setInterval(tick, IPNS_REPUBLISH_INTERVAL_MS)
    this.timer.unref()
  }

  async stop (): Promise<void> {
    const controller = this.controller
    if (controller === undefined) return
    this.controller = undefined
    clearInterval(this.timer)
    controller.abort()
    await this.tail.catch(() => {})
  }

  async publish (request: { chain_id: string, token_address: string, cid: string }, options: { signal?: AbortSignal } = {}): Promise<IpnsNameInfo> {
    if (!CHAIN_ID_PATTERN.test(request.chain_id)) throw new InvalidCollectionError(`the chain id must be a decimal number without leading zeros (e.g. "1"), got "${request.chain_id.slice(0, 40)}"`)
    if (!ADDRESS_PATTERN.test(request.token_address)) throw new InvalidCollectionError(`the contract address must be 0x followed by 40 hex digits, got "${request.token_address.slice(0, 60)}"`)
    let cid: CID
    try {
      cid = CID.parse(request.cid).toV1()
    } catch {
      throw new InvalidIpnsValueError(request.cid)
    }
    if (!this.components.hasBlock(cid)) throw new IpnsValueNotHeldError(request.cid)
    const tokenKey = this.components.tokenKey(request.chain_id, request.token_address)
    return await this.serially(async () => {
      const names = this.read().names
      const previous = names[tokenKey]
      if (previous === undefined && Object.keys(names).length >= MAX_IPNS_NAMES) throw new TooManyIpnsNamesError(MAX_IPNS_NAMES)
      const key = await this.keyOf(tokenKey)
      const value = `/ipfs/${cid.toString()}`
      const sequence = previous === undefined ? 0 : previous.value === value ? previous.sequence : previous.sequence + 1
      const info = await this.sign(key, { chain_id: request.chain_id, token_address: request.token_address.toLowerCase(), token_key: tokenKey, value, sequence }, options.signal)
      this.components.onValue?.(cid)
      return info
    })
  }

  list (): IpnsNameInfo[] {
    return Object.values(this.read().names).sort((a, b) => a.chain_id.localeCompare(b.chain_id) || a.token_address.localeCompare(b.token_address))
  }

  resolve (name: string): IpnsNameInfo {
    const canonical = ipnsNameOf(name)
    const found = Object.values(this.read().names).find(n => n.name === canonical)
    if (found === undefined) throw new IpnsNameNotFoundError(name)
    return found
  }

  values (): string[] {
    return this.list().map(n => n.value.slice('/ipfs/'.length))
  }

  async republish (options: { signal?: AbortSignal } = {}): Promise<void> {
    for (const tokenKey of Object.keys(this.read().names)) {
      if (this.controller?.signal.aborted !== false || options.signal?.aborted === true) return
      await this.serially(async () => {
        const current = this.read().names[tokenKey]
        if (current === undefined) return
        await this.sign(await this.keyOf(tokenKey), current, options.signal)
      })
    }
  }

  /** Signs a record (V1+V2 signatures, as Kubo reads both), keeps it, and puts it on the DHT when there is one. */
  private async sign (key: PrivateKey, entry: Pick<IpnsNameInfo, 'chain_id' | 'token_address' | 'token_key' | 'value' | 'sequence'>, signal?: AbortSignal): Promise<IpnsNameInfo> {
    const record = await createIPNSRecord(key, entry.value, entry.sequence, IPNS_RECORD_LIFETIME_MS, { v1Compatible: true, ttlNs: BigInt(IPNS_RECORD_TTL_MS) * 1_000_000n })
    const peerId = peerIdFromPrivateKey(key)
    let dhtPeers = 0
    if (this.components.putRecord !== undefined) {
      const stop = [AbortSignal.timeout(IPNS_PUBLISH_TIMEOUT_MS), ...(signal === undefined ? [] : [signal]), ...(this.controller === undefined ? [] : [this.controller.signal])]
      try {
        dhtPeers = await this.components.putRecord(multihashToIPNSRoutingKey(peerId.toMultihash()), marshalIPNSRecord(record), { signal: AbortSignal.any(stop) })
      } catch (err) {
        // The record is kept and served by the gateway all the same; the next republish tries again.
        this.components.log('could not put the IPNS record of %s on the DHT: %s', entry.token_key, (err as Error).message)
      }
    }
    const now = new Date()
    const info: IpnsNameInfo = {
      name: peerId.toCID().toString(base36),
      ...entry,
      published_at: now.toISOString(),
      expires_at: new Date(now.getTime() + IPNS_RECORD_LIFETIME_MS).toISOString(),
      dht_peers: dhtPeers,
    }
    const file = this.read()
    file.names[entry.token_key] = info
    this.write(file)
    return info
  }

  /** The collection's key: made once, sealed in the credentials file, never written in clear. */
  private async keyOf (tokenKey: string): Promise<PrivateKey> {
    const id = `ipns/${tokenKey}`
    const sealed = this.components.vault.get(id)
    if (sealed !== undefined) return privateKeyFromProtobuf(Buffer.from(sealed, 'base64'))
    const key = await generateKeyPair('Ed25519')
    this.components.vault.set(id, Buffer.from(privateKeyToProtobuf(key)).toString('base64'))
    return key
  }

  /** One change at a time: each reads the file, so a sequence is never reused. */
  private async serially<T> (run: () => Promise<T>): Promise<T> {
    const result = this.tail.then(run, run)
    this.tail = result.catch(() => {})
    return await result
  }

  private read (): NamesFile {
    let text: string
    try {
      if (fs.statSync(this.file).size > MAX_IPNS_NAMES_FILE_BYTES) throw new IpnsNamesFileError(this.file, `larger than ${MAX_IPNS_NAMES_FILE_BYTES} bytes`)
      text = fs.readFileSync(this.file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, names: Object.create(null) as Record<string, IpnsNameInfo> }
      throw err
    }
    let parsed: Partial<NamesFile> | null
    try {
      parsed = JSON.parse(text) as Partial<NamesFile> | null
    } catch {
      throw new IpnsNamesFileError(this.file, 'it is not JSON')
    }
    if (parsed?.version !== 1 || typeof parsed.names !== 'object' || parsed.names === null) throw new IpnsNamesFileError(this.file, 'it is not an IPNS names file')
    return { version: 1, names: Object.assign(Object.create(null) as Record<string, IpnsNameInfo>, parsed.names) }
  }

  /** Replaced at once (a crash leaves the old file or the new one), owner-only. */
  private write (file: NamesFile): void {
    const temp = `${this.file}.${process.pid}.tmp`
    fs.writeFileSync(temp, JSON.stringify(file, null, 2) + '\n', { mode: 0o600 })
    fs.renameSync(temp, this.file)
  }
}

export function createIpnsNames (components: IpnsNamesComponents): IpnsNames {
  return new FileIpnsNames(components)
}
