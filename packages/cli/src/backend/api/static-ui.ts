/**
 * Serves the web UI's built files (`dist/ui/`): assets by path with their content types, and
 * `index.html` for any other page path so the UI's client-side routes (`/search`, `/trace/<id>`)
 * load on a refresh. Paths that would leave the UI folder are refused.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HTML_HEADERS, send, sendText } from './respond.ts';
import type { RouteHandler } from './route.ts';

/** Where `node scripts/build-ui.mjs` puts the UI, relative to the repository root. */
export const DEFAULT_UI_DIR = fileURLToPath(new URL('../../../dist/ui', import.meta.url));

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const NOT_BUILT = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>zeroscope</title></head>
<body><h1>zeroscope</h1>
<p>The web UI is not built yet: <code>dist/ui/index.html</code> is missing.
Build it with <code>node scripts/build-ui.mjs</code> and reload this page.</p>
<p>The Tempo-compatible API is up meanwhile: try <a href="/api/search">/api/search</a>.</p>
</body></html>
`;

/** The file a URL path names inside `root`, or null when the path is malformed or escapes it. */
export function resolveUiPath(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return null;
  // Any `..` segment is refused outright, before and after resolving.
  if (decoded.split('/').includes('..')) return null;
  const full = resolve(root, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  return full === root || full.startsWith(root + sep) ? full : null;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Handler for every non-API GET: the UI's files with the SPA fallback. */
export function staticUiHandler(uiDir: string = DEFAULT_UI_DIR): RouteHandler {
  const root = resolve(uiDir);
  const index = resolve(root, 'index.html');
  return async function staticUi(ctx) {
    const { req, res } = ctx;
    const pathname = (req.url ?? '/').split('?')[0]!;
    const file = resolveUiPath(root, pathname);
    if (file === null) {
      sendText(req, res, 404, 'not found');
      return;
    }
    if (file !== root && (await isFile(file))) {
      const type = CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream';
      const headers: Record<string, string> = { 'content-type': type, 'cache-control': 'no-cache' };
      send(req, res, 200, await readFile(file), type.startsWith('text/html') ? { ...headers, ...HTML_HEADERS } : headers);
      return;
    }
    // A path with a file extension is an asset that does not exist; anything else is a UI page.
    if (extname(pathname) !== '') {
      sendText(req, res, 404, 'not found');
      return;
    }
    if (!(await isFile(index))) {
      send(req, res, 200, NOT_BUILT, { 'content-type': 'text/html; charset=utf-8', ...HTML_HEADERS });
      return;
    }
    send(req, res, 200, await readFile(index), {
      'content-type': 'text/html; charset=utf-8',
      'cache-control': 'no-cache',
      ...HTML_HEADERS,
    });
  };
}
