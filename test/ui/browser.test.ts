// The web UI in a real browser (Debian's Chromium via playwright-core) against startUiTarget():
// search, trace waterfall and details, error marks, escaping of hostile values, a 5,000-span
// trace, the critical path, traceparent paste and the service graph.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from './fixtures/browser.ts';
import { HOSTILE_IMG, HOSTILE_SCRIPT, SEED_IDS } from './fixtures/traces.ts';
import { REPO_ROOT, startUiTarget, type UiTarget } from './fixtures/ui-target.ts';

const SHOTS = join(REPO_ROOT, 'test-artifacts', 'ui');

describe('web UI in Chromium', () => {
  let target: UiTarget;
  let browser: Browser;
  const problems: string[] = [];

  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    target = await startUiTarget();
    browser = await launchBrowser();
  }, { timeout: 600_000 }); // a first run may apt-get install chromium

  after(async () => {
    await browser?.close();
    await target?.stop();
  });

  /** A fresh page that records console errors, CSP violations and uncaught exceptions. */
  async function open(path: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    page.setDefaultTimeout(10_000);
    page.on('console', (m) => {
      if (m.type() === 'error' && !/status of 40[04]/.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(target.baseUrl + path);
    return page;
  }
  const shot = (page: Page, name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`) });
  const depths = (page: Page) => page.locator('.wf-row').evaluateAll((rows) => rows.map((r) => Number(r.getAttribute('data-depth'))));

  it('searches by service from the tag pickers, keeps the query in the URL and opens the trace', async () => {
    const page = await open('/');
    // Options come from /api/v2/search/tag/resource.service.name/values.
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLOptionElement>('select[name="service"] option')].some((o) => o.value === 'order'));
    await page.selectOption('select[name="service"]', 'order');
    await page.click('.search-form button[type="submit"]');
    await page.waitForURL(/service=order/);
    const seedRow = page.locator(`tr[data-trace-id="${SEED_IDS.trace}"]`);
    await seedRow.waitFor();
    assert.match(await seedRow.innerText(), /GET \/api\/order\/:id/);
    assert.equal(await page.locator(`tr[data-trace-id="${target.traces.hostile.traceId}"]`).count(), 0);
    assert.equal(await page.locator('code.effective-query').innerText(), '{ resource.service.name = "order" }');
    // Newest first: the seed trace (1 min ago) above the error trace (2 min ago).
    const ids = await page.locator('tr.result-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-trace-id')));
    assert.deepEqual(ids, [SEED_IDS.trace, target.traces.error.traceId]);
    await page.reload();
    await seedRow.waitFor();
    assert.equal(await page.locator('select[name="service"]').inputValue(), 'order');
    await shot(page, 'search');

    await seedRow.locator('a.result-link').click();
    await page.waitForURL(new RegExp(`/trace/${SEED_IDS.trace}$`));
    await page.locator('.wf-row').nth(2).waitFor();
    assert.deepEqual(await depths(page), [0, 1, 2]);
    const names = await page.locator('.wf-row .wf-span-name').allInnerTexts();
    assert.deepEqual(names, ['GET /api/order/:id', 'user.User/GetUser', 'user.User/GetUser']);
    assert.deepEqual(await page.locator('.wf-row .wf-service').allInnerTexts(), ['order', 'order', 'user']);

    await page.fill('input.span-search', 'getuser');
    assert.equal(await page.locator('.wf-row.is-match').count(), 2);
    assert.equal(await page.locator('.match-count').innerText(), '2 matching');
    await page.fill('input.span-search', '');

    await page.click(`.wf-row[data-span-id="${SEED_IDS.client}"]`);
    await page.waitForURL(new RegExp(`span=${SEED_IDS.client}`));
    const details = page.locator('.span-details');
    assert.equal(await details.locator('.sd-kind').innerText(), 'client');
    assert.equal(await details.locator('tr[data-key="rpc.method"] td').innerText(), 'GetUser');
    assert.match(await details.locator('.sd-events').innerText(), /message/);
    await shot(page, 'trace-seed');
  });

  it('shows the API reason when TraceQL is invalid', async () => {
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
    const page = await open(`/trace/${target.traces.error.traceId}`);
    await page.locator('.wf-row').nth(2).waitFor();
    assert.equal(await page.locator('.wf-row.is-error').count(), 3);
    assert.equal(await page.locator('.wf-row .error-icon').count(), 3);
    await page.click(`.wf-row[data-span-id="${SEED_IDS.userServer}"]`);
    assert.equal(await page.locator('.sd-status').innerText(), 'error: NotFound');
    await shot(page, 'trace-error');
  });

  it('shows hostile attribute values as literal text and runs none of them', async () => {
    const page = await open('/search?service=evil');
    const link = page.locator(`tr[data-trace-id="${target.traces.hostile.traceId}"] a.result-link`);
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
    await page.locator('.wf-row').nth(1).click();
    assert.equal(await page.locator('.span-details .attr-table th').first().innerText(), HOSTILE_IMG);
    // The link to another trace is an internal route built from validated ids.
    assert.equal(await page.locator('.sd-links a').getAttribute('href'), `/trace/${SEED_IDS.trace}?span=${SEED_IDS.client}`);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    assert.equal(await page.locator('main img, main script').count(), 0);
    await shot(page, 'trace-hostile');
  });

  it('renders the first rows of a 5,000-span trace without putting them all in the DOM', async () => {
    const page = await open(`/trace/${target.traces.big.traceId}`);
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
    const page = await open(`/trace/${SEED_IDS.trace}`);
    await page.locator('.wf-row').nth(2).waitFor();
    assert.equal(await page.locator('.wf-row.is-critical').count(), 0);
    await page.check('input[name="critical"]');
    assert.equal(await page.locator('.wf-row.is-critical').count(), 3);
    // order server: before the client call and after it; client: before and after user; user: whole.
    assert.equal(await page.locator('.wf-critical').count(), 5);
    await shot(page, 'trace-critical');
  });

  it('goes to a trace and span from a pasted traceparent', async () => {
    const page = await open('/');
    await page.fill('input[name="goto"]', `00-${SEED_IDS.trace}-${SEED_IDS.client}-01`);
    await page.press('input[name="goto"]', 'Enter');
    await page.waitForURL(new RegExp(`/trace/${SEED_IDS.trace}\\?span=${SEED_IDS.client}$`));
    assert.equal(await page.locator('.span-details .sd-span-id').innerText(), SEED_IDS.client);
    assert.equal(await page.locator('.wf-row.is-selected').getAttribute('data-span-id'), SEED_IDS.client);
    await page.fill('input[name="goto"]', 'not-a-trace');
    await page.press('input[name="goto"]', 'Enter');
    assert.match(await page.locator('.goto-error').innerText(), /not a trace id/);
  });

  it('draws the service graph from recent traces', async () => {
    const page = await open('/services');
    const row = page.locator('table.edges tbody tr', { hasText: 'order' });
    await row.first().waitFor();
    const cells = await row.first().locator('td').allInnerTexts();
    assert.deepEqual(cells.slice(0, 4), ['order', 'user', '2', '50.0%']);
    assert.match(await page.locator('.graph-note').innerText(), /at most 200/);
    assert.equal(await page.locator('svg.service-graph .graph-node').count(), 8);
    await shot(page, 'services');
  });

  it('raised no script errors or CSP violations', () => {
    assert.deepEqual(problems, []);
  });
});
