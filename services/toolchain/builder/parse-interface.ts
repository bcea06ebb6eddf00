// Reads a service's interface from its AssemblyScript entry: exported functions and the record
// classes they use. AssemblyScript syntax is a TypeScript subset, so the TypeScript parser reads it.
import { readFileSync } from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import { NameTooLongError, ServiceBuildError, TooManyItemsError, UnsupportedTypeError } from './errors.js'
import { MAX_LIST_ITEMS, MAX_NAME_BYTES, utf8Length } from '../index.js'
import { resolveModule, specifierFor } from './packages.js'
import type { NamedValue, ScalarKind, ServiceFunction, ServiceInterface, ServiceRecord, ValueType } from './service-interface.js'

const SCALAR_NAMES: Readonly<Record<string, ScalarKind>> = {
  bool: 'bool', boolean: 'bool', i8: 's8', i16: 's16', i32: 's32', i64: 's64',
  u8: 'u8', u16: 'u16', u32: 'u32', u64: 'u64', f32: 'f32', f64: 'f64', number: 'f64',
}

/** Export names the Marine ABI itself uses. */
export const RESERVED_EXPORTS: ReadonlySet<string> = new Set([
  'allocate', 'release_objects', 'get_result_size', 'get_result_ptr', 'set_result_size', 'set_result_ptr', 'memory',
])

const SUPPORTED = 'bool, i8…i64, u8…u64, f32, f64, string, Uint8Array, Array<T> or an exported record class'

interface ClassSite {
  declaration: ts.ClassDeclaration
  file: string
}

class SourceSet {
  private files = new Map<string, ts.SourceFile>()

  constructor(private readonly servicesRoot: string) {}

  get(file: string): ts.SourceFile {
    let source = this.files.get(file)
    if (source === undefined) {
      let text: string
      try {
        text = readFileSync(file, 'utf8')
      } catch {
        throw new ServiceBuildError(`cannot read AssemblyScript source ${file}`)
      }
      source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS)
      this.files.set(file, source)
    }
    return source
  }

  resolve(fromFile: string, specifier: string): string | null {
    return resolveModule(fromFile, specifier, this.servicesRoot)
  }

  /** Finds the class a type name refers to inside `file`: declared there or imported by name. */
  findClass(file: string, name: string, seen = new Set<string>()): ClassSite | null {
    const key = `${file}#${name}`
    if (seen.has(key)) return null
    seen.add(key)
    const source = this.get(file)
    for (const statement of source.statements) {
      if (ts.isClassDeclaration(statement) && statement.name?.text === name) return { declaration: statement, file }
      if (ts.isImportDeclaration(statement) && ts.isStringLiteral(statement.moduleSpecifier)) {
        const bindings = statement.importClause?.namedBindings
        if (bindings === undefined || !ts.isNamedImports(bindings)) continue
        for (const element of bindings.elements) {
          if (element.name.text !== name) continue
          const target = this.resolve(file, statement.moduleSpecifier.text)
          if (target === null) return null
          return this.findExportedClass(target, (element.propertyName ?? element.name).text, seen)
        }
      }
    }
    return null
  }

  private findExportedClass(file: string, name: string, seen: Set<string>): ClassSite | null {
    const source = this.get(file)
    for (const statement of source.statements) {
      if (ts.isClassDeclaration(statement) && statement.name?.text === name && isExported(statement)) {
        return { declaration: statement, file }
      }
      if (ts.isExportDeclaration(statement) && statement.moduleSpecifier && ts.isStringLiteral(statement.moduleSpecifier)) {
        const target = this.resolve(file, statement.moduleSpecifier.text)
        if (target === null) continue
        const clause = statement.exportClause
        if (clause === undefined) {
          const found = this.findExportedClass(target, name, seen)
          if (found !== null) return found
        } else if (ts.isNamedExports(clause)) {
          for (const element of clause.elements) {
            if (element.name.text === name) return this.findExportedClass(target, (element.propertyName ?? element.name).text, seen)
          }
        }
      }
    }
    // `import { X } from '…'; export { X }` and plain local classes.
    return this.findClass(file, name, seen)
  }
}

function isExported(node: ts.Node): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
}

function hasModifier(node: ts.Node, kind: ts.SyntaxKind): boolean {
  return ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind)
}

/** Names as shown in messages: long ones cut to 40 characters. */
function short(name: string): string {
  return name.length > 40 ? `${name.slice(0, 40)}…` : name
}

function checkName(name: string, where: string): void {
  const bytes = utf8Length(name)
  if (bytes > MAX_NAME_BYTES) throw new NameTooLongError(`${where}: the name is ${bytes} bytes; Marine stores at most ${MAX_NAME_BYTES}`)
}

export interface ParseOptions {
  /** The service's `assembly/index.ts`. */
  entryFile: string
  servicesRoot: string
}

