// Logs and the RED view in a real browser against the real backend loaded with the demo: log
// records posted over OTLP/HTTP with the demo trace's ids show under its waterfall and beside
// the span they belong to, escaped; the logs page searches them; the RED page links to traces.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { HOSTILE_IMG } from './fixtures/traces.ts';
import { browserSuite, SHOTS } from './fixtures/suite.ts';

const OTHER_TRACE = '0123456789abcdef0123456789abcdef';

interface LogSpec { service: string; body: string; severity: number; traceId?: string; spanId?: string; attrs?: Record<string, string> }

/** Posts records as an OTLP/HTTP JSON logs export, one ResourceLogs per record. */
async function postLogs(otlpHttp: string, specs: LogSpec[]): Promise<void> {
  const nowNs = BigInt(Date.now()) * 1_000_000n;
  const body = {
    resourceLogs: specs.map((s, i) => ({
      resource: { attributes: [{ key: 'service.name', value: { stringValue: s.service } }] },
      scopeLogs: [
        {
          scope: { name: 'zeroscope-ui-test' },
          logRecords: [
            {
              timeUnixNano: String(nowNs - BigInt((specs.length - i) * 1_000_000)),
              severityNumber: s.severity,
              body: { stringValue: s.body },
              traceId: s.traceId ?? '',
              spanId: s.spanId ?? '',
              attributes: Object.entries(s.attrs ?? {}).map(([key, v]) => ({ key, value: { stringValue: v } })),
            },
          ],
        },
      ],
    })),
  };
  const res = await fetch(`${otlpHttp}/v1/logs`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

describe('logs and RED in Chromium', () => {
  const ui = browserSuite();

  before(async () => {
    const { ok } = ui.target.demo;
    await postLogs(ui.target.otlpHttp, [
      { service: 'order', body: 'handling order 1', severity: 9, traceId: ok.traceId, spanId: ok.server },
      { service: 'user', body: 'user 1 found', severity: 9, traceId: ok.traceId, spanId: ok.userServer, attrs: { 'user.id': '1' } },
      { service: 'order', body: HOSTILE_IMG, severity: 13, traceId: ok.traceId, spanId: ok.server, attrs: { note: HOSTILE_IMG } },
      { service: 'order', body: 'not this trace', severity: 17, traceId: OTHER_TRACE, spanId: '0123456789abcdef' },
    ]);
  }, { timeout: 600_000 });

  after(async () => {
    assert.deepEqual(ui.problems, [], 'no console errors, CSP violations or page errors');
  });

  async function open(path: string): Promise<Page> {
    return ui.open(path);
  }
  const texts = (page: Page, selector: string) => page.locator(selector).allInnerTexts();

  it("shows the trace's logs under the waterfall, escaped, and a span's logs beside it", async () => {
    const { ok } = ui.target.demo;
    const page = await open(`/trace/${ok.traceId}`);
    const rows = page.locator('.trace-logs tr.log-row');
    await rows.nth(2).waitFor();
    // The services' own log lines (access logs exported by the framework) are there too.
    const all = await texts(page, '.trace-logs .log-text');
    const posted = all.filter((t) => ['handling order 1', 'user 1 found', HOSTILE_IMG, 'not this trace'].includes(t));
    assert.deepEqual(posted, ['handling order 1', 'user 1 found', HOSTILE_IMG], 'oldest first, only this trace');
    assert.match(await page.locator('.trace-logs h2').innerText(), new RegExp(`Logs \\(${all.length}\\)`));
    assert.equal(await page.locator('.trace-logs img').count(), 0, 'hostile markup stays text');
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    await page.screenshot({ path: join(SHOTS, 'trace-logs.png'), fullPage: true });

    // A record's span id selects that span; the details list the span's own logs.
    await page.locator(`.trace-logs tr[data-span-id="${ok.userServer}"] button`).first().click();
    await page.waitForURL(new RegExp(`span=${ok.userServer}`));
    const spanLogs = page.locator('.span-details .sd-logs');
    await spanLogs.waitFor();
    assert.ok((await texts(page, '.span-details .sd-logs .log-text')).includes('user 1 found'));
    assert.ok(!(await texts(page, '.span-details .sd-logs .log-text')).includes('handling order 1'), "another span's logs stay out");
    assert.equal(await page.locator('.span-details .sd-logs .log-row').count(), await page.locator(`.trace-logs tr[data-span-id="${ok.userServer}"]`).count());
    assert.match(await spanLogs.locator('.log-row', { hasText: 'user 1 found' }).locator('.log-attrs').innerText(), /user\.id=1/);
    // The server span's hostile log line stays text in the details panel's stacked list too.
    await page.click(`.wf-row[data-span-id="${ok.server}"]`);
    await page.waitForURL(new RegExp(`span=${ok.server}`));
    assert.ok((await texts(page, '.span-details .sd-logs .log-text')).includes(HOSTILE_IMG));
    assert.ok((await texts(page, '.span-details .sd-logs .log-attr')).includes(`note=${HOSTILE_IMG}`));
    assert.equal(await page.locator('main img').count(), 0);
    await page.close();
  });

  it("shows the demo services' own log lines on their trace's page, from both services", async () => {
    const { ok } = ui.target.demo;
    const page = await open(`/trace/${ok.traceId}`);
    await page.locator('.trace-logs tr.log-row').nth(2).waitFor();
    const own = page.locator('.trace-logs tr.log-row').filter({ hasNotText: /handling order 1|user 1 found|<img/ });
    const services = new Set(await own.locator('.log-service').allInnerTexts());
    assert.ok(services.has('order') && services.has('user'), `services of the framework's log lines: ${[...services].join(', ')}`);
    await page.close();
  });

  it('searches logs by service, level and text, and links a record to its trace', async () => {
    const { ok } = ui.target.demo;
    const page = await open('/logs?service=order');
    await page.locator('.log-list tr.log-row').first().waitFor();
    // Posted last, so newest: the three order records come first; the services' own logs follow.
    assert.deepEqual((await texts(page, '.log-list .log-text')).slice(0, 3), ['not this trace', HOSTILE_IMG, 'handling order 1'], 'newest first');
    assert.deepEqual([...new Set(await texts(page, '.log-list .log-service'))], ['order']);
    await page.selectOption('select[name="level"]', 'warn');
    await page.click('.search-form button[type="submit"]');
    await page.waitForURL(/level=warn/);
    await page.waitForFunction(() => !document.querySelector('.loading') && document.querySelectorAll('.log-list tr.log-row').length > 0);
    assert.ok((await texts(page, '.log-list .log-text')).includes(HOSTILE_IMG));
    assert.deepEqual([...new Set(await texts(page, '.log-list .log-level'))].map((t) => t.toLowerCase()), ['warn']);
    assert.equal(await page.locator('.log-list img').count(), 0);

    await page.goto(`${ui.target.baseUrl}/logs?q=USER%201%20FOUND`);
    await page.waitForFunction(() => document.querySelectorAll('.log-list tr.log-row').length === 1);
    await page.locator('.log-list a.log-trace-link').click();
    await page.waitForURL(new RegExp(`/trace/${ok.traceId}\\?span=${ok.userServer}`));
    await page.locator('.span-details .sd-logs').waitFor();
    await page.close();
  });

  it('shows RED per route and opens an example trace', async () => {
    const page = await open('/red?service=order');
    const row = page.locator('tr.red-row[data-route="GET /api/order/:id"]');
    await row.waitFor();
    // The demo made two requests; the one for a missing user failed.
    assert.equal(await row.locator('.red-requests').innerText(), '2');
    assert.match(await row.locator('.red-errors').innerText(), /^1 \(50\.0%\)/);
    await page.screenshot({ path: join(SHOTS, 'red.png'), fullPage: true });
    const demoIds = [ui.target.demo.ok.traceId, ui.target.demo.error.traceId];
    await row.locator('a.red-example').first().click();
    await page.waitForURL(/\/trace\/[0-9a-f]{32}\?span=/);
    assert.ok(demoIds.some((id) => page.url().includes(id)), page.url());
    await page.locator('.wf-row').nth(2).waitFor();
    await page.close();
  });
});
