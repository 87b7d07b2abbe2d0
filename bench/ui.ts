/**
 * The UI in headless Chromium: time to first render of a 5,000-span trace, and how a
 * 50,000-span trace responds (first render, scrolling to its end, collapsing, span search,
 * selecting a span). The UI
 * is built (scripts/build-ui.mjs) into a temp folder, served by a backend holding the trace,
 * and `/trace/<id>` is opened repeatedly: cold (new browser context, nothing cached) and warm
 * (reload, assets cached). "First render" is the first waterfall row in the DOM plus two
 * animation frames (the frame that paints it), from navigation start, read in the page.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser } from '../test/ui/fixtures/browser.ts';
import { otlpTypes } from '../packages/cli/src/backend/otlp/index.ts';
import { startBackendProcess, type BackendProcess } from './lib/backend.ts';
import { renderTable } from './lib/markdown.ts';
import { log } from './lib/options.ts';
import { startChild } from './lib/processes.ts';
import { SECTION_TITLES } from './lib/report-file.ts';
import type { BenchSection } from './lib/section.ts';
import { makeTempDir, removeTempDir } from './lib/temp-dirs.ts';
import { buildWideTrace, hex, traceIdBytes } from './lib/span-factory.ts';
import { fmt, median } from './lib/stats.ts';

export interface UiOptions {
  spans: number;
  /** Page loads per case (cold, warm). */
  runs: number;
  /** Spans of the big trace whose interactions are timed. */
  bigSpans: number;
  /** Rounds of the interactions on it. */
  bigRuns: number;
}

export const UI_DEFAULTS: UiOptions = { spans: 5000, runs: 7, bigSpans: 50_000, bigRuns: 3 };
export const UI_QUICK: UiOptions = { spans: 5000, runs: 2, bigSpans: 50_000, bigRuns: 1 };

/** Spans per export request when loading a big trace (a receiver's body limit is not the point here). */
const SPANS_PER_REQUEST = 5000;

const ROW = '.waterfall .wf-row';
const BUILD_SCRIPT = fileURLToPath(new URL('../packages/cli/scripts/build-ui.mjs', import.meta.url));

// Runs in the page before its own scripts: notes when the first waterfall row is inserted.
const OBSERVE_FIRST_ROW = `(() => {
  const w = window;
  new MutationObserver((_, observer) => {
    if (w.__firstRowAt === undefined && document.querySelector(${JSON.stringify(ROW)})) {
      w.__firstRowAt = performance.now();
      observer.disconnect();
      requestAnimationFrame(() => requestAnimationFrame(() => { w.__firstPaintAt = performance.now(); }));
    }
  }).observe(document, { childList: true, subtree: true });
})();`;

interface Load {
  /** First row inserted, ms since navigation start. */
  rowMs: number;
  /** The frame after it, ms since navigation start. */
  paintMs: number;
  /** When the trace API response finished, ms since navigation start. */
  apiMs: number;
  /** When the page sent the trace request (the app's script has run by then). */
  apiStartMs: number;
  /** First byte of the trace response. */
  apiFirstByteMs: number;
  rowsInDom: number;
}

async function measureLoad(page: Page, url: string, reload: boolean): Promise<Load> {
  if (reload) await page.reload({ waitUntil: 'commit' });
  else await page.goto(url, { waitUntil: 'commit' });
  await page.waitForFunction(() => (window as unknown as { __firstPaintAt?: number }).__firstPaintAt !== undefined, undefined, { timeout: 60_000 });
  return page.evaluate((row) => {
    const w = window as unknown as { __firstRowAt: number; __firstPaintAt: number };
    const api = performance.getEntriesByType('resource').find((e) => e.name.includes('/traces/')) as PerformanceResourceTiming | undefined;
    return {
      rowMs: w.__firstRowAt,
      paintMs: w.__firstPaintAt,
      apiMs: api?.responseEnd ?? NaN,
      apiStartMs: api?.requestStart || api?.startTime || NaN,
      apiFirstByteMs: api?.responseStart ?? NaN,
      rowsInDom: document.querySelectorAll(row).length,
    };
  }, ROW);
}

