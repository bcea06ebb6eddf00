/**
 * The particle wire format of /fluence/particle/2.0.0 (js-client 0.9.0 and Nox; docs/FLUENCE.md, "The wire format"):
 *
 *   frame   = uvarint(len(message)) ‖ message
 *   message = 0x81 0x04 ‖ msgpack(map)     multicodec 0x0201 "messagepack"; the only form we send
 *           | 0x80 0x04 ‖ json(map)        multicodec 0x0200 "json"; accepted, never sent
 *   map     = { action: "Particle", id, init_peer_id, timestamp: u64 ms, ttl: u32 ms, script,
 *               signature: bytes(64), data: bytes }
 *   signed  = utf8(id) ‖ u64le(timestamp) ‖ u32le(ttl) ‖ utf8(script), Ed25519 by init_peer_id
 *
 * We send `signature` and `data` as msgpack bin. We accept bin, arrays of byte numbers (what
 * js-client 0.9.0 sends, and cannot read back itself) and base64 strings.
 */
import { Buffer } from 'node:buffer'
import { peerIdFromString } from '@libp2p/peer-id'
import { decode as msgpackDecode, Encoder } from '@msgpack/msgpack'
import { MAX_PARTICLE_BYTES, MAX_PARTICLE_CLOCK_SKEW_MS, MAX_PARTICLE_DEADLINE_MS } from './constants.js'
import { ParticleFormatError, ParticleSignatureError, ParticleTimeError } from './errors.js'
import type { Particle } from './internals.js'
import { encodeUvarint, readUvarint } from '../util/index.js'

const MULTICODEC_MSGPACK = [0x81, 0x04] as const
const MULTICODEC_JSON = [0x80, 0x04] as const
/** A u64 length never needs more than 10 varint bytes; ours fit in far fewer. */
const MAX_VARINT_BYTES = 9
const MAX_U32 = 0xffff_ffff
const utf8 = new TextEncoder()
const msgpack = new Encoder({ ignoreUndefined: true })

export { encodeUvarint }

/** [value, bytes read], or undefined when the buffer ends inside the varint. */
export function decodeUvarint (buf: Uint8Array, offset = 0): [number, number] | undefined {
  const head = readUvarint(buf, offset, MAX_VARINT_BYTES)
  if (head === null) throw new ParticleFormatError('the length prefix is not a valid varint')
  return head === undefined ? undefined : [head.value, head.length]
}

/** Prefixes a message with its length. */
export function frame (message: Uint8Array): Uint8Array {
  const len = encodeUvarint(message.length)
  const out = new Uint8Array(len.length + message.length)
  out.set(len, 0)
  out.set(message, len.length)
  return out
}

/**
 * Splits a byte stream into messages; chunks may cut or join frames anywhere. Chunks are kept as
 * they came and joined once, when a message is whole: a large particle arriving in many chunks
 * costs one copy, not one copy of everything received so far per chunk.
 */
export class FrameDecoder {
  private chunks: Uint8Array[] = []
  private length = 0
  /** The length prefix of the message being received, once it is whole. */
  private head: { value: number, length: number } | undefined

  constructor (private readonly maxLength = MAX_PARTICLE_BYTES) {}

  /** Feeds a chunk; returns the messages it completed. Throws ParticleFormatError on an oversize or bad prefix. */
  push (chunk: Uint8Array): Uint8Array[] {
    if (chunk.length > 0) {
      this.chunks.push(chunk)
      this.length += chunk.length
    }
    const out: Uint8Array[] = []
    for (;;) {
      if (this.head === undefined) {
        const [len, n] = decodeUvarint(this.take(Math.min(this.length, MAX_VARINT_BYTES), false)) ?? []
        if (len === undefined || n === undefined) break
        if (len > this.maxLength) throw new ParticleFormatError(`a message of ${len} bytes is over the ${this.maxLength}-byte limit`)
        this.head = { value: len, length: n }
      }
      const { value, length } = this.head
      if (this.length < length + value) break
      this.take(length, true)
      out.push(this.take(value, true))
      this.head = undefined
    }
    return out
  }

  /** Bytes received that do not make a whole message yet. */
  get pending (): number { return this.length }

  /** The first `n` bytes received (a fresh copy unless one chunk holds them), removed when `consume`. */
  private take (n: number, consume: boolean): Uint8Array {
    const first = this.chunks[0]
    let bytes: Uint8Array
    if (first !== undefined && first.length >= n) {
      bytes = consume ? first.slice(0, n) : first.subarray(0, n)
    } else {
      bytes = new Uint8Array(n)
      let at = 0
      for (const chunk of this.chunks) {
        if (at === n) break
        const part = chunk.subarray(0, n - at)
        bytes.set(part, at)
        at += part.length
      }
    }
    if (consume) this.drop(n)
    return bytes
  }

  private drop (n: number): void {
    this.length -= n
    while (n > 0) {
      const first = this.chunks[0] as Uint8Array
      if (first.length > n) {
        this.chunks[0] = first.subarray(n)
        return
      }
      n -= first.length
      this.chunks.shift()
    }
  }
}

const asBytes = (b: Uint8Array | ArrayLike<number>): Uint8Array => b instanceof Uint8Array ? b : Uint8Array.from(b)

