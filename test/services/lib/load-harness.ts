// Compiles services/lib's AssemblyScript test entry with the flags services use and loads it
// through the JS bindings asc generates (which convert strings and byte arrays).
//
// An optimized compile takes several seconds and every test file runs in its own process, so
// the output is cached in the OS temp directory under a hash of the sources, the flags and
// the compiler version; any change to services/lib produces a fresh compile.
import { createHash } from 'node:crypto'
import { mkdtemp, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, relative } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import asc from 'assemblyscript/asc'

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url))
const LIBRARY_DIR = join(REPO_ROOT, 'services/lib')
const HARNESS_ENTRY = 'services/lib/test-harness/assembly/index.ts'
const COMPILE_FLAGS = ['--runtime', 'incremental', '--use', 'abort=', '--bindings', 'raw', '--optimize']

export interface LibHarness {
  readonly memory: WebAssembly.Memory
  __collect(): void
  sha256(data: Uint8Array): Uint8Array
  base58Encode(data: Uint8Array): string
  base58Decode(text: string): Uint8Array | null
  utf8Encode(text: string): Uint8Array
  utf8Decode(bytes: Uint8Array): string
  hexEncode(bytes: Uint8Array): string
  toLowerAscii(text: string): string
  decimalToHex64(decimal: string): string | null
  readonly JSON_MAX_DEPTH: { readonly value: number }
  jsonLastError(): string
  jsonLastErrorOffset(): number
  jsonRoundTrip(text: string): string | null
  jsonSortKeys(text: string): string | null
  jsonSortKeysThenMutateOriginal(text: string): string | null
  jsonNumberToF64(text: string): number
  jsonNumberIsInteger(text: string): number
  jsonNumberFromI64(value: bigint): string
  jsonQuote(value: string): string
  jsonDescribe(text: string): string | null
  jsonObjectEditScript(): string
}

interface RawBindings {
  instantiate(module: WebAssembly.Module, imports?: WebAssembly.Imports): Promise<LibHarness>
}

export interface LoadedHarness {
  harness: LibHarness
  module: WebAssembly.Module
}

/** Compiles (or reuses the cached compile of) the harness and instantiates it with no imports. */
export async function loadHarness(): Promise<LoadedHarness> {
  const outDir = await compiledHarnessDir()
  const module = await WebAssembly.compile(await readFile(join(outDir, 'harness.wasm')))
  const bindings = (await import(pathToFileURL(join(outDir, 'harness.js')).href)) as RawBindings
  return { harness: await bindings.instantiate(module, {}), module }
}

async function compiledHarnessDir(): Promise<string> {
  const cacheDir = join(tmpdir(), `lineage-services-lib-harness-${await sourceHash()}`)
  if (await exists(join(cacheDir, 'harness.js'))) return cacheDir

  const buildDir = await mkdtemp(join(tmpdir(), 'lineage-services-lib-build-'))
  const compiled = await asc.main([
    HARNESS_ENTRY,
    '--baseDir', REPO_ROOT,
    '--outFile', relative(REPO_ROOT, join(buildDir, 'harness.wasm')),
    ...COMPILE_FLAGS,
  ])
  if (compiled.error) {
    await rm(buildDir, { recursive: true, force: true })
    throw new Error(`asc failed: ${compiled.error.message}\n${compiled.stderr.toString()}`)
  }
  try {
    await rename(buildDir, cacheDir)
  } catch {
    // Another test process finished the same compile first; its output is identical.
    await rm(buildDir, { recursive: true, force: true })
  }
  return cacheDir
}

async function sourceHash(): Promise<string> {
  const hash = createHash('sha256').update(asc.version).update(COMPILE_FLAGS.join(' '))
  const files = (await readdir(LIBRARY_DIR, { recursive: true })).filter((file) => file.endsWith('.ts')).sort()
  for (const file of files) {
    hash.update(file).update('\0').update(await readFile(join(LIBRARY_DIR, file))).update('\0')
  }
  return hash.digest('hex').slice(0, 16)
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  )
}
