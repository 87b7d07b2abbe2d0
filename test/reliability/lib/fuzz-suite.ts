/**
 * The CI fuzz campaign, split into parts so each test file (one backend process each) stays well
 * inside the runner's per-file timeout on a busy 2-core machine; the parts together send
 * ZEROSCOPE_FUZZ_COUNT payloads (default 10,000) from one seed (ZEROSCOPE_FUZZ_SEED).
 */
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { startBackendProcess } from './backend-process.ts';
import { runFuzz } from './fuzz-run.ts';

export const FUZZ_PARTS = 4;
export const FUZZ_COUNT = Number(process.env.ZEROSCOPE_FUZZ_COUNT ?? 10_000);
export const FUZZ_SEED = Number(process.env.ZEROSCOPE_FUZZ_SEED ?? 20_240_601);
/** Peak RSS the backend may reach: bodies are capped at 20 MiB and the store is on disk. */
export const RSS_LIMIT_BYTES = 1024 * 1024 * 1024;

/** Declares the test of part `part` (1-based) of the campaign. */
export function fuzzPart(part: number): void {
  const size = Math.ceil(FUZZ_COUNT / FUZZ_PARTS);
  const start = (part - 1) * size;
  const count = Math.max(0, Math.min(size, FUZZ_COUNT - start));
  describe(`fuzz part ${part}/${FUZZ_PARTS} (child process)`, () => {
    it(`answers payloads ${start}-${start + count - 1} with 2xx/4xx only, stays up, and stores every valid batch`, async (t) => {
      const dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-fuzz-'));
      t.after(() => rm(dataDir, { recursive: true, force: true }));
      const backend = await startBackendProcess({ dataDir });
      t.after(() => backend.stop('SIGKILL'));

      const report = await runFuzz({ addresses: backend.addresses, seed: FUZZ_SEED, start, count });
      t.diagnostic(`fuzz: ${report.payloads} payloads in ${report.durationMs} ms, peak RSS ${Math.round(backend.peakRssBytes() / 2 ** 20)} MiB`);
      assert.ok(backend.alive(), `the backend died:\n${backend.output().slice(-3000)}`);
      assert.deepEqual(report.violations.slice(0, 20), [], `${report.violations.length} answers outside 2xx/4xx/503/507`);
      assert.equal(report.payloads, count);
      for (const target of ['otlp-http-proto', 'otlp-http-json', 'otlp-http-logs', 'otlp-grpc', 'zipkin', 'query']) assert.ok(report.targets[target]!.tried > 0, target);
      assert.ok(report.validBatches >= Math.floor(count / 40));
      assert.deepEqual(report.validMissing, []);
      assert.equal((await fetch(`${backend.addresses.query}/ready`)).status, 200);
      const peak = backend.peakRssBytes();
      if (Number.isFinite(peak)) assert.ok(peak < RSS_LIMIT_BYTES, `peak RSS ${peak} bytes`);
      assert.doesNotMatch(backend.output(), /internal error|Error:/, 'no unexpected error was logged');
    });
  });
}
