// The services page in Chromium against the real backend: the graph comes from the backend's
// metrics-generator over the chosen range, its numbers are the ones /metrics counts and the RED
// page shows, a click on a node or an edge opens the search for its spans, and a hostile service
// name stays text.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { parseSamples, sampleValue } from '../../packages/cli/src/backend/generator/testing/prometheus-text.ts';
import { formatRate } from '../../packages/cli/src/ui/lib/format.ts';
import { otlpExportRequest } from '../../packages/cli/src/ui/testing/index.ts';
import { HOSTILE_IMG } from './fixtures/traces.ts';
import { browserSuite } from './fixtures/suite.ts';

const HOUR = 3600;

describe('service graph in Chromium', () => {
  const ui = browserSuite();

  before(async () => {
    // A call from `evil` into a service whose name is markup.
    const base = BigInt(Date.now() - 60_000) * 1_000_000n;
    const res = await fetch(`${ui.target.otlpHttp}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(
        otlpExportRequest('e7110000000000000000000000000009', [
          { service: 'evil', spanId: 'e711000000000091', name: 'call', kind: 'CLIENT', start: 0, end: 4 },
          { service: HOSTILE_IMG, spanId: 'e711000000000092', parentSpanId: 'e711000000000091', name: HOSTILE_IMG, kind: 'SERVER', start: 1, end: 3 },
        ], base),
      ),
    });
    assert.equal(res.status, 200, await res.text());
  }, { timeout: 600_000 });

  const open = ui.open;
  const shot = (page: Page, name: string) => ui.shot(page, name, { fullPage: true });
  const resultIds = (page: Page) => page.locator('tr.result-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-id')));

  it("shows on each edge the requests /metrics counted, as a rate over the range, with errors and latency", async () => {
    const samples = parseSamples(await (await fetch(`${ui.target.baseUrl}/metrics`)).text());
    const edge = { client: 'order', server: 'user', connection_type: '' };
    const total = sampleValue(samples, 'traces_service_graph_request_total', edge);
    const failed = sampleValue(samples, 'traces_service_graph_request_failed_total', edge) ?? 0;
    assert.equal(total, 2, 'the demo made two calls order → user');
    const page = await open('/services');
    const row = page.locator('table.edges-table tr[data-client="order"][data-server="user"]');
    await row.waitFor();
    assert.equal(await row.locator('.requests').innerText(), String(total));
    assert.equal(await row.locator('.rate').innerText(), formatRate(total! / HOUR));
    assert.equal(await row.locator('.error-rate').innerText(), `${((failed / total!) * 100).toFixed(1)}%`);
    const arrow = page.locator('g.graph-edge[data-client="order"][data-server="user"]');
    assert.equal(await arrow.locator('.edge-label').textContent(), `${formatRate(total! / HOUR)} · 50.0% err`);
    assert.match((await arrow.locator('.edge-latency').textContent()) ?? '', /^p50 [\d.]+(ms|µs) · p95 [\d.]+(ms|µs)$/);
    // The user node: the two requests user-rpc answered, one failed.
    const node = page.locator('table.nodes-table tr[data-service="user"]');
    assert.equal(await node.locator('.requests').innerText(), '2');
    assert.equal(await node.locator('.error-rate').innerText(), '50.0%');
    assert.equal(await page.locator('g.graph-node[data-service="user"] .node-stats').textContent(), `${formatRate(2 / HOUR)} · 50.0% err`);
    await shot(page, 'services-generator');
  });

  it('agrees with the RED page on every service it lists', async () => {
    const page = await open('/services');
    await page.locator('table.nodes-table tr[data-service="user"]').waitFor();
    const graph = await page.locator('table.nodes-table tbody tr').evaluateAll((rows) =>
      rows.map((r) => [r.getAttribute('data-service')!, Number(r.querySelector('.requests')!.textContent)] as const),
    );
    const red = await open('/red');
    await red.locator('.red-row').first().waitFor();
    const perService = await red.locator('.red-row').evaluateAll((rows) => {
      const out: Record<string, number> = {};
      for (const r of rows) out[r.getAttribute('data-service')!] = (out[r.getAttribute('data-service')!] ?? 0) + Number(r.querySelector('.red-requests')!.textContent);
      return out;
    });
    for (const [service, requests] of graph) assert.equal(requests, perService[service] ?? 0, `requests of ${service}`);
    assert.ok(graph.some(([s, n]) => s === 'order' && n === 2));
  });

  it('opens the search for the spans of an edge and of a node', async () => {
    const { ok, error } = ui.target.demo;
    const page = await open('/services');
    await page.locator('g.graph-edge[data-client="order"][data-server="user"] .edge-label').click();
    await page.waitForURL(/\/search\?.*q=/);
    assert.match(await page.locator('code.effective-query').innerText(), /resource\.service\.name = "order".*> \{ resource\.service\.name = "user"/);
    await page.locator(`tr[data-trace-id="${ok.traceId}"]`).waitFor();
    assert.deepEqual(await resultIds(page), [error.traceId, ok.traceId]);
    await page.goBack();
    await page.locator('g.graph-node[data-service="user"]').click();
    await page.waitForURL(/\/search\?.*q=/);
    await page.locator(`tr[data-trace-id="${ok.traceId}"]`).waitFor();
    assert.deepEqual(await resultIds(page), [error.traceId, ok.traceId]);
  });

  it('shows a service name that is markup as text', async () => {
    const page = await open('/services');
    const row = page.locator('table.edges-table tr[data-client="evil"]');
    await row.waitFor();
    assert.equal(await row.locator('td').nth(1).innerText(), HOSTILE_IMG);
    const names = await page.locator('g.graph-node title').allTextContents();
    assert.ok(names.includes(HOSTILE_IMG), names.join(', '));
    assert.equal(await page.locator('main img, main script, svg img').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
  });

  it('raised no script errors or CSP violations', () => {
    assert.deepEqual(ui.problems, []);
  });
});
