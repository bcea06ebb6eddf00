import path from 'node:path'
import { svelte } from '@sveltejs/vite-plugin-svelte'
import { createServer } from 'vite'
import type { ViteDevServer } from 'vite'
import { repoRoot } from './processes.js'

/** The Svelte component harness that browser component tests load (test/renderer/fixtures/harness). */
export const HARNESS = path.join(repoRoot, 'test', 'renderer', 'fixtures', 'harness')

/** Serves a harness folder with Vite on a free loopback port; `base` is its URL. Close `vite` after. */
export async function startHarness (root = HARNESS): Promise<{ vite: ViteDevServer, base: string }> {
  const vite = await createServer({
    configFile: false,
    root,
    logLevel: 'error',
    plugins: [svelte({ configFile: false })],
    server: { host: '127.0.0.1', port: 0, strictPort: false, fs: { allow: [repoRoot] }, hmr: false },
  })
  await vite.listen()
  return { vite, base: vite.resolvedUrls?.local[0] ?? '' }
}
