import { describe, expect, it } from 'vitest'
import { CONTRACT_MAX_WASM_BYTES, limitMemory } from '../../src-main/marine/index.js'

// Hand-assembled modules: small enough to read, and independent of our own toolchain.
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]
const TYPES = [0x01, 0x06, 0x01, 0x60, 0x01, 0x7f, 0x01, 0x7f] // (i32) -> i32
const FUNCS = [0x03, 0x02, 0x01, 0x00]
// exports: "memory" (memory 0), "grow" (func 0)
const EXPORTS = [0x07, 0x11, 0x02, 0x06, ...Buffer.from('memory'), 0x02, 0x00, 0x04, ...Buffer.from('grow'), 0x00, 0x00]
// grow(n) = memory.grow(n)
const CODE = [0x0a, 0x08, 0x01, 0x06, 0x00, 0x20, 0x00, 0x40, 0x00, 0x0b]
const memory = (limits: number[]): number[] => [0x05, limits.length + 1, 0x01, ...limits]
const moduleWith = (...sections: number[][]): Uint8Array => new Uint8Array([...HEADER, ...sections.flat()])

async function grow (wasm: Uint8Array, pages: number): Promise<number> {
  const instance = new WebAssembly.Instance(await WebAssembly.compile(wasm))
  return (instance.exports.grow as (n: number) => number)(pages)
}

describe('limitMemory', () => {
  it('gives an uncapped memory a maximum, so growing past the budget fails inside the module', async () => {
    const original = moduleWith(TYPES, FUNCS, memory([0x00, 0x01]), EXPORTS, CODE)
    expect(await grow(original, 100)).toBe(1) // unlimited before: grows from 1 page
    const capped = limitMemory(original, 16)
    expect(capped).toMatchObject({ initialPages: 1, maxPages: 16 })
    expect(await grow(capped.wasm, 15)).toBe(1)
    expect(await grow(capped.wasm, 16)).toBe(-1)
  })

  it('lowers a declared maximum above the budget and keeps one below it', () => {
    expect(limitMemory(moduleWith(TYPES, FUNCS, memory([0x01, 0x01, 0x90, 0x4e]), EXPORTS, CODE), 16).maxPages).toBe(16) // max 10000
    expect(limitMemory(moduleWith(TYPES, FUNCS, memory([0x01, 0x01, 0x04]), EXPORTS, CODE), 16).maxPages).toBe(4)
  })

  it('keeps every other section byte for byte', () => {
    const original = moduleWith(TYPES, FUNCS, memory([0x00, 0x01]), EXPORTS, CODE)
    const capped = limitMemory(original, 16).wasm
    const memoryStart = HEADER.length + TYPES.length + FUNCS.length
    expect([...capped.subarray(0, memoryStart)]).toEqual([...original.subarray(0, memoryStart)])
    expect([...capped.subarray(memoryStart)]).toEqual([...memory([0x01, 0x01, 0x10]), ...EXPORTS, ...CODE])
  })

  it('refuses modules it cannot bound, saying why', () => {
    expect(() => limitMemory(moduleWith(TYPES, FUNCS, memory([0x00, 0x20]), EXPORTS, CODE), 16)).toThrow('asks for 2 MiB of memory at start; a contract may use at most 1 MiB')
    const importMemory = [0x02, 0x0f, 0x01, 0x03, ...Buffer.from('env'), 0x06, ...Buffer.from('memory'), 0x02, 0x00, 0x01]
    expect(() => limitMemory(moduleWith(importMemory), 16)).toThrow('imports its memory')
    expect(() => limitMemory(moduleWith(TYPES, FUNCS, memory([0x03, 0x01, 0x02]), EXPORTS, CODE), 16)).toThrow('shared or 64-bit memory')
    expect(() => limitMemory(moduleWith(TYPES), 16)).toThrow('declares no memory')
    expect(() => limitMemory(new TextEncoder().encode('#!/bin/sh\nrm -rf /\n'), 16)).toThrow('not a WebAssembly module')
    expect(() => limitMemory(moduleWith([0x05, 0x7f, 0x01]), 16)).toThrow('runs past the end')
    expect(() => limitMemory(new Uint8Array(CONTRACT_MAX_WASM_BYTES + 1), 16)).toThrow(`the limit is ${CONTRACT_MAX_WASM_BYTES}`)
  })
})
