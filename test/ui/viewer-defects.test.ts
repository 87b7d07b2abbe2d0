// The trace viewer's reported defects (issue 16, point 1), each checked in a real Chromium against
// the real backend loaded with the demo's traces: the span panel's log entries, the search list's
// durations, the critical path over the duration label, the span search's placeholder, the empty
// logs block and the favicon.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { browserSuite } from './fixtures/suite.ts';

describe('trace viewer defects in Chromium', () => {
  const ui = browserSuite();

  const open = ui.open;
  const shot = (page: Page, name: string) => ui.shot(page, name);
  /** Waits until the trace's logs have loaded (the heading then carries their count). */
  const logsLoaded = (page: Page) => page.locator('.trace-logs h2', { hasText: '(' }).waitFor();

  it("lays a span's log entries out in lines, not a column of single characters", async () => {
    const { error } = ui.target.demo;
    const page = await open(`/trace/${error.traceId}`);
    await logsLoaded(page);
    await page.click(`.wf-row[data-span-id="${error.userServer}"]`);
    const texts = page.locator('.span-details .sd-logs .log-text');
    await texts.first().waitFor();
    // user-rpc writes an access log for the call, carrying the span's ids.
    const boxes = await texts.evaluateAll((els) =>
      els.map((el) => {
        const r = el.getBoundingClientRect();
        const lineHeight = parseFloat(getComputedStyle(el).lineHeight) || 16;
        return { width: r.width, lines: Math.round(r.height / lineHeight), chars: (el.textContent ?? '').length };
      }),
    );
    for (const b of boxes) {
      assert.ok(b.width >= 200, `log text is ${b.width}px wide`);
      // About 7px a character in the panel's monospace font: far fewer lines than characters.
      assert.ok(b.lines <= Math.ceil((b.chars * 8) / b.width) + 1, `log text of ${b.chars} chars takes ${b.lines} lines at ${b.width}px`);
    }
    await shot(page, 'defect-span-logs');
  });

  it('shows search durations with the precision the search API has (whole milliseconds)', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await fetch(`${ui.target.baseUrl}/api/search?${new URLSearchParams({ start: String(now - 3600), end: String(now + 60), limit: '20' })}`);
    const body = (await res.json()) as { traces: { traceID: string; durationMs: number }[] };
    const apiMs = new Map(body.traces.map((t) => [t.traceID.padStart(32, '0'), t.durationMs]));
    // The hostile trace lasts exactly 5 ms and the big one 5 s: neither has a fraction to show.
    assert.equal(apiMs.get(ui.target.traces.hostile.traceId), 5);
    assert.equal(apiMs.get(ui.target.traces.big.traceId), 5000);
    const page = await open('/search');
    await page.locator(`tr[data-trace-id="${ui.target.traces.big.traceId}"]`).waitFor();
    const shown = await page.locator('tr.result-row').evaluateAll((rows) =>
      rows.map((r) => [r.getAttribute('data-trace-id')!, r.querySelector('.duration-text')!.textContent!] as const),
    );
    assert.equal(shown.length, apiMs.size);
    const whole = (ms: number) => (ms < 1 ? '<1ms' : ms < 1000 ? `${ms}ms` : `${ms / 1000}s`);
    for (const [id, text] of shown) assert.equal(text, whole(apiMs.get(id)!), `trace ${id}`);
  });

  it("keeps the root span's duration label readable over the critical path", async () => {
    const { ok } = ui.target.demo;
    const page = await open(`/trace/${ok.traceId}`);
    await page.locator('.wf-row').nth(2).waitFor();
    await page.check('input[name="critical"]');
    await page.locator('.wf-row .wf-critical').first().waitFor();
    const overlaps = await page.locator('.wf-row').evaluateAll((rows) =>
      rows.flatMap((row) => {
        const label = row.querySelector('.wf-duration')!.getBoundingClientRect();
        return [...row.querySelectorAll('.wf-critical')]
          .map((seg) => seg.getBoundingClientRect())
          .filter((s) => s.left < label.right && s.right > label.left && s.top < label.bottom && s.bottom > label.top)
          .map(() => row.getAttribute('data-span-id'));
      }),
    );
    assert.deepEqual(overlaps, []);
    await shot(page, 'defect-critical-label');
  });

  it('shows the span search placeholder in full', async () => {
    const { ok } = ui.target.demo;
    const page = await open(`/trace/${ok.traceId}`);
    const input = page.locator('input.span-search');
    await input.waitFor();
    const fit = await input.evaluate((el: HTMLInputElement) => {
      const style = getComputedStyle(el);
      const ctx = document.createElement('canvas').getContext('2d')!;
      ctx.font = style.font;
      const room = el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
      return { text: ctx.measureText(el.placeholder).width, room };
    });
    assert.ok(fit.text <= fit.room - 16, `placeholder needs ${fit.text}px, has ${fit.room}px (less the clear button)`);
  });

  it('leaves out the logs block of a span that has no logs', async () => {
    const { ok } = ui.target.demo;
    const page = await open(`/trace/${ok.traceId}`);
    await logsLoaded(page);
    // The order CLIENT span of a call that succeeded writes no log: a client logs only failed and
    // slow calls (the demo fixture writes no slow lines), access lines belong to server spans.
    await page.click(`.wf-row[data-span-id="${ok.client}"]`);
    await page.locator('.span-details').waitFor();
    assert.equal(await page.locator('.span-details .sd-logs').count(), 0);
    assert.doesNotMatch(await page.locator('.span-details').innerText(), /Logs \(0\)/i);
  });

  it('answers every request a page makes, the favicon included', async () => {
    const failed: string[] = [];
    const page = await ui.browser.newPage();
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${new URL(r.url()).pathname}`);
    });
    await page.goto(`${ui.target.baseUrl}/trace/${ui.target.demo.ok.traceId}`, { waitUntil: 'load' });
    await page.locator('.wf-row').first().waitFor();
    const icon = await page.locator('link[rel="icon"]').getAttribute('href');
    assert.ok(icon, 'the page names its icon');
    const res = await fetch(new URL(icon!, ui.target.baseUrl));
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^image\//);
    await page.waitForTimeout(500); // the browser asks for the icon after load
    assert.deepEqual(failed, []);
    await page.close();
  });

  it('raised no script errors or CSP violations', () => {
    assert.deepEqual(ui.problems, []);
  });
});
