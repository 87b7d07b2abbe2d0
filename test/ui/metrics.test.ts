// The metrics page in Chromium against the real backend, loaded with generated spans at known
// times: the lines, legend entries and table values are the backend's own query_range answer
// for the same query, range and step; an exemplar dot opens its trace; a bad query shows the
// backend's 400 reason; an empty answer says so; markup in a label value stays text.
import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { formatTick } from '../../packages/cli/src/ui/lib/format.ts';
import type { QueryRangeResponse } from '../../packages/cli/src/ui/lib/tempo-types.ts';
import { otlpExportRequest, type SpanSpec } from '../../packages/cli/src/ui/testing/index.ts';
import { HOSTILE_IMG } from './fixtures/traces.ts';
import { browserSuite } from './fixtures/suite.ts';
import { eventually } from '../lib/eventually.ts';

const MINUTE_MS = 60_000;

/** One generated single-span trace: service, start (ms after the base) and duration. */
interface GeneratedTrace {
  traceId: string;
  service: string;
  atMs: number;
  durationMs: number;
  attributes?: Record<string, string>;
}

/**
 * mx-alpha: a trace a minute for 6 minutes, 10..60 ms; mx-beta: one every 2 minutes, 200 ms;
 * mx-evil: one trace whose `mx.label` is markup. All well inside the range the tests ask for.
 */
function generatedTraces(): GeneratedTrace[] {
  const out: GeneratedTrace[] = [];
  let n = 0;
  const id = () => `3e7a${(++n).toString(16).padStart(28, '0')}`;
  for (let i = 0; i < 6; i++) out.push({ traceId: id(), service: 'mx-alpha', atMs: i * MINUTE_MS + 10_000, durationMs: (i + 1) * 10 });
  for (let i = 0; i < 3; i++) out.push({ traceId: id(), service: 'mx-beta', atMs: i * 2 * MINUTE_MS + 30_000, durationMs: 200 });
  out.push({ traceId: id(), service: 'mx-evil', atMs: 5_000, durationMs: 3, attributes: { 'mx.label': HOSTILE_IMG } });
  return out;
}

