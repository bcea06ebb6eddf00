// SHA-256 as specified in FIPS 180-4. Services hash small inputs (keys, documents of a few KB),
// so this favours a plain, checkable implementation over unrolled speed.

// First 32 bits of the fractional parts of the cube roots of the first 64 primes (§4.2.2).
const ROUND_CONSTANTS: StaticArray<u32> = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

// First 32 bits of the fractional parts of the square roots of the first 8 primes (§5.3.3).
const INITIAL_STATE: StaticArray<u32> = [
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

const BLOCK_BYTES: i32 = 64;
// A message's last block must leave 8 bytes for the bit length and 1 for the 0x80 marker.
const LAST_BLOCK_DATA_LIMIT: i32 = BLOCK_BYTES - 9;

export const SHA256_BYTES: i32 = 32;

export function sha256(data: Uint8Array): Uint8Array {
  const state = new StaticArray<u32>(8);
  for (let i = 0; i < 8; i++) state[i] = INITIAL_STATE[i];
  const schedule = new StaticArray<u32>(64);

  const length = data.length;
  const fullBlocks = length / BLOCK_BYTES;
  for (let block = 0; block < fullBlocks; block++) {
    compressBlock(state, schedule, data, block * BLOCK_BYTES);
  }

  const remaining = length - fullBlocks * BLOCK_BYTES;
  const tailLength = remaining <= LAST_BLOCK_DATA_LIMIT ? BLOCK_BYTES : 2 * BLOCK_BYTES;
  const tail = new Uint8Array(tailLength);
  tail.set(data.subarray(fullBlocks * BLOCK_BYTES));
  tail[remaining] = 0x80;
  const bitLength = <u64>length << 3;
  for (let i = 0; i < 8; i++) tail[tailLength - 1 - i] = <u8>(bitLength >> (<u64>i * 8));
  for (let offset = 0; offset < tailLength; offset += BLOCK_BYTES) {
    compressBlock(state, schedule, tail, offset);
  }

  const digest = new Uint8Array(SHA256_BYTES);
  for (let i = 0; i < 8; i++) {
    const word = state[i];
    digest[i * 4] = <u8>(word >>> 24);
    digest[i * 4 + 1] = <u8>(word >>> 16);
    digest[i * 4 + 2] = <u8>(word >>> 8);
    digest[i * 4 + 3] = <u8>word;
  }
  return digest;
}

function compressBlock(
  state: StaticArray<u32>,
  schedule: StaticArray<u32>,
  bytes: Uint8Array,
  offset: i32,
): void {
  for (let t = 0; t < 16; t++) {
    const at = offset + t * 4;
    schedule[t] =
      (<u32>bytes[at] << 24) | (<u32>bytes[at + 1] << 16) | (<u32>bytes[at + 2] << 8) | <u32>bytes[at + 3];
  }
  for (let t = 16; t < 64; t++) {
    const w15 = schedule[t - 15];
    const w2 = schedule[t - 2];
    const sigma0 = rotr<u32>(w15, 7) ^ rotr<u32>(w15, 18) ^ (w15 >>> 3);
    const sigma1 = rotr<u32>(w2, 17) ^ rotr<u32>(w2, 19) ^ (w2 >>> 10);
    schedule[t] = schedule[t - 16] + sigma0 + schedule[t - 7] + sigma1;
  }

  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  let e = state[4];
  let f = state[5];
  let g = state[6];
  let h = state[7];
  for (let t = 0; t < 64; t++) {
    const bigSigma1 = rotr<u32>(e, 6) ^ rotr<u32>(e, 11) ^ rotr<u32>(e, 25);
    const choose = (e & f) ^ (~e & g);
    const temp1 = h + bigSigma1 + choose + ROUND_CONSTANTS[t] + schedule[t];
    const bigSigma0 = rotr<u32>(a, 2) ^ rotr<u32>(a, 13) ^ rotr<u32>(a, 22);
    const majority = (a & b) ^ (a & c) ^ (b & c);
    const temp2 = bigSigma0 + majority;
    h = g;
    g = f;
    f = e;
    e = d + temp1;
    d = c;
    c = b;
    b = a;
    a = temp1 + temp2;
  }
  state[0] += a;
  state[1] += b;
  state[2] += c;
  state[3] += d;
  state[4] += e;
  state[5] += f;
  state[6] += g;
  state[7] += h;
}
