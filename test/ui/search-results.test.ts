// The search results in Chromium against the real backend: each trace opens in place to the
// spans the query matched (service, name, exact duration, the select()ed attributes, a link to
// the span), a scatter of duration over start time opens traces, and markup stays text.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { formatDuration } from '../../packages/cli/src/ui/lib/format.ts';
import { HOSTILE_IMG } from './fixtures/traces.ts';
import { browserSuite } from './fixtures/suite.ts';

describe('search results in Chromium', () => {
  const ui = browserSuite();

  const open = ui.open;
  const shot = (page: Page, name: string) => ui.shot(page, name, { fullPage: true });
  const search = (q: string) => open(`/search?${new URLSearchParams({ q })}`);

  /** Duration in ns of a stored span. */
  async function spanDurationNs(traceId: string, spanId: string): Promise<number> {
    const body = (await (await fetch(`${ui.target.baseUrl}/api/v2/traces/${traceId}`)).json()) as {
      trace: { resourceSpans: { scopeSpans: { spans: { spanId: string; startTimeUnixNano: string; endTimeUnixNano: string }[] }[] }[] };
    };
    const span = body.trace.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans)).find((s) => Buffer.from(s.spanId, 'base64').toString('hex') === spanId)!;
    return Number(BigInt(span.endTimeUnixNano) - BigInt(span.startTimeUnixNano));
  }

  it('opens a result in place to the spans the query matched, with the select()ed attributes', async () => {
    const { ok } = ui.target.demo;
    const page = await search('{ resource.service.name = "order" && span.http.route = "/api/order/:id" } | select(span.http.response.status_code)');
    const row = page.locator(`tr.result-row[data-trace-id="${ok.traceId}"]`);
    await row.waitFor();
    assert.equal(await row.locator('.matched-count').innerText(), '1');
    assert.equal(await page.locator('tr.span-sets-row').count(), 0);
    await row.locator('button.set-toggle').click();
    const span = page.locator(`tr.span-sets-row[data-trace-id="${ok.traceId}"] tr.matched-span`);
    assert.equal(await span.count(), 1);
    assert.equal(await span.getAttribute('data-span-id'), ok.server);
    assert.equal(await span.locator('.ms-service').innerText(), 'order');
    assert.equal(await span.locator('.ms-name').innerText(), 'GET /api/order/:id');
    // Span durations arrive in nanoseconds: shown as precisely as the trace page shows them.
    assert.equal(await span.locator('.ms-duration').innerText(), formatDuration(await spanDurationNs(ok.traceId, ok.server)));
    assert.equal(await span.locator('.ms-attr[data-key="http.response.status_code"]').innerText(), 'http.response.status_code = 200');
    assert.equal(await span.locator('.ms-attr[data-key="http.route"]').innerText(), 'http.route = /api/order/:id');
    await shot(page, 'search-span-sets');
    await span.locator('.ms-name a').click();
    await page.waitForURL(new RegExp(`/trace/${ok.traceId}\\?span=${ok.server}$`));
    assert.equal(await page.locator('.span-details .sd-span-id').innerText(), ok.server);
  });

  it('opens every result at once and shows markup in matched spans as text', async () => {
    const page = await search('{ resource.service.name = "evil" } | select(span.x.img)');
    await page.locator('tr.result-row').first().waitFor();
    await page.click('button.expand-all-sets');
    const attrs = page.locator('tr.span-sets-row .ms-attr[data-key="x.img"]');
    await attrs.first().waitFor();
    assert.equal(await attrs.first().innerText(), `x.img = ${HOSTILE_IMG}`);
    assert.ok((await page.locator('tr.span-sets-row .ms-name').allInnerTexts()).includes(HOSTILE_IMG));
    assert.equal(await page.locator('main img, main script').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
  });

  it('plots the results by start time and duration; a dot opens its trace', async () => {
    const { big, hostile } = ui.target.traces;
    const { error } = ui.target.demo;
    const page = await open('/search');
    await page.locator(`tr.result-row[data-trace-id="${big.traceId}"]`).waitFor();
    const dots = page.locator('svg circle.scatter-dot');
    assert.equal(await dots.count(), await page.locator('tr.result-row').count());
    const at = async (id: string) => {
      const b = (await page.locator(`circle.scatter-dot[data-trace-id="${id}"]`).boundingBox())!;
      return { x: b.x + b.width / 2, y: b.y + b.height / 2 };
    };
    const [pBig, pHostile, pError] = [await at(big.traceId), await at(hostile.traceId), await at(error.traceId)];
    // The 5 s trace is the slowest (highest dot); it started a minute before the hostile one, which started before the demo's.
    assert.ok(pBig.y < pHostile.y && pBig.y < pError.y, 'the slowest trace is highest');
    assert.ok(pBig.x < pHostile.x && pHostile.x < pError.x, 'dots run left to right by start time');
    assert.match((await page.locator(`circle.scatter-dot[data-trace-id="${error.traceId}"]`).getAttribute('class')) ?? '', /is-error/);
    assert.equal(await page.locator(`circle.scatter-dot[data-trace-id="${hostile.traceId}"] title`).textContent(), `evil ${HOSTILE_IMG} · 5ms · ${await page.locator(`tr.result-row[data-trace-id="${hostile.traceId}"] td.start`).innerText()}`);
    await shot(page, 'search-scatter');
    await page.locator(`circle.scatter-dot[data-trace-id="${big.traceId}"]`).click();
    await page.waitForURL(new RegExp(`/trace/${big.traceId}$`));
    await page.locator('.wf-row').first().waitFor();
    assert.equal(await page.locator('main img, main script').count(), 0);
  });

  it('compares two ticked results span by span', async () => {
    const { ok, error } = ui.target.demo;
    const page = await search('{ resource.service.name = "order" }');
    await page.locator(`tr.result-row[data-trace-id="${ok.traceId}"]`).waitFor();
    const button = page.locator('button.compare-picked');
    assert.equal(await button.isDisabled(), true);
    await page.check(`tr.result-row[data-trace-id="${ok.traceId}"] input.pick-compare`);
    await page.check(`tr.result-row[data-trace-id="${error.traceId}"] input.pick-compare`);
    assert.equal(await button.isDisabled(), false);
    await button.click();
    await page.waitForURL(new RegExp(`/trace/${ok.traceId}\\?view=compare&compare=${error.traceId}$`));
    await page.locator('table.compare-table tbody tr').nth(2).waitFor();
    assert.equal(await page.locator('table.compare-table tbody tr').count(), 3);
  });

  it('raised no script errors or CSP violations', () => {
    assert.deepEqual(ui.problems, []);
  });
});
