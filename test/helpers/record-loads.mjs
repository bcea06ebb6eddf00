// `node --import <this file> …`: records the URL of every module the process resolves (ESM and
// require alike) and writes them, one a line, to $LINEAGE_LOADS_FILE when the process exits.
// Tests use it to see what a command or entry point loads.
import fs from 'node:fs'
import { registerHooks } from 'node:module'

const out = process.env.LINEAGE_LOADS_FILE
if (out === undefined || out === '') throw new Error('record-loads.mjs needs LINEAGE_LOADS_FILE')
const seen = new Set()
registerHooks({
  resolve (specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context)
    seen.add(resolved.url)
    return resolved
  },
})
process.on('exit', () => { fs.writeFileSync(out, [...seen].join('\n') + '\n') })
