// Node provides the WebAssembly JS API as a global, but @types/node does not declare it and
// TypeScript ships it only inside the DOM lib, which would also let browser-only names (window,
// document) type-check in Node code. So: the part of the API this project uses, declared once.
declare namespace WebAssembly {
  type ExportedFunction = (...args: never[]) => unknown
  type ImportValue = ExportedFunction | Global | Memory | Table | number
  type Imports = Record<string, Record<string, ImportValue>>
  type Exports = Record<string, ExportedFunction | Global | Memory | Table>

  interface ModuleExportDescriptor { name: string, kind: 'function' | 'table' | 'memory' | 'global' | 'tag' }
  interface ModuleImportDescriptor { module: string, name: string, kind: 'function' | 'table' | 'memory' | 'global' | 'tag' }

  class Module {
    constructor (bytes: Uint8Array | ArrayBuffer)
    static exports (module: Module): ModuleExportDescriptor[]
    static imports (module: Module): ModuleImportDescriptor[]
    static customSections (module: Module, sectionName: string): ArrayBuffer[]
  }

  class Instance {
    constructor (module: Module, imports?: Imports)
    readonly exports: Exports
  }

  class Memory {
    constructor (descriptor: { initial: number, maximum?: number })
    readonly buffer: ArrayBuffer
    grow (delta: number): number
  }

  class Table {
    readonly length: number
  }

  class Global {
    value: unknown
  }

  class CompileError extends Error {}
  class LinkError extends Error {}
  class RuntimeError extends Error {}

  function compile (bytes: Uint8Array | ArrayBuffer): Promise<Module>
  function validate (bytes: Uint8Array | ArrayBuffer): boolean
  function instantiate (bytes: Uint8Array | ArrayBuffer, imports?: Imports): Promise<{ module: Module, instance: Instance }>
  function instantiate (module: Module, imports?: Imports): Promise<Instance>
}