describe('TraceQL metrics in Chromium', () => {
  const ui = browserSuite();
  const traces = generatedTraces();
  // Whole minutes 20 minutes ago, so the range is in the past and its alignment does not move with "now".
  const baseMs = Math.floor((Date.now() - 20 * MINUTE_MS) / MINUTE_MS) * MINUTE_MS;
  const range = { start: String(baseMs / 1000 - 120), end: String(baseMs / 1000 + 10 * 60), step: '1m' };

  before(async () => {
    for (const t of traces) {
      const spans: SpanSpec[] = [{ service: t.service, spanId: `${t.traceId.slice(-16)}`, name: 'GET /mx', kind: 'SERVER', start: 0, end: t.durationMs, attributes: t.attributes }];
      const res = await fetch(`${ui.target.otlpHttp}/v1/traces`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(otlpExportRequest(t.traceId, spans, BigInt(baseMs + t.atMs) * 1_000_000n)),
      });
      assert.equal(res.status, 200, await res.text());
    }
    // Stored once the backend counts every generated span.
    let total = 0;
    await eventually(
      () => `the backend to count all ${traces.length} generated spans, counted ${total}`,
      async () => {
        const body = await backendAnswer('{ resource.service.name =~ "mx-.*" } | count_over_time()');
        total = (body.series ?? []).flatMap((s) => s.samples ?? []).reduce((sum, s) => sum + Number(s.value), 0);
        return total === traces.length;
      },
      { timeoutMs: 15_000, pollMs: 100 },
    );
  }, { timeout: 600_000 });

  const open = ui.open;
  const shot = (page: Page, name: string) => ui.shot(page, name, { fullPage: true });
  const pageUrl = (q: string) => `/traceql-metrics?${new URLSearchParams({ q, range: 'custom', ...range })}`;
  const apiParams = (q: string) => new URLSearchParams({ q, ...range });

  /** The backend's own answer to the query the page sends for `q` (same range and step). */
  async function backendAnswer(q: string): Promise<QueryRangeResponse> {
    const res = await fetch(`${ui.target.baseUrl}/api/metrics/query_range?${apiParams(q)}`);
    assert.equal(res.status, 200, await res.clone().text());
    return (await res.json()) as QueryRangeResponse;
  }

  /** The legend names, lines and table values on the page; each table cell as [series, ms, value]. */
  async function drawn(page: Page) {
    await page.locator('.metrics-legend .legend-item').first().waitFor();
    await page.click('.metrics-values summary');
    const cells = await page.locator('table.metrics-table td.mt-cell[data-value]').evaluateAll((tds) =>
      tds.map((td) => [Number(td.getAttribute('data-series-index')), Number(td.closest('tr')!.getAttribute('data-timestamp-ms')), Number(td.getAttribute('data-value'))]),
    );
    return {
      legend: await page.locator('.metrics-legend .legend-name').allInnerTexts(),
      lines: await page.locator('svg path.metrics-line').count(),
      columns: await page.locator('table.metrics-table th.mt-series').allInnerTexts(),
      cells: cells.sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    };
  }

  /** [series index, ms, value] of every sample of the answer, the order the page shows series in. */
  const answerCells = (body: QueryRangeResponse, order: number[] = (body.series ?? []).map((_, i) => i)) =>
    order.flatMap((k, i) => (body.series![k].samples ?? []).map((s) => [i, Number(s.timestampMs), Number(s.value)])).sort((a, b) => a[0] - b[0] || a[1] - b[1]);

  it('draws rate() by service: one line and legend entry per series, the table holds the backend values', async () => {
    const q = '{ resource.service.name =~ "mx-.*" } | rate() by (resource.service.name)';
    const body = await backendAnswer(q);
    assert.equal(body.series?.length, 3);
    const page = await open(pageUrl(q));
    const d = await drawn(page);
    assert.equal(d.lines, 3);
    assert.deepEqual(d.legend, ['{resource.service.name="mx-alpha"}', '{resource.service.name="mx-beta"}', '{resource.service.name="mx-evil"}']);
    assert.deepEqual(d.columns, d.legend);
    assert.deepEqual(d.cells, answerCells(body));
    // The legend hides and shows a series.
    await page.locator('.metrics-legend .legend-item').nth(1).locator('button').click();
    assert.equal(await page.locator('svg path.metrics-line').count(), 2);
    await page.locator('.metrics-legend .legend-item').nth(1).locator('button').click();
    assert.equal(await page.locator('svg path.metrics-line').count(), 3);
    await shot(page, 'metrics-rate');
  });

  it('draws quantile_over_time per service and quantile, values in the table as the backend answers them', async () => {
    const q = '{ resource.service.name =~ "mx-(alpha|beta)" } | quantile_over_time(duration, .5, .9) by (resource.service.name)';
    const body = await backendAnswer(q);
    assert.equal(body.series?.length, 4);
    const page = await open(pageUrl(q));
    const d = await drawn(page);
    assert.equal(d.lines, 4);
    assert.equal(d.legend.length, 4);
    assert.deepEqual(d.cells, answerCells(body));
    assert.ok(d.legend.every((name) => /p=0\.[59]/.test(name) && /mx-(alpha|beta)/.test(name)), d.legend.join(' | '));
  });

  it('draws histogram_over_time as a heatmap of its buckets, or one line per bucket ordered by bound', async () => {
    const q = '{ resource.service.name = "mx-alpha" } | histogram_over_time(duration)';
    const body = await backendAnswer(q);
    const bucketOf = (i: number) => Number(body.series![i].labels!.find((l) => l.key === '__bucket')!.value!.doubleValue);
    const order = body.series!.map((_, i) => i).sort((a, b) => bucketOf(a) - bucketOf(b));
    assert.ok(order.length >= 3, `${order.length} buckets`);
    const page = await open(pageUrl(q));
    // The heatmap: a shaded cell for every non-zero count, in its bucket's row and interval.
    const cells = page.locator('svg rect.heatmap-cell');
    await cells.first().waitFor();
    const drawnCells = await cells.evaluateAll((rs) => rs.map((r) => [Number(r.getAttribute('data-bucket')), Number(r.getAttribute('data-timestamp-ms')), Number(r.getAttribute('data-value'))]));
    const answered = order.flatMap((i) => body.series![i].samples!.filter((s) => Number(s.value) > 0).map((s) => [bucketOf(i), Number(s.timestampMs), Number(s.value)]));
    assert.deepEqual(drawnCells, answered);
    assert.equal(answered.reduce((n, c) => n + c[2], 0), 6, 'each mx-alpha span counted once');
    const bounds = page.locator('.heatmap-bound');
    assert.deepEqual(await bounds.allTextContents(), order.map((i) => `≤ ${formatTick(bucketOf(i) * 1e9)}`));
    assert.ok((await bounds.first().boundingBox())!.y > (await bounds.last().boundingBox())!.y, 'the smallest bucket is the bottom row');
    const exemplarIds = body.series!.flatMap((s) => (s.exemplars ?? []).map((e) => e.labels!.find((l) => l.key === 'trace:id')!.value!.stringValue)).sort();
    assert.deepEqual((await page.locator('svg circle.metrics-exemplar').evaluateAll((cs) => cs.map((c) => c.getAttribute('data-trace-id')))).sort(), exemplarIds);
    await shot(page, 'metrics-heatmap');
    await page.click('button.view-lines');
    const d = await drawn(page);
    assert.equal(d.lines, order.length);
    assert.deepEqual(d.legend, order.map((i) => `{__bucket=${bucketOf(i)}}`));
    assert.deepEqual(d.cells, answerCells(body, order));
    await shot(page, 'metrics-histogram');
  });

  it('opens the trace of an exemplar dot', async () => {
    const q = '{ resource.service.name = "mx-beta" } | rate()';
    const body = await backendAnswer(q);
    const ids = (body.series?.[0]?.exemplars ?? []).map((e) => e.labels?.find((l) => l.key === 'trace:id')?.value?.stringValue);
    const beta = traces.filter((t) => t.service === 'mx-beta').map((t) => t.traceId);
    assert.deepEqual([...ids].sort(), beta, 'the backend gives an exemplar per mx-beta span');
    const page = await open(pageUrl(q));
    const dots = page.locator('svg circle.metrics-exemplar');
    await dots.first().waitFor();
    assert.deepEqual((await dots.evaluateAll((cs) => cs.map((c) => c.getAttribute('data-trace-id')))).sort(), beta);
    const id = await dots.nth(1).getAttribute('data-trace-id');
    await dots.nth(1).click();
    // The exemplar names its span too: the trace opens with that span selected.
    const spanId = id!.slice(-16);
    await page.waitForURL(new RegExp(`/trace/${id}\\?span=${spanId}$`));
    await page.locator('.wf-row').first().waitFor();
    assert.equal(await page.locator('.wf-row').count(), 1);
    assert.equal(await page.locator('.span-details .sd-span-id').innerText(), spanId);
  });

  it("shows the backend's reason for a bad query", async () => {
    const q = '{ resource.service.name = "mx-alpha" } | rate( by (name)';
    const res = await fetch(`${ui.target.baseUrl}/api/metrics/query_range?${apiParams(q)}`);
    assert.equal(res.status, 400);
    const reason = (await res.text()).trim();
    assert.ok(reason.length > 0);
    const page = await open(pageUrl(q));
    const banner = page.locator('.error-banner');
    await banner.waitFor();
    assert.equal(await banner.locator('.error-text').innerText(), `400: ${reason}`);
    assert.equal(await page.locator('svg path.metrics-line').count(), 0);
    // A bad step is the backend's to refuse too.
    const stepPage = await open(`/traceql-metrics?${new URLSearchParams({ q: '{ } | rate()', range: 'custom', ...range, step: 'soon' })}`);
    await stepPage.locator('.error-banner').waitFor();
    assert.match(await stepPage.locator('.error-banner .error-text').innerText(), /^400: .*step/);
  });

  it('says plainly when nothing matched', async () => {
    const q = '{ resource.service.name = "mx-nobody" } | rate()';
    assert.deepEqual((await backendAnswer(q)).series ?? [], []);
    const page = await open(pageUrl(q));
    await page.locator('.no-results').waitFor();
    assert.match(await page.locator('.no-results').innerText(), /^No series: no spans matched .*mx-nobody/);
    assert.equal(await page.locator('svg path.metrics-line').count(), 0);
  });

  it('keeps the query, range and step in the URL; the nav link opens the page', async () => {
    const page = await open('/search');
    await page.click('header nav a[href="/traceql-metrics"]');
    await page.waitForURL(/\/traceql-metrics$/);
    // The default query runs at once.
    await page.locator('.metrics-legend .legend-item').first().waitFor();
    const q = '{ resource.service.name = "mx-alpha" } | count_over_time()';
    await page.fill('textarea[name="q"]', q);
    await page.fill('input[name="step"]', '2m');
    await page.selectOption('select[name="range"]', '24h');
    await page.click('form.metrics-form button[type="submit"]');
    await page.waitForURL((url) => url.searchParams.get('q') === q && url.searchParams.get('step') === '2m' && url.searchParams.get('range') === '24h');
    await page.locator('.metrics-legend .legend-item').first().waitFor();
    assert.deepEqual(await page.locator('.metrics-legend .legend-name').allInnerTexts(), ['count_over_time']);
    await page.reload();
    assert.equal(await page.inputValue('textarea[name="q"]'), q);
    assert.equal(await page.inputValue('input[name="step"]'), '2m');
    assert.equal(await page.inputValue('select[name="range"]'), '24h');
    await page.locator('.metrics-legend .legend-item').first().waitFor();
    // Six mx-alpha spans in the last day, whatever the buckets.
    await page.click('.metrics-values summary');
    const values = await page.locator('table.metrics-table td.mt-cell[data-value]').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value'))));
    assert.equal(values.reduce((a, b) => a + b, 0), 6);
  });

  it("shows an instant query's value per series as the backend answers it", async () => {
    const q = '{ resource.service.name =~ "mx-.*" } | count_over_time() by (resource.service.name)';
    const res = await fetch(`${ui.target.baseUrl}/api/metrics/query?${new URLSearchParams({ q, start: range.start, end: range.end })}`);
    assert.equal(res.status, 200);
    const body = (await res.json()) as { series: { labels: { key: string; value: { stringValue: string } }[]; value: number }[] };
    assert.deepEqual(body.series.map((s) => [s.labels[0].value.stringValue, s.value]), [['mx-alpha', 6], ['mx-beta', 3], ['mx-evil', 1]]);
    const page = await open(`/traceql-metrics?${new URLSearchParams({ q, range: 'custom', start: range.start, end: range.end, instant: '1' })}`);
    const rows = page.locator('table.metrics-instant tr.mi-row');
    await rows.first().waitFor();
    assert.equal(await rows.count(), body.series.length);
    assert.deepEqual(await page.locator('table.metrics-instant .mi-name').allInnerTexts(), body.series.map((s) => `{resource.service.name="${s.labels[0].value.stringValue}"}`));
    assert.deepEqual(await page.locator('table.metrics-instant .mi-value').evaluateAll((tds) => tds.map((td) => Number(td.getAttribute('data-value')))), body.series.map((s) => s.value));
    assert.equal(await page.isChecked('input[name="instant"]'), true);
    assert.equal(await page.locator('svg path.metrics-line').count(), 0);
    await shot(page, 'metrics-instant');
  });

  it('renders markup in a label value as text, in the legend, the table and the tooltip', async () => {
    const q = '{ resource.service.name = "mx-evil" } | count_over_time() by (span.mx.label)';
    const page = await open(pageUrl(q));
    const d = await drawn(page);
    const name = `{span.mx.label=${JSON.stringify(HOSTILE_IMG)}}`;
    assert.deepEqual(d.legend, [name]);
    assert.deepEqual(d.columns, [name]);
    // The span's exemplar sits on its interval's sample; hovering there shows that time's values.
    const dot = page.locator('svg circle.metrics-exemplar').first();
    const title = (await dot.locator('title').textContent()) ?? '';
    assert.ok(title.startsWith(`${name} · 1 · `), title);
    const box = (await dot.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
    await page.locator('.metrics-tooltip .mt-name').waitFor();
    assert.equal(await page.locator('.metrics-tooltip .mt-name').innerText(), name);
    assert.equal(await page.locator('.metrics-tooltip .mt-value').innerText(), '1');
    assert.equal(await page.locator('main img, main script').count(), 0);
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned), undefined);
    await shot(page, 'metrics-hostile');
  });

  it('raised no script errors or CSP violations', () => {
    assert.deepEqual(ui.problems, []);
  });
});
