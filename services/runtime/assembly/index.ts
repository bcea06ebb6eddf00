// The Marine ABI for AssemblyScript services: memory handed to and from Marine, result registers,
// and host logging. Generated glue (services/toolchain/generate-glue.ts) calls these helpers.

// Memory lent to Marine for results; valid until Marine calls release_objects.
const owned = new Array<usize>();
let resultPtr: usize = 0;
let resultSize: usize = 0;
// Scratch space for a (pointer, length) pair produced for a top-level result.
const pairScratch: usize = memory.data(8);

/** Marine asks for a buffer to write an argument into; the service owns and frees it. */
export function allocate(size: usize, _tag: i32): usize {
  if (size == 0) return 0;
  return heap.alloc(size);
}

export function release_objects(): void {
  for (let i = 0, n = owned.length; i < n; i++) heap.free(unchecked(owned[i]));
  owned.length = 0;
}

export function get_result_ptr(): usize {
  return resultPtr;
}

export function get_result_size(): usize {
  return resultSize;
}

export function set_result_ptr(ptr: usize): void {
  resultPtr = ptr;
}

export function set_result_size(size: usize): void {
  resultSize = size;
}

/** Frees an argument buffer Marine wrote (empty values arrive as pointer 0). */
export function freeArg(ptr: usize): void {
  if (ptr != 0) heap.free(ptr);
}

/** Allocates result memory that stays valid until release_objects. */
export function allocOwned(size: usize): usize {
  if (size == 0) return 0;
  const ptr = heap.alloc(size);
  owned.push(ptr);
  return ptr;
}

export function liftString(ptr: usize, len: usize): string {
  if (len == 0) {
    freeArg(ptr);
    return "";
  }
  const text = String.UTF8.decodeUnsafe(ptr, len);
  heap.free(ptr);
  return text;
}

export function liftBytes(ptr: usize, len: usize): Uint8Array {
  const out = new Uint8Array(<i32>len);
  if (len > 0) memory.copy(out.dataStart, ptr, len);
  freeArg(ptr);
  return out;
}

/** Writes `text` as (pointer, byte length) at `dst`. */
export function lowerString(text: string, dst: usize): void {
  // A field left uninitialised in a record reads as null: send it as the empty string.
  if (changetype<usize>(text) == 0 || text.length == 0) {
    store<u32>(dst, 0);
    store<u32>(dst, 0, 4);
    return;
  }
  // A lone surrogate becomes U+FFFD (3 bytes, as byteLength counts it), as a WHATWG encoder does:
  // Marine rejects the WTF-8 bytes AssemblyScript writes by default.
  const size = <usize>String.UTF8.byteLength(text);
  const ptr = allocOwned(size);
  String.UTF8.encodeUnsafe(changetype<usize>(text), text.length, ptr, false, String.UTF8.ErrorMode.REPLACE);
  store<u32>(dst, <u32>ptr);
  store<u32>(dst, <u32>size, 4);
}

export function lowerBytes(data: Uint8Array, dst: usize): void {
  if (changetype<usize>(data) == 0 || data.length == 0) {
    store<u32>(dst, 0);
    store<u32>(dst, 0, 4);
    return;
  }
  const size = <usize>data.length;
  const ptr = allocOwned(size);
  memory.copy(ptr, data.dataStart, size);
  store<u32>(dst, <u32>ptr);
  store<u32>(dst, <u32>size, 4);
}

/** Where a top-level (pointer, length) result is staged before returnPair. */
export function resultPair(): usize {
  return pairScratch;
}

export function returnPair(): void {
  resultPtr = <usize>load<u32>(pairScratch);
  resultSize = <usize>load<u32>(pairScratch, 4);
}

export function returnRecord(ptr: usize): void {
  resultPtr = ptr;
  resultSize = 0;
}

@external("host", "log_utf8_string")
declare function log_utf8_string(level: i32, target: i32, ptr: usize, len: usize): void;

/** Log levels as Marine's host logger numbers them. */
export const LOG_ERROR: i32 = 1;
export const LOG_WARN: i32 = 2;
export const LOG_INFO: i32 = 3;
export const LOG_DEBUG: i32 = 4;
export const LOG_TRACE: i32 = 5;

/** Sends a message to the host logger (shown when the service's log level allows it). */
export function log(level: i32, message: string): void {
  const data = String.UTF8.encode(message, false, String.UTF8.ErrorMode.REPLACE);
  log_utf8_string(level, 0, changetype<usize>(data), <usize>data.byteLength);
}