export function parseServiceInterface(options: ParseOptions): ServiceInterface {
  const sources = new SourceSet(options.servicesRoot)
  const entry = sources.get(options.entryFile)
  const assemblyDir = path.dirname(options.entryFile)
  const records = new Map<string, ServiceRecord>()
  const recordFiles = new Map<string, string>()
  const ordered: ServiceRecord[] = []
  const resolving = new Set<string>()

  const typeOf = (node: ts.TypeNode | undefined, file: string, where: string): ValueType => {
    if (node === undefined) throw new UnsupportedTypeError(`${where}: a type annotation is required`)
    const text = node.getText()
    const unsupported = (): never => {
      throw new UnsupportedTypeError(`${where}: type "${text}" cannot be expressed in Marine interface types (use ${SUPPORTED})`)
    }
    if (node.kind === ts.SyntaxKind.StringKeyword) return { kind: 'string' }
    if (node.kind === ts.SyntaxKind.BooleanKeyword) return { kind: 'bool' }
    if (node.kind === ts.SyntaxKind.NumberKeyword) return { kind: 'f64' }
    if (ts.isArrayTypeNode(node)) return { kind: 'array', of: typeOf(node.elementType, file, where) }
    if (!ts.isTypeReferenceNode(node) || !ts.isIdentifier(node.typeName)) return unsupported()
    const name = node.typeName.text
    const typeArgs = node.typeArguments ?? []
    if (name === 'Array' && typeArgs.length === 1) return { kind: 'array', of: typeOf(typeArgs[0], file, where) }
    if (typeArgs.length > 0) return unsupported()
    const scalar = SCALAR_NAMES[name]
    if (scalar !== undefined) return { kind: scalar }
    if (name === 'string') return { kind: 'string' }
    if (name === 'Uint8Array') return { kind: 'byte_array' }
    const site = sources.findClass(file, name)
    if (site === null) return unsupported()
    return { kind: 'record', name: recordFrom(site, where) }
  }

  const recordFrom = (site: ClassSite, usedBy: string): string => {
    const name = site.declaration.name?.text ?? ''
    const known = recordFiles.get(name)
    if (known !== undefined) {
      if (known !== site.file) throw new ServiceBuildError(`${usedBy}: two different record classes are named "${name}" (${known} and ${site.file})`)
      if (resolving.has(name)) throw new UnsupportedTypeError(`record "${name}" contains itself; Marine records cannot be recursive`)
      return name
    }
    checkName(name, `record "${short(name)}"`)
    if (!isExported(site.declaration)) throw new ServiceBuildError(`record "${name}" (used by ${usedBy}) must be exported from ${site.file}`)
    if (site.declaration.typeParameters !== undefined) throw new UnsupportedTypeError(`record "${name}" (used by ${usedBy}): generic classes are not supported`)
    recordFiles.set(name, site.file)
    resolving.add(name)
    const fields: NamedValue[] = []
    for (const member of site.declaration.members) {
      if (!ts.isPropertyDeclaration(member) || hasModifier(member, ts.SyntaxKind.StaticKeyword)) continue
      if (hasModifier(member, ts.SyntaxKind.PrivateKeyword) || hasModifier(member, ts.SyntaxKind.ProtectedKeyword)) continue
      if (!ts.isIdentifier(member.name)) throw new UnsupportedTypeError(`record "${name}": field names must be plain identifiers`)
      const fieldName = member.name.text
      const where = `record "${short(name)}", field "${short(fieldName)}"`
      checkName(fieldName, where)
      if (member.questionToken !== undefined) throw new UnsupportedTypeError(`${where}: optional fields are not supported`)
      fields.push({ name: fieldName, type: typeOf(member.type, site.file, where) })
    }
    if (fields.length === 0) throw new UnsupportedTypeError(`record "${name}" (used by ${usedBy}) has no public fields; Marine records need at least one`)
    if (fields.length > MAX_LIST_ITEMS) {
      throw new TooManyItemsError(`record "${name}" has ${fields.length} fields; Marine reads at most ${MAX_LIST_ITEMS}`)
    }
    resolving.delete(name)
    const record: ServiceRecord = { name, fields, module: specifierFor(site.file, assemblyDir, options.servicesRoot) }
    records.set(name, record)
    ordered.push(record)
    return name
  }

  const functions: ServiceFunction[] = []
  for (const statement of entry.statements) {
    if (!ts.isFunctionDeclaration(statement) || !isExported(statement) || statement.name === undefined) continue
    const name = statement.name.text
    const where = `function "${short(name)}"`
    checkName(name, where)
    if (RESERVED_EXPORTS.has(name)) throw new ServiceBuildError(`${where}: the name is reserved by the Marine ABI`)
    if (statement.typeParameters !== undefined) throw new UnsupportedTypeError(`${where}: generic functions cannot be exported`)
    if (statement.parameters.length > MAX_LIST_ITEMS) {
      throw new TooManyItemsError(`${where} has ${statement.parameters.length} arguments; Marine reads at most ${MAX_LIST_ITEMS}`)
    }
    const args: NamedValue[] = statement.parameters.map((param) => {
      if (!ts.isIdentifier(param.name)) throw new UnsupportedTypeError(`${where}: destructured arguments are not supported`)
      const argName = param.name.text
      const argWhere = `${where}, argument "${short(argName)}"`
      checkName(argName, argWhere)
      if (param.questionToken !== undefined || param.initializer !== undefined || param.dotDotDotToken !== undefined) {
        throw new UnsupportedTypeError(`${argWhere}: optional, default and rest arguments are not supported`)
      }
      return { name: argName, type: typeOf(param.type, options.entryFile, argWhere) }
    })
    const returnType = statement.type
    const output = returnType === undefined || returnType.kind === ts.SyntaxKind.VoidKeyword
      ? null
      : typeOf(returnType, options.entryFile, `${where}, result`)
    if (returnType === undefined) throw new UnsupportedTypeError(`${where}: the result type must be written (use void for none)`)
    functions.push({ name, args, output })
  }
  if (functions.length === 0) throw new ServiceBuildError(`${options.entryFile} exports no functions`)
  return { functions, records: ordered }
}
