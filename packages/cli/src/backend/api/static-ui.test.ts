import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { request } from 'node:http';
import { createQueryApi, type QueryApi } from './server.ts';
import { fakeDeps } from './testing/fakes.ts';

/** A raw GET, so the path reaches the server exactly as written (fetch would normalize `..`). */
function rawGet(port: number, path: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method: 'GET' }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('web UI files', () => {
  let dir: string;
  let api: QueryApi;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'zeroscope-ui-'));
    await mkdir(join(dir, 'ui', 'assets'), { recursive: true });
    await writeFile(join(dir, 'ui', 'index.html'), '<!doctype html><title>zeroscope ui</title>');
    await writeFile(join(dir, 'ui', 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'ui', 'assets', 'app.css'), 'body{}');
    await writeFile(join(dir, 'secret.txt'), 'do not serve');
    api = createQueryApi({ ...fakeDeps(), port: 0, uiDir: join(dir, 'ui') });
    await api.start();
  });
  after(async () => {
    await api.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves index.html for UI routes with a strict CSP', async () => {
    for (const path of ['/', '/search', '/trace/abc123', '/services', '/search?q=%7B%7D']) {
      const res = await rawGet(api.port, path);
      assert.equal(res.status, 200, path);
      assert.match(String(res.headers['content-type']), /^text\/html/);
      assert.match(res.body, /zeroscope ui/);
      const csp = String(res.headers['content-security-policy']);
      assert.match(csp, /default-src 'none'/);
      assert.match(csp, /script-src 'self'(;|$)/);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/);
      assert.equal(res.headers['x-frame-options'], 'DENY');
    }
  });

  it('serves assets with their content types', async () => {
    const js = await rawGet(api.port, '/assets/app.js');
    assert.equal(js.status, 200);
    assert.match(String(js.headers['content-type']), /^text\/javascript/);
    assert.equal(js.body, 'console.log(1)');
    assert.match(String((await rawGet(api.port, '/assets/app.css')).headers['content-type']), /^text\/css/);
    assert.equal((await rawGet(api.port, '/assets/missing.js')).status, 404);
  });

  it('refuses paths that leave the UI folder', async () => {
    for (const path of ['/..%2fsecret.txt', '/..%2f..%2fetc/passwd', '/../secret.txt', '/assets/..%2f..%2fsecret.txt', '/%2e%2e/secret.txt']) {
      const res = await rawGet(api.port, path);
      assert.notEqual(res.status, 200, path);
      assert.doesNotMatch(res.body, /do not serve|root:/, path);
    }
  });

  it('says how to build the UI when dist/ui is missing', async (t) => {
    const bare = createQueryApi({ ...fakeDeps(), port: 0, uiDir: join(dir, 'missing') });
    await bare.start();
    t.after(() => bare.stop());
    const res = await rawGet(bare.port, '/');
    assert.equal(res.status, 200);
    assert.match(res.body, /node scripts\/build-ui.mjs/);
    assert.ok(res.headers['content-security-policy']);
  });
});
