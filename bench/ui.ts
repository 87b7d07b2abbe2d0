/**
 * Issue item 4, the UI: time to first render of a 5,000-span trace in headless Chromium. The UI
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
}

export const UI_DEFAULTS: UiOptions = { spans: 5000, runs: 7 };
export const UI_QUICK: UiOptions = { spans: 5000, runs: 2 };

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

async function loadTrace(backend: BackendProcess, spans: number): Promise<string> {
  const prefix = new Uint8Array([0x0e, 0x1e, 0x5a, 0x11, 0, 0, 0, 5]);
  const request = buildWideTrace(prefix, 1, spans);
  const body = otlpTypes.ExportTraceServiceRequest.encode(request as never).finish();
  const res = await fetch(backend.otlpHttpTraces, { method: 'POST', headers: { 'content-type': 'application/x-protobuf' }, body: new Uint8Array(body) });
  if (!res.ok) throw new Error(`loading the trace: ${res.status} ${await res.text()}`);
  return hex(traceIdBytes(prefix, 1));
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
    return report(options, cold, warm, spanCountText);
  } finally {
    await browser?.close();
    await backend?.child.stop();
    await removeTempDir(dir);
  }
}

function report(options: UiOptions, cold: Load[], warm: Load[], spanCountText: string): BenchSection {
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
  return { id: 'ui', title: SECTION_TITLES.ui, body: table };
}
