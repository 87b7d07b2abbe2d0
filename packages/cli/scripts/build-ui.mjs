// Builds the web UI (src/ui) into static files the backend serves on :3200:
//   dist/ui/index.html          the single page (every UI route falls back to it)
//   dist/ui/assets/app.js       Preact app bundle (ES module, minified)
//   dist/ui/assets/app.css      styles
//   dist/ui/assets/favicon.svg  the page icon (index.html links it)
// No inline scripts or styles, so the page runs under `Content-Security-Policy: default-src 'self'`.
//
//   node scripts/build-ui.mjs [--outdir dir] [--dev]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIdx = args.indexOf('--outdir');
const outdir = outIdx >= 0 ? resolve(args[outIdx + 1]) : join(root, 'dist', 'ui');
const dev = args.includes('--dev');
const src = join(root, 'src', 'ui');

rmSync(outdir, { recursive: true, force: true });
mkdirSync(join(outdir, 'assets'), { recursive: true });

const started = Date.now();
await build({
  entryPoints: { app: join(src, 'main.tsx') },
  outdir: join(outdir, 'assets'),
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['es2022', 'chrome110', 'firefox110', 'safari16'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  minify: !dev,
  sourcemap: dev ? 'inline' : 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  define: { 'process.env.NODE_ENV': dev ? '"development"' : '"production"' },
});
await build({
  entryPoints: { app: join(src, 'styles.css') },
  outdir: join(outdir, 'assets'),
  bundle: true,
  minify: !dev,
  logLevel: 'warning',
});
copyFileSync(join(src, 'index.html'), join(outdir, 'index.html'));
// The page names its icon, so browsers never ask for a /favicon.ico that is not there.
copyFileSync(join(src, 'favicon.svg'), join(outdir, 'assets', 'favicon.svg'));
console.log(`build-ui: ${outdir} in ${Date.now() - started} ms`);
