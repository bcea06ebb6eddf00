// Runs the AssemblyScript compiler in-process over a service folder, serving the generated entry
// and the @lineage/* packages from memory so nothing is written next to the user's sources.
import { readFile } from 'node:fs/promises'
import path from 'node:path'
import { CompileError } from './errors.js'
import { resolveModule } from './packages.js'

/** The part of asc's API the toolchain uses. */
interface MemoryStream { toString(): string }
interface AscApi {
  createMemoryStream(): MemoryStream
  main(argv: string[], options: {
    stdout: MemoryStream
    stderr: MemoryStream
    readFile(name: string, baseDir: string): Promise<string | null>
    writeFile(name: string, contents: Uint8Array | string): void
    listFiles(): string[]
  }): Promise<{ error: Error | null }>
}

// Loaded by a specifier TypeScript does not resolve: asc's own typings declare globals
// (`console`, `require`, `global`) that would replace Node's for the whole program.
const ASC_MODULE: string = 'assemblyscript/asc'
let ascModule: Promise<AscApi> | undefined
const loadAsc = async (): Promise<AscApi> => {
  ascModule ??= import(ASC_MODULE).then(m => (m as { default: AscApi }).default)
  return ascModule
}

/** Flags Marine needs: no `env.abort` import, and the GC that frees memory on its own. */
export const ASC_FLAGS: readonly string[] = [
  '--runtime', 'incremental',
  '--use', 'abort=',
  '--optimizeLevel', '3',
  '--shrinkLevel', '1',
  '--noColors',
]

const DEBUG_FLAGS: readonly string[] = ['--debug', '--optimizeLevel', '0', '--shrinkLevel', '0']

/** Where asc is told to look for packages; reads under it are mapped to services/<pkg>/assembly. */
const VIRTUAL_PACKAGES = '/__lineage_packages__'

export interface CompileOptions {
  /** The service's `assembly/` folder. */
  assemblyDir: string
  /** File name (inside assemblyDir) and text of the generated entry. */
  entryName: string
  entrySource: string
  servicesRoot: string
  /** Unoptimised, with names and debug info, so traps show function names. */
  debug?: boolean
}

export async function compileAssemblyScript(options: CompileOptions): Promise<Uint8Array> {
  const entryPath = path.join(options.assemblyDir, options.entryName)
  let binary: Uint8Array | undefined
  const asc = await loadAsc()
  const stderr = asc.createMemoryStream()
  const { error } = await asc.main([entryPath, '--outFile', 'service.wasm', '--path', VIRTUAL_PACKAGES, ...ASC_FLAGS, ...(options.debug === true ? DEBUG_FLAGS : [])], {
    stdout: asc.createMemoryStream(),
    stderr,
    readFile: async (name: string, baseDir: string) => {
      const full = path.resolve(baseDir, name)
      if (full === entryPath) return options.entrySource
      let target = full
      if (full.startsWith(`${VIRTUAL_PACKAGES}/`)) {
        // asc asks for <path>/<package>/<file>.ts; map it onto the package's assembly/ folder.
        const inner = full.slice(VIRTUAL_PACKAGES.length + 1).replace(/\.ts$/, '')
        const mapped = resolveModule(full, inner, options.servicesRoot)
        if (mapped === null) return null
        target = mapped
      }
      try {
        return await readFile(target, 'utf8')
      } catch {
        return null
      }
    },
    writeFile: (name: string, contents: Uint8Array | string) => {
      if (name.endsWith('.wasm') && typeof contents !== 'string') binary = contents
    },
    listFiles: () => [],
  })
  if (error !== null || binary === undefined) {
    const diagnostics = stderr.toString()
    throw new CompileError(`AssemblyScript compilation of ${options.assemblyDir} failed: ${firstError(diagnostics, error)}`, diagnostics)
  }
  return binary
}

/** The first error and the source location asc prints under it ("└─ in file(line,col)"). */
function firstError(diagnostics: string, error: Error | null): string {
  const lines = diagnostics.split('\n')
  const start = lines.findIndex((line) => line.includes('ERROR'))
  if (start < 0) return error?.message ?? 'no output'
  const location = lines.slice(start + 1, start + 8).find((line) => line.includes('└─ in '))
  const where = location === undefined ? '' : ` (${location.replace(/.*└─ in /, '').trim()})`
  return `${(lines[start] ?? '').trim()}${where}`
}
