// The trace page's views in Chromium against the real backend loaded with the demo: the minimap
// scrolls the waterfall, the JSON (Tempo's and OTLP's shape) shows and downloads, statistics and
// the flame graph carry the trace's numbers, two traces compare span by span, the keyboard works,
// and hostile names stay text in every view.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { formatDuration } from '../../packages/cli/src/ui/lib/format.ts';
import { HOSTILE_IMG, HOSTILE_SCRIPT } from './fixtures/traces.ts';
import { browserSuite } from './fixtures/suite.ts';

interface ApiSpan { spanId: string; parentSpanId?: string; name: string; kind: string; startTimeUnixNano: string; endTimeUnixNano: string; status?: { code?: string } }
interface ApiTrace { trace: { resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { spans: ApiSpan[] }[] }[] } }

const hex = (b64: string | undefined) => (b64 ? Buffer.from(b64, 'base64').toString('hex') : '');

describe('trace page views in Chromium', () => {
  const ui = browserSuite();

  const open = ui.open;
  const shot = (page: Page, name: string) => ui.shot(page, name);
  const apiTrace = async (id: string) => (await (await fetch(`${ui.target.baseUrl}/api/v2/traces/${id}`)).json()) as ApiTrace;
  /** Spans of a stored trace with service, hex ids and duration in ns. */
  const spansOf = async (id: string) =>
    (await apiTrace(id)).trace.resourceSpans.flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) =>
        ss.spans.map((s) => ({
          service: rs.resource.attributes.find((a) => a.key === 'service.name')?.value.stringValue ?? '',
          spanId: hex(s.spanId),
          parent: hex(s.parentSpanId),
          name: s.name,
          start: BigInt(s.startTimeUnixNano),
          durNs: Number(BigInt(s.endTimeUnixNano) - BigInt(s.startTimeUnixNano)),
          error: s.status?.code === 'STATUS_CODE_ERROR',
        })),
      ),
    );
  const unharmed = async (page: Page) => {
    assert.equal(await page.locator('main img, main script').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
  };

  it('scrolls the waterfall from the minimap of a 5,000-span trace', async () => {
    const page = await open(`/trace/${ui.target.traces.big.traceId}`);
    await page.locator('.wf-row').first().waitFor();
    const minimap = page.locator('.minimap');
    const box = (await minimap.boundingBox())!;
    assert.equal(await page.locator('.wf-body').evaluate((el) => el.scrollTop), 0);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height - 1);
    // The last of 5,000 rows belong to worker 48.
    await page.locator('.wf-row', { hasText: /step 4[78]\./ }).first().waitFor();
    const { scrollTop, max } = await page.locator('.wf-body').evaluate((el) => ({ scrollTop: el.scrollTop, max: el.scrollHeight - el.clientHeight }));
    assert.ok(scrollTop > max * 0.9, `scrolled to ${scrollTop} of ${max}`);
    const viewTop = await page.locator('.minimap-view').evaluate((el) => parseFloat((el as HTMLElement).style.top));
    assert.ok(viewTop > 50, `viewport box at ${viewTop}px of 64`);
    await shot(page, 'trace-minimap');
  });

  it("shows and downloads the trace's JSON in Tempo's and OTLP's shape", async () => {
    const { ok } = ui.target.demo;
    const page = await open(`/trace/${ok.traceId}?view=json`);
    const pre = page.locator('pre.json-text');
    await pre.waitFor();
    assert.deepEqual(JSON.parse(await pre.innerText()), await apiTrace(ok.traceId));
    await page.check('input[name="json-shape"][value="otlp"]');
    const otlp = JSON.parse(await pre.innerText()) as { resourceSpans: { scopeSpans: { spans: { spanId: string; traceId: string; kind: number }[] }[] }[] };
    const spans = otlp.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans));
    assert.deepEqual(spans.map((s) => s.spanId).sort(), [ok.server, ok.client, ok.userServer].sort());
    assert.ok(spans.every((s) => s.traceId === ok.traceId && typeof s.kind === 'number'));
    assert.equal(spans.find((s) => s.spanId === ok.server)!.kind, 2);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('button.json-download')]);
    assert.equal(download.suggestedFilename(), `trace-${ok.traceId}.otlp.json`);
    const saved = readFileSync((await download.path())!, 'utf8');
    assert.deepEqual(JSON.parse(saved), otlp);
    // The OTLP shape is an export request the backend's own receiver takes back.
    const res = await fetch(`${ui.target.otlpHttp}/v1/traces`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: saved });
    assert.equal(res.status, 200, await res.text());
    await shot(page, 'trace-json');
  });

  it('counts spans, total and self time and errors per service and span name', async () => {
    const { error } = ui.target.demo;
    const spans = await spansOf(error.traceId);
    const page = await open(`/trace/${error.traceId}?view=stats`);
    await page.locator('table.stats-services tbody tr').first().waitFor();
    const cell = (row: string, cls: string) => page.locator(`${row} .${cls}`).innerText();
    assert.equal(await cell('table.stats-services tr[data-service="order"]', 'stat-count'), '2');
    assert.equal(await cell('table.stats-services tr[data-service="order"]', 'stat-errors'), '2');
    assert.equal(await cell('table.stats-services tr[data-service="user"]', 'stat-count'), '1');
    // A chain: each span's self time is its duration less its one child's.
    for (const s of spans) {
      const child = spans.find((c) => c.parent === s.spanId);
      const row = `table.stats-groups tr[data-service="${s.service}"][data-name="${s.name}"]`;
      assert.equal(await cell(row, 'stat-total'), formatDuration(s.durNs), `total of ${s.service} ${s.name}`);
      assert.equal(await cell(row, 'stat-self'), formatDuration(s.durNs - (child?.durNs ?? 0)), `self of ${s.service} ${s.name}`);
      assert.equal(await cell(row, 'stat-errors'), '1');
    }
    await shot(page, 'trace-stats');
  });

  it('draws a flame graph that merges repeated calls and zooms on click', async () => {
    const page = await open(`/trace/${ui.target.traces.big.traceId}?view=flame`);
    const root = page.locator('.flame-frame[data-name="GET /batch"]');
    await root.waitFor();
    assert.equal(await root.getAttribute('data-count'), '1');
    // 49 workers, one frame each (their names differ); "step 0.0" runs once under worker 0.
    assert.equal(await page.locator('.flame-frame[data-name^="worker "]').count(), 49);
    const chart = (await page.locator('.flame-chart').boundingBox())!;
    const rootBox = (await root.boundingBox())!;
    assert.ok(rootBox.width > chart.width * 0.99, 'the only root spans the chart');
    await shot(page, 'trace-flame');
    await page.locator('.flame-frame[data-name="worker 3"]').click();
    const zoomed = (await page.locator('.flame-frame').first().boundingBox())!;
    assert.equal(await page.locator('.flame-frame').first().innerText(), 'stock worker 3');
    // Zoomed in, the steps under the worker are wide enough to draw.
    assert.ok((await page.locator('.flame-frame[data-name^="step 3."]').count()) > 0);
    assert.ok(zoomed.width > chart.width * 0.99);
    await page.click('button.flame-reset');
    await root.waitFor();
  });

  it('compares two traces span by span, marking the spans only one has', async () => {
    const { ok, error } = ui.target.demo;
    const a = await spansOf(ok.traceId);
    const b = await spansOf(error.traceId);
    const page = await open(`/trace/${ok.traceId}?view=compare`);
    await page.fill('input[name="compare"]', error.traceId);
    await page.click('.compare-form button[type="submit"]');
    await page.waitForURL(new RegExp(`compare=${error.traceId}`));
    const rows = page.locator('table.compare-table tbody tr');
    await rows.first().waitFor();
    assert.equal(await rows.count(), 3);
    assert.equal(await page.locator('tr.only-in-a, tr.only-in-b').count(), 0);
    for (const [i, sa] of a.sort((x, y) => Number(x.start - y.start)).entries()) {
      const sb = b.find((s) => s.service === sa.service && s.name === sa.name)!;
      const delta = sb.durNs - sa.durNs;
      const text = await rows.nth(i).locator('.compare-delta').innerText();
      assert.ok(text.startsWith(delta === 0 ? '±0' : `${delta > 0 ? '+' : '−'}${formatDuration(Math.abs(delta))}`), `row ${i}: ${text}`);
    }
    await shot(page, 'trace-compare');
    // Against the hostile trace nothing matches: every span is marked, and markup stays text.
    await page.fill('input[name="compare"]', ui.target.traces.hostile.traceId);
    await page.click('.compare-form button[type="submit"]');
    await page.locator('tr.only-in-b').first().waitFor();
    assert.equal(await page.locator('tr.only-in-a').count(), 3);
    assert.equal(await page.locator('tr.only-in-b').count(), 3);
    assert.ok((await page.locator('tr.only-in-b .compare-span-name').allInnerTexts()).includes(HOSTILE_IMG));
    await unharmed(page);
    await page.fill('input[name="compare"]', 'nonsense');
    await page.click('.compare-form button[type="submit"]');
    assert.match(await page.locator('.compare-error').innerText(), /not a trace id/);
  });

  it('works from the keyboard: / finds, arrows move, Enter opens, Esc closes', async () => {
    const { ok } = ui.target.demo;
    const page = await open(`/trace/${ok.traceId}`);
    await page.locator('.wf-row').nth(2).waitFor();
    await page.keyboard.press('/');
    assert.equal(await page.evaluate(() => document.activeElement?.className), 'span-search');
    await page.keyboard.type('getuser');
    assert.equal(await page.locator('.wf-row.is-match').count(), 2);
    await page.keyboard.press('Escape');
    assert.notEqual(await page.evaluate(() => document.activeElement?.className), 'span-search');
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('.wf-row.is-cursor').getAttribute('data-span-id'), ok.server);
    await page.keyboard.press('ArrowDown');
    assert.equal(await page.locator('.wf-row.is-cursor').getAttribute('data-span-id'), ok.client);
    await page.keyboard.press('Enter');
    await page.waitForURL(new RegExp(`span=${ok.client}$`));
    assert.equal(await page.locator('.span-details .sd-span-id').innerText(), ok.client);
    await page.keyboard.press('ArrowDown');
    await page.waitForURL(new RegExp(`span=${ok.userServer}$`));
    assert.equal(await page.locator('.span-details .sd-span-id').innerText(), ok.userServer);
    await page.keyboard.press('ArrowUp');
    await page.waitForURL(new RegExp(`span=${ok.client}$`));
    await page.keyboard.press('Escape');
    await page.waitForURL(new RegExp(`/trace/${ok.traceId}$`));
    assert.equal(await page.locator('.span-details').count(), 0);
    // Left collapses the row under the cursor, right opens it again.
    await page.keyboard.press('ArrowLeft');
    assert.equal(await page.locator('.wf-row').count(), 2);
    await page.keyboard.press('ArrowRight');
    assert.equal(await page.locator('.wf-row').count(), 3);
    // A deep link selects its span and puts the cursor on it.
    const linked = await open(`/trace/${ok.traceId}?span=${ok.userServer}`);
    await linked.locator('.span-details').waitFor();
    assert.equal(await linked.locator('.wf-row.is-cursor').getAttribute('data-span-id'), ok.userServer);
    await linked.keyboard.press('ArrowUp');
    await linked.waitForURL(new RegExp(`span=${ok.client}$`));
  });

  it('keeps hostile names and values as text in statistics, flame graph and JSON', async () => {
    const { hostile } = ui.target.traces;
    const stats = await open(`/trace/${hostile.traceId}?view=stats`);
    await stats.locator('table.stats-groups .stat-name').first().waitFor();
    assert.deepEqual((await stats.locator('table.stats-groups .stat-name').allInnerTexts()).sort(), [HOSTILE_IMG, HOSTILE_SCRIPT, 'late orphan'].sort());
    await unharmed(stats);
    const flame = await open(`/trace/${hostile.traceId}?view=flame`);
    await flame.locator('.flame-frame').nth(1).waitFor();
    assert.ok((await flame.locator('.flame-label').allInnerTexts()).includes(`evil ${HOSTILE_IMG}`));
    await unharmed(flame);
    const json = await open(`/trace/${hostile.traceId}?view=json`);
    await json.locator('pre.json-text').waitFor();
    assert.ok((await json.locator('pre.json-text').innerText()).includes(JSON.stringify(HOSTILE_IMG)));
    await unharmed(json);
    const timeline = await open(`/trace/${hostile.traceId}`);
    await timeline.locator('.minimap canvas').waitFor();
    await unharmed(timeline);
  });

  it('raised no script errors or CSP violations', () => {
    assert.deepEqual(ui.problems, []);
  });
});
