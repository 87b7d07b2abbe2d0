// The web UI in a real browser (Debian's Chromium via playwright-core) against zeroscope's real
// backend loaded with the demo's traces (order-api → user-rpc, run as processes) and two
// synthetic ones: search, the trace waterfall and details, error marks, escaping of hostile
// values, a 5,000-span trace, the critical path, ?span=, traceparent paste and the service graph
// (its numbers and clicks are checked in service-graph.test.ts).
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { HOSTILE_IMG, HOSTILE_SCRIPT } from './fixtures/traces.ts';
import { browserSuite } from './fixtures/suite.ts';

const DEMO_QUERY = '{ resource.service.name = "order" && span.http.route = "/api/order/:id" }';

describe('web UI in Chromium against the backend loaded with the demo', () => {
  const ui = browserSuite();

  /** A fresh page that records console errors, CSP violations and uncaught exceptions. */
  async function open(path: string): Promise<Page> {
    return ui.open(path);
  }
  const shot = (page: Page, name: string) => ui.shot(page, name);
  const depths = (page: Page) => page.locator('.wf-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-depth'))));
  const resultIds = (page: Page) => page.locator('tr.result-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-id')));

  it('finds the demo trace from the service picker, keeps the query in the URL and shows its three spans', async () => {
    const { ok, error } = ui.target.demo;
    const page = await open('/');
    // Options come from /api/v2/search/tag/resource.service.name/values.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLOptionElement>('select[name="service"] option')].some((o) => o.value === 'order'));
    await page.selectOption('select[name="service"]', 'order');
    await page.click('.search-form button[type="submit"]');
    await page.waitForURL(/service=order/);
    const okRow = page.locator(`tr[data-trace-id="${ok.traceId}"]`);
    await okRow.waitFor();
    assert.match(await okRow.innerText(), /GET \/api\/order\/:id/);
    assert.equal(await page.locator('code.effective-query').innerText(), '{ resource.service.name = "order" }');
    // Newest first: /api/order/999 was requested after /api/order/1; the synthetic traces are other services.
    assert.deepEqual(await resultIds(page), [error.traceId, ok.traceId]);
    assert.equal(await okRow.locator('td.spans').innerText(), '3');
    await page.reload();
    await okRow.waitFor();
    assert.equal(await page.locator('select[name="service"]').inputValue(), 'order');
    await shot(page, 'search');

    await okRow.locator('a.result-link').click();
    await page.waitForURL(new RegExp(`/trace/${ok.traceId}$`));
    await page.locator('.wf-row').nth(2).waitFor();
    assert.deepEqual(await depths(page), [0, 1, 2]);
    assert.deepEqual(await page.locator('.wf-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-span-id'))), [ok.server, ok.client, ok.userServer]);
    assert.deepEqual(await page.locator('.wf-row .wf-span-name').allInnerTexts(), ['GET /api/order/:id', 'user.User/GetUser', 'user.User/GetUser']);
    assert.deepEqual(await page.locator('.wf-row .wf-service').allInnerTexts(), ['order', 'order', 'user']);
    assert.equal(await page.locator('.wf-row.is-error').count(), 0);

    await page.fill('input.span-search', 'getuser');
    assert.equal(await page.locator('.wf-row.is-match').count(), 2);
    assert.equal(await page.locator('.match-count').innerText(), '2 matching');
    await page.fill('input.span-search', '');

    await page.click(`.wf-row[data-span-id="${ok.client}"]`);
    await page.waitForURL(new RegExp(`span=${ok.client}`));
    const details = page.locator('.span-details');
    assert.equal(await details.locator('.sd-kind').innerText(), 'client');
    assert.equal(await details.locator('tr[data-key="rpc.method"] td').innerText(), 'GetUser');
    assert.equal(await details.locator('tr[data-key="rpc.service"] td').innerText(), 'user.User');
    assert.match(await details.locator('.sd-events').innerText(), /message/);
    assert.equal(await details.locator('.sd-resource tr[data-key="service.name"] td').innerText(), 'order');
    await shot(page, 'trace-demo');
  });

  it('finds the demo traces with TraceQL and marks the error one in the results', async () => {
    const { ok, error } = ui.target.demo;
    const page = await open('/search');
    await page.fill('textarea[name="q"]', DEMO_QUERY);
    await page.click('.search-form button[type="submit"]');
    await page.waitForURL(/q=%7B/);
    await page.locator(`tr[data-trace-id="${ok.traceId}"]`).waitFor();
    assert.deepEqual(await resultIds(page), [error.traceId, ok.traceId]);
    assert.equal(await page.locator('code.effective-query').innerText(), DEMO_QUERY);
    // The query never mentions status: the mark comes from the response's serviceStats.
    const errorRow = page.locator(`tr[data-trace-id="${error.traceId}"]`);
    assert.match((await errorRow.getAttribute('class')) ?? '', /is-error/);
    assert.equal(await errorRow.locator('.error-icon').count(), 1);
    assert.equal(await errorRow.locator('td.errors .result-error-count').innerText(), '3');
    assert.equal(await page.locator(`tr[data-trace-id="${ok.traceId}"] .error-icon`).count(), 0);
    // The query lives in the URL: a fresh page with the same URL shows the same results.
    const again = await open(new URL(page.url()).pathname + new URL(page.url()).search);
    await again.locator(`tr[data-trace-id="${error.traceId}"].is-error`).waitFor();
    assert.equal(await again.locator('textarea[name="q"]').inputValue(), DEMO_QUERY);
    await shot(page, 'search-traceql');
  });

  it("shows the backend's reason when TraceQL is invalid", async () => {
    const page = await open('/search');
    await page.fill('textarea[name="q"]', '{ name = "x"');
    await page.click('.search-form button[type="submit"]');
    const alert = page.locator('.error-banner[role="alert"]');
    await alert.waitFor();
    assert.match(await alert.innerText(), /400: invalid TraceQL query/);
    assert.match(page.url(), /q=%7B/);
    await shot(page, 'search-error');
  });

  it('marks every error span of the NotFound trace', async () => {
    const { error } = ui.target.demo;
    const page = await open(`/trace/${error.traceId}`);
    await page.locator('.wf-row').nth(2).waitFor();
    assert.equal(await page.locator('.wf-row.is-error').count(), 3);
    assert.equal(await page.locator('.wf-row .error-icon').count(), 3);
    assert.equal(await page.locator('.wf-bar.is-error').count(), 3);
    assert.equal(await page.locator('.error-count').innerText(), '3 errors');
    await page.click(`.wf-row[data-span-id="${error.userServer}"]`);
    assert.match(await page.locator('.sd-status').innerText(), /^error: .*user 999 not found/);
    assert.equal(await page.locator('.span-details tr[data-key="rpc.grpc.status_code"] td').innerText(), '5');
    await shot(page, 'trace-error');
  });

  it('opens the span named by ?span=', async () => {
    const { ok } = ui.target.demo;
    const page = await open(`/trace/${ok.traceId}?span=${ok.userServer}`);
    const details = page.locator('.span-details');
    await details.waitFor();
    assert.equal(await details.locator('.sd-span-id').innerText(), ok.userServer);
    assert.equal(await details.locator('.sd-service').innerText(), 'user');
    assert.equal(await details.locator('.sd-kind').innerText(), 'server');
    assert.equal(await page.locator('.wf-row.is-selected').getAttribute('data-span-id'), ok.userServer);
    // Closing the panel drops ?span= from the URL.
    await page.click('.sd-close');
    await page.waitForURL(new RegExp(`/trace/${ok.traceId}$`));
    assert.equal(await page.locator('.span-details').count(), 0);
  });

  it('shows hostile attribute values as literal text and runs none of them', async () => {
    const { hostile } = ui.target.traces;
    const page = await open('/search?service=evil');
    const link = page.locator(`tr[data-trace-id="${hostile.traceId}"] a.result-link`);
    assert.equal(await link.innerText(), HOSTILE_IMG);
    await link.click();
    await page.locator('.wf-row').nth(1).waitFor();
    assert.deepEqual(await page.locator('.wf-row .wf-span-name').allInnerTexts(), [HOSTILE_IMG, HOSTILE_SCRIPT, 'late orphan']);
    assert.deepEqual(await depths(page), [0, 1, 0]);
    assert.equal(await page.locator('.wf-row.is-orphan .orphan-mark').count(), 1);
    assert.equal(await page.locator('.wf-row').nth(2).getAttribute('data-span-id'), 'e711000000000003');
    await page.locator('.wf-row').nth(0).click();
    assert.equal(await page.locator('.span-details tr[data-key="x.img"] td').innerText(), HOSTILE_IMG);
    assert.equal(await page.locator('.span-details tr[data-key="x.script"] td').innerText(), HOSTILE_SCRIPT);
    assert.equal(await page.locator('.sd-status').innerText(), `error: ${HOSTILE_SCRIPT}`);
    await page.locator('.wf-row').nth(1).click();
    assert.equal(await page.locator('.span-details .attr-table th').first().innerText(), HOSTILE_IMG);
    // The link to another trace is an internal route built from validated ids, and it works.
    const { ok } = ui.target.demo;
    assert.equal(await page.locator('.sd-links a').getAttribute('href'), `/trace/${ok.traceId}?span=${ok.client}`);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.equal(await page.locator('main img, main script').count(), 0);
    await shot(page, 'trace-hostile');
    await page.click('.sd-links a');
    await page.waitForURL(new RegExp(`/trace/${ok.traceId}\\?span=${ok.client}$`));
    assert.equal(await page.locator('.span-details .sd-span-id').innerText(), ok.client);
  });

  it('renders the first rows of a 5,000-span trace without putting them all in the DOM', async () => {
    const page = await open(`/trace/${ui.target.traces.big.traceId}`);
    await page.locator('.wf-row').first().waitFor();
    assert.equal(await page.locator('.span-count').innerText(), '5000 spans');
    assert.equal(await page.locator('.wf-row .wf-span-name').first().innerText(), 'GET /batch');
    const inDom = await page.locator('.wf-row').count();
    assert.ok(inDom > 10 && inDom < 300, `rows in DOM: ${inDom}`);
    await shot(page, 'trace-5000');
    await page.locator('.wf-body').evaluate((el) => (el.scrollTop = el.scrollHeight));
    await page.locator('.wf-row', { hasText: 'step 48.' }).last().waitFor();
    // Collapsing the root leaves a single row.
    await page.locator('.wf-body').evaluate((el) => (el.scrollTop = 0));
    await page.locator('.wf-row').first().locator('.wf-toggle').click();
    assert.equal(await page.locator('.wf-row').count(), 1);
  });

  it('highlights the critical path when toggled', async () => {
    const { ok } = ui.target.demo;
    const page = await open(`/trace/${ok.traceId}`);
    await page.locator('.wf-row').nth(2).waitFor();
    assert.equal(await page.locator('.wf-row.is-critical').count(), 0);
    await page.check('input[name="critical"]');
    // The three spans are a chain, so each one is on the path for some stretch.
    assert.equal(await page.locator('.wf-row.is-critical').count(), 3);
    for (const id of [ok.server, ok.client, ok.userServer]) {
      assert.ok((await page.locator(`.wf-row[data-span-id="${id}"] .wf-critical`).count()) >= 1, `critical segment on ${id}`);
    }
    await shot(page, 'trace-critical');
  });

  it('goes to a trace and span from a pasted traceparent', async () => {
    const { ok } = ui.target.demo;
    const page = await open('/');
    await page.fill('input[name="goto"]', `00-${ok.traceId}-${ok.client}-01`);
    await page.press('input[name="goto"]', 'Enter');
    await page.waitForURL(new RegExp(`/trace/${ok.traceId}\\?span=${ok.client}$`));
    assert.equal(await page.locator('.span-details .sd-span-id').innerText(), ok.client);
    assert.equal(await page.locator('.wf-row.is-selected').getAttribute('data-span-id'), ok.client);
    // A bare trace id (as copied from the trace page) works too.
    await page.fill('input[name="goto"]', ok.traceId.toUpperCase());
    await page.press('input[name="goto"]', 'Enter');
    await page.waitForURL(new RegExp(`/trace/${ok.traceId}$`));
    await page.fill('input[name="goto"]', 'not-a-trace');
    await page.press('input[name="goto"]', 'Enter');
    assert.match(await page.locator('.goto-error').innerText(), /not a trace id/);
  });

  it("draws the service graph from the backend's generator: order → user with both demo requests, one failed", async () => {
    const page = await open('/services');
    const row = page.locator('table.edges-table tbody tr[data-client="order"][data-server="user"]');
    await row.waitFor();
    const cells = await row.locator('td').allInnerTexts();
    assert.deepEqual([cells[0], cells[1], cells[2], cells[4]], ['order', 'user', '2', '50.0%']);
    assert.match(await page.locator('.graph-note').innerText(), /metrics-generator/);
    assert.equal(await page.locator('svg.service-graph .graph-edge[data-client="order"][data-server="user"]').count(), 1);
    await shot(page, 'services');
  });

  it('raised no script errors or CSP violations', () => {
    assert.deepEqual(ui.problems, []);
  });
});