async function loadTrace(backend: BackendProcess, spans: number, traceNumber = 1): Promise<string> {
  const prefix = new Uint8Array([0x0e, 0x1e, 0x5a, 0x11, 0, 0, 0, 5]);
  const request = buildWideTrace(prefix, traceNumber, spans);
  // One request per SPANS_PER_REQUEST spans of each resource.
  for (let from = 0; ; from += SPANS_PER_REQUEST) {
    const part = {
      resourceSpans: request.resourceSpans
        .map((rs) => ({ ...rs, scopeSpans: rs.scopeSpans.map((ss) => ({ ...ss, spans: ss.spans.slice(from, from + SPANS_PER_REQUEST) })) }))
        .filter((rs) => rs.scopeSpans.some((ss) => ss.spans.length > 0)),
    };
    if (part.resourceSpans.length === 0) break;
    const body = otlpTypes.ExportTraceServiceRequest.encode(part as never).finish();
    const res = await fetch(backend.otlpHttpTraces, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(body) });
    if (!res.ok) throw new Error(`loading the trace: ${res.status} ${await res.text()}`);
  }
  return hex(traceIdBytes(prefix, traceNumber));
}

/** What using the big trace cost, ms each, from the action to the frame that shows its result. */
interface BigTraceTimes {
  firstRenderMs: number;
  scrollEndMs: number;
  collapseMs: number;
  expandMs: number;
  searchMs: number;
  selectMs: number;
  rowsInDom: number;
}

// Runs in the page: performs one action and resolves with the ms until `done()` holds in a painted frame.
const TIME_ACTION = `async (action, done) => {
  const frame = () => new Promise((r) => requestAnimationFrame(() => r()));
  const t0 = performance.now();
  action();
  for (;;) {
    await frame();
    if (done()) break;
    if (performance.now() - t0 > 60000) throw new Error('action did not finish in 60 s');
  }
  await frame();
  return performance.now() - t0;
}`;

async function timeAction(page: Page, action: string, done: string): Promise<number> {
  return page.evaluate(`(${TIME_ACTION})(() => { ${action} }, () => (${done}))`) as Promise<number>;
}

/** Opens the big trace cold and times scrolling, collapsing, searching and selecting on it. */
async function measureBigTrace(browser: Browser, url: string, spans: number): Promise<BigTraceTimes> {
  // The timed actions are strings evaluated in the page, which the UI's CSP (no eval) would refuse.
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 }, bypassCSP: true });
  try {
    await context.addInitScript(OBSERVE_FIRST_ROW);
    const page = await context.newPage();
    const load = await measureLoad(page, url, false);
    const rows = `document.querySelectorAll(${JSON.stringify(ROW)})`;
    const scrollEndMs = await timeAction(
      page,
      `const b = document.querySelector('.wf-body'); b.scrollTop = b.scrollHeight;`,
      `[...${rows}].some((r) => Number(r.style.top.replace('px', '')) >= (${spans} - 20) * 26)`,
    );
    await page.evaluate(`document.querySelector('.wf-body').scrollTop = 0`);
    await page.waitForFunction(`${rows}[0]?.getAttribute('data-depth') === '0'`);
    const collapseMs = await timeAction(page, `${rows}[0].querySelector('.wf-toggle').click()`, `${rows}.length === 1`);
    const expandMs = await timeAction(page, `${rows}[0].querySelector('.wf-toggle').click()`, `${rows}.length > 1`);
    const searchMs = await timeAction(
      page,
      `const i = document.querySelector('input.span-search'); i.value = 'GetUser'; i.dispatchEvent(new Event('input', { bubbles: true }));`,
      `document.querySelector('.match-count') !== null`,
    );
    const selectMs = await timeAction(page, `${rows}[3].click()`, `document.querySelector('.span-details') !== null`);
    return { firstRenderMs: load.paintMs, scrollEndMs, collapseMs, expandMs, searchMs, selectMs, rowsInDom: load.rowsInDom };
  } finally {
    await context.close();
  }
}