/** A particle as one message (no length prefix): msgpack, binary fields. */
export function encodeParticle (p: Particle): Uint8Array {
  const body = msgpack.encode({
    action: 'Particle',
    id: p.id,
    init_peer_id: p.initPeerId,
    // integers over 2^32 are written as uint64 (0xcf), as Nox (u64) and js-client write them
    timestamp: p.timestamp,
    ttl: p.ttl,
    script: p.script,
    signature: asBytes(p.signature),
    data: asBytes(p.data),
  })
  const out = new Uint8Array(2 + body.length)
  out.set(MULTICODEC_MSGPACK, 0)
  out.set(body, 2)
  return out
}

function bytesField (value: unknown, name: string): Uint8Array {
  if (value instanceof Uint8Array) return value
  if (Array.isArray(value)) {
    if (!value.every(x => Number.isInteger(x) && (x as number) >= 0 && (x as number) <= 255)) throw new ParticleFormatError(`${name}: the array is not bytes`)
    return Uint8Array.from(value as number[])
  }
  if (typeof value === 'string') return new Uint8Array(Buffer.from(value, 'base64'))
  throw new ParticleFormatError(`${name}: expected bytes`)
}

function parseBody (message: Uint8Array): Record<string, unknown> {
  const [a, b] = message
  let obj: unknown
  if (a === MULTICODEC_MSGPACK[0] && b === MULTICODEC_MSGPACK[1]) {
    try {
      obj = msgpackDecode(message.subarray(2), { useBigInt64: false })
    } catch (err) {
      throw new ParticleFormatError(`bad msgpack: ${(err as Error).message}`)
    }
  } else if (a === MULTICODEC_JSON[0] && b === MULTICODEC_JSON[1]) {
    try {
      obj = JSON.parse(new TextDecoder().decode(message.subarray(2)))
    } catch (err) {
      throw new ParticleFormatError(`bad JSON: ${(err as Error).message}`)
    }
  } else {
    throw new ParticleFormatError(`unknown multicodec prefix 0x${Buffer.from(message.subarray(0, 2)).toString('hex')}`)
  }
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) throw new ParticleFormatError('the message is not a map')
  return obj as Record<string, unknown>
}

/** Parses one message (either encoding). Checks shapes only: not the signature, not the time. */
export function decodeParticle (message: Uint8Array): Particle {
  const obj = parseBody(message)
  if (obj.action !== undefined && obj.action !== 'Particle') throw new ParticleFormatError(`unsupported action ${String(obj.action)}`)
  const { id, init_peer_id: initPeerId, script, ttl } = obj
  const timestamp = typeof obj.timestamp === 'bigint' ? Number(obj.timestamp) : obj.timestamp
  if (typeof id !== 'string' || typeof initPeerId !== 'string' || typeof script !== 'string') throw new ParticleFormatError('id, init_peer_id and script must be strings')
  if (typeof timestamp !== 'number' || !Number.isSafeInteger(timestamp) || timestamp <= 0) throw new ParticleFormatError('timestamp must be a positive integer')
  if (typeof ttl !== 'number' || !Number.isInteger(ttl) || ttl <= 0 || ttl > MAX_U32) throw new ParticleFormatError('ttl must be a positive u32')
  return { id, initPeerId, timestamp, ttl, script, signature: bytesField(obj.signature, 'signature'), data: bytesField(obj.data, 'data') }
}

/** The bytes init_peer_id signs (Nox `Particle::as_bytes`, js-client `buildParticleMessage`). */
export function particleSigningBytes (p: Pick<Particle, 'id' | 'timestamp' | 'ttl' | 'script'>): Uint8Array {
  const id = utf8.encode(p.id)
  const script = utf8.encode(p.script)
  const out = new Uint8Array(id.length + 12 + script.length)
  const view = new DataView(out.buffer)
  out.set(id, 0)
  view.setBigUint64(id.length, BigInt(p.timestamp), true)
  view.setUint32(id.length + 8, p.ttl, true)
  out.set(script, id.length + 12)
  return out
}

/** Throws ParticleSignatureError unless the signature verifies under the key inside init_peer_id. */
export async function verifyParticle (p: Particle): Promise<void> {
  let key
  try {
    key = peerIdFromString(p.initPeerId).publicKey
  } catch {
    throw new ParticleSignatureError(p.id, p.initPeerId)
  }
  // Only peer ids that embed their key (Ed25519, 12D3KooW…) can be checked.
  if (key === undefined || !(await key.verify(particleSigningBytes(p), p.signature))) throw new ParticleSignatureError(p.id, p.initPeerId)
}

/**
 * Throws ParticleTimeError when a particle is expired, stamped in the future beyond the clock
 * skew, or has a deadline further ahead than the node holds particles for.
 */
export function checkParticleTime (p: Pick<Particle, 'id' | 'timestamp' | 'ttl'>, now = Date.now()): void {
  if (p.timestamp > now + MAX_PARTICLE_CLOCK_SKEW_MS) throw new ParticleTimeError(`particle ${p.id} is stamped ${p.timestamp - now} ms in the future`)
  const left = p.timestamp + p.ttl - now
  if (left <= 0) throw new ParticleTimeError(`particle ${p.id} expired ${-left} ms ago`)
  if (left > MAX_PARTICLE_DEADLINE_MS) throw new ParticleTimeError(`particle ${p.id} would live ${left} ms, over the ${MAX_PARTICLE_DEADLINE_MS} ms limit`)
}
