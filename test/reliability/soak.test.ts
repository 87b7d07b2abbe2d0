// Load: a bounded soak against a real `zeroscope up` (20 s by default; ZEROSCOPE_SOAK_SECONDS for
// longer): steady spans over every protocol while querying. Afterwards the backend is stopped
// and its store opened directly: spans stored must equal spans sent, and no query failed.
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../packages/cli/src/backend/store/index.ts';
import { startBackendProcess } from './lib/backend-process.ts';
import { runSoak } from './lib/soak.ts';

const SECONDS = Number(process.env.ZEROSCOPE_SOAK_SECONDS ?? 20);

describe('soak (child process)', () => {
  it(`stores every span sent during ${SECONDS} s of steady load with queries`, { timeout: (SECONDS + 120) * 1000 }, async (t) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-soak-'));
    t.after(() => rm(dataDir, { recursive: true, force: true }));
    const backend = await startBackendProcess({ dataDir });
    t.after(() => backend.stop('SIGKILL'));

    const report = await runSoak({ addresses: backend.addresses, seconds: SECONDS, run: 1 });
    t.diagnostic(`soak: ${JSON.stringify(report)}; peak RSS ${Math.round(backend.peakRssBytes() / 2 ** 20)} MiB`);
    assert.equal(report.spansAcked, report.spansSent);
    assert.ok(report.spansSent >= SECONDS * 100, `steady load: ${report.spansSent} spans`);
    const badQueries = Object.entries(report.queryStatuses).filter(([status]) => !['200', '404'].includes(status));
    assert.deepEqual(badQueries, []);
    assert.ok(report.queries > 0);

    assert.equal((await backend.stop('SIGTERM')).code, 0, backend.output());
    const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
    t.after(() => store.close());
    const stats = await store.stats();
    assert.equal(stats.spans, report.spansSent, 'spans stored = spans sent');
    assert.equal(stats.traces, report.batches);
  });
});