/** Runs the UI benchmark and returns its report section. */
export async function runUi(options: UiOptions): Promise<BenchSection> {
  const dir = await makeTempDir('ui');
  let backend: BackendProcess | undefined;
  let browser: Browser | undefined;
  try {
    const build = startChild('build-ui', process.execPath, [BUILD_SCRIPT, '--outdir', join(dir, 'ui')]);
    if ((await build.exited) !== 0) throw new Error(`build-ui failed: ${build.stderr() || build.stdout()}`);
    backend = await startBackendProcess({ dataDir: join(dir, 'data'), uiDir: join(dir, 'ui') });
    const traceId = await loadTrace(backend, options.spans);
    const url = `${backend.query}/trace/${traceId}`;
    const bigTraceId = await loadTrace(backend, options.bigSpans, 2);
    browser = await launchBrowser();
    const cold: Load[] = [];
    const warm: Load[] = [];
    let spanCountText = '';
    for (let i = 0; i < options.runs; i++) {
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      await context.addInitScript(OBSERVE_FIRST_ROW);
      const page = await context.newPage();
      cold.push(await measureLoad(page, url, false));
      warm.push(await measureLoad(page, url, true));
      spanCountText ||= (await page.locator('.span-count').first().textContent({ timeout: 5000 }).catch(() => '')) ?? '';
      await context.close();
      log(`ui: run ${i + 1}/${options.runs}: cold ${fmt(cold[i].paintMs)} ms, warm ${fmt(warm[i].paintMs)} ms`);
    }
    const big: BigTraceTimes[] = [];
    for (let i = 0; i < options.bigRuns; i++) {
      big.push(await measureBigTrace(browser, `${backend.query}/trace/${bigTraceId}`, options.bigSpans));
      log(`ui: ${options.bigSpans}-span trace ${i + 1}/${options.bigRuns}: first render ${fmt(big[i].firstRenderMs)} ms, scroll ${fmt(big[i].scrollEndMs)} ms, search ${fmt(big[i].searchMs)} ms`);
    }
    return report(options, cold, warm, spanCountText, big);
  } finally {
    await browser?.close();
    await backend?.child.stop();
    await removeTempDir(dir);
  }
}

function report(options: UiOptions, cold: Load[], warm: Load[], spanCountText: string, big: BigTraceTimes[]): BenchSection {
  const row = (label: string, loads: Load[]) => [
    label,
    fmt(median(loads.map((l) => l.paintMs))),
    fmt(Math.min(...loads.map((l) => l.paintMs))),
    fmt(Math.max(...loads.map((l) => l.paintMs))),
    fmt(median(loads.map((l) => l.rowMs))),
    fmt(median(loads.map((l) => l.apiStartMs))),
    fmt(median(loads.map((l) => l.apiFirstByteMs))),
    fmt(median(loads.map((l) => l.apiMs))),
    fmt(median(loads.map((l) => l.rowsInDom))),
  ];
  const table = renderTable({
    title: `UI: time to first render of a ${fmt(options.spans)}-span trace (headless Chromium)`,
    head: ['page load', 'first render ms (median)', 'min', 'max', 'first row in DOM ms', 'trace request sent ms', 'first byte ms', 'trace API done ms', 'rows in DOM'],
    rows: [row('cold (new context)', cold), row('warm (reload)', warm)],
    notes: [
      `${options.runs} loads each of \`/trace/<id>\`; times from navigation start, read in the page. The trace has one root and a`,
      `fan-out of 4 across 3 services, spans with 10–19 attributes; the page showed "${spanCountText.trim() || '?'}". The waterfall is`,
      'virtualised, so "rows in DOM" is what it rendered for a 900 px high viewport, not all spans.',
    ],
  });
  const m = (pick: (t: BigTraceTimes) => number) => fmt(median(big.map(pick)));
  const bigTable = renderTable({
    title: `UI: using a ${fmt(options.bigSpans)}-span trace (headless Chromium, cold page)`,
    head: ['first render ms', 'scroll to the end ms', 'collapse root ms', 'expand root ms', 'span search ms', 'select a span ms', 'rows in DOM'],
    rows: [[m((t) => t.firstRenderMs), m((t) => t.scrollEndMs), m((t) => t.collapseMs), m((t) => t.expandMs), m((t) => t.searchMs), m((t) => t.selectMs), m((t) => t.rowsInDom)]],
    notes: [
      `Median of ${big.length} rounds. Each time runs from the action (set in the page) to the painted frame that shows its result:`,
      'the last rows in the DOM, one row left, rows back, the match count, the details panel. The trace is built like the',
      '5,000-span one (fan-out of 4, three services) and was loaded in requests of 5,000 spans. Span attributes are decoded',
      'when first read and the search text is built in idle time after the first render, so a search this soon after',
      'loading (the rounds run back to back) pays for what is not built yet; later searches only scan. For scale, Jaeger UI\'s',
      'maintainers measured about 3 s to set up a 10,000-span trace page after its data arrived, 1.43 s of it the minimap',
      '(jaegertracing/jaeger-ui#256, 2018); no newer published figure was found.',
    ],
  });
  return { id: 'ui', title: SECTION_TITLES.ui, body: `${table}\n\n${bigTable}` };
}
