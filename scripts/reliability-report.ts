/**
 * Runs the reliability campaign at full size against a real `zeroscope up` and writes the
 * figures to RELIABILITY.md: payloads tried per receiver and endpoint with the statuses seen,
 * spans sent / stored / dropped under a soak, and the backend's memory high-water mark.
 *
 *   node --import tsx scripts/reliability-report.ts [--fuzz 10000] [--seed 20240601]
 *        [--soak-seconds 120] [--out RELIABILITY.md]
 *
 * The CI tests (test/reliability/) run the same code smaller; this is the long mode.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { openStore } from '../packages/cli/src/backend/store/index.ts';
import { startBackendProcess } from '../test/reliability/lib/backend-process.ts';
import { runFuzz, type FuzzReport } from '../test/reliability/lib/fuzz-run.ts';
import { runSoak, type SoakReport } from '../test/reliability/lib/soak.ts';

const { values } = parseArgs({
  options: {
    fuzz: { type: 'string', default: '10000' },
    seed: { type: 'string', default: '20240601' },
    'soak-seconds': { type: 'string', default: '120' },
    out: { type: 'string', default: 'RELIABILITY.md' },
  },
});
const FUZZ = Number(values.fuzz);
const SEED = Number(values.seed);
const SOAK_SECONDS = Number(values['soak-seconds']);
const mib = (bytes: number): string => (Number.isFinite(bytes) ? `${Math.round(bytes / 2 ** 20)} MiB` : 'n/a (not Linux)');

async function fuzzPhase(): Promise<{ report: FuzzReport; peak: number; alive: boolean; logged: boolean }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-report-fuzz-'));
  const backend = await startBackendProcess({ dataDir });
  try {
    const report = await runFuzz({ addresses: backend.addresses, seed: SEED, count: FUZZ });
    return { report, peak: backend.peakRssBytes(), alive: backend.alive(), logged: /internal error|Error:/.test(backend.output()) };
  } finally {
    await backend.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function soakPhase(): Promise<{ report: SoakReport; peak: number; stored: number; exitCode: number | null }> {
  const dataDir = await mkdtemp(join(tmpdir(), 'zeroscope-report-soak-'));
  const backend = await startBackendProcess({ dataDir });
  try {
    const report = await runSoak({ addresses: backend.addresses, seconds: SOAK_SECONDS, run: 2 });
    const peak = backend.peakRssBytes();
    const { code } = await backend.stop('SIGTERM');
    const store = await openStore({ dataDir, retention: { sweepIntervalMs: 0 } });
    const stored = (await store.stats()).spans;
    await store.close();
    return { report, peak, stored, exitCode: code };
  } finally {
    await backend.stop('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}

const table = (head: string[], rows: Array<Array<string | number>>): string =>
  [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
const statuses = (m: Record<string, number>): string =>
  Object.entries(m).sort(([a], [b]) => a.localeCompare(b)).map(([s, n]) => `${s}×${n}`).join(', ');

const started = new Date();
console.log(`fuzz: ${FUZZ} payloads, seed ${SEED}…`);
const fuzz = await fuzzPhase();
console.log(`soak: ${SOAK_SECONDS} s…`);
const soak = await soakPhase();
const dropped = soak.report.spansSent - soak.stored;
const pass = fuzz.alive && !fuzz.logged && fuzz.report.violations.length === 0 && fuzz.report.validMissing.length === 0 && dropped === 0 && soak.exitCode === 0;

const md = `# zeroscope reliability figures

Produced by \`node --import tsx scripts/reliability-report.ts --fuzz ${FUZZ} --seed ${SEED} --soak-seconds ${SOAK_SECONDS}\`
on ${started.toISOString()} (Node ${process.version}, ${cpus().length} CPUs). What each figure promises and how it is
tested is in [docs/reliability.md](docs/reliability.md). Overall: **${pass ? 'PASS' : 'FAIL'}**.

## Fuzz: hostile payloads at every receiver and query endpoint

The backend ran as a child process (\`zeroscope up\`, fresh data dir). ${fuzz.report.payloads} generated payloads in
${(fuzz.report.durationMs / 1000).toFixed(1)} s, ${fuzz.report.validBatches} valid batches (${fuzz.report.validSpans} spans) sent in between.

${table(
  ['target', 'payloads', 'statuses seen'],
  Object.entries(fuzz.report.targets).map(([target, t]) => [target, t.tried, statuses(t.statuses)]),
)}

- answers outside 2xx/4xx/503/507 (or gRPC OK/INVALID_ARGUMENT/RESOURCE_EXHAUSTED/UNAVAILABLE/UNAUTHENTICATED): **${fuzz.report.violations.length}**
  ${fuzz.report.violations.slice(0, 10).map((v) => `\n  - #${v.index} ${v.target}/${v.kind}: ${v.status} ${v.detail ?? ''}`).join('')}
- requests that hung: **${fuzz.report.violations.filter((v) => v.status === 'error:TimeoutError').length}**
- process alive at the end: **${fuzz.alive ? 'yes' : 'NO'}**; unexpected errors logged: **${fuzz.logged ? 'YES' : 'none'}**
- valid batches acknowledged but not stored: **${fuzz.report.validMissing.length}**
- keep-alive connections reset and retried once: ${fuzz.report.connectionRetries}
- backend memory high-water (VmHWM): **${mib(fuzz.peak)}**

<details><summary>payload kinds</summary>

${table(['target/kind', 'payloads', 'total wait (ms)'], Object.entries(fuzz.report.kinds).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => [k, n, fuzz.report.kindMs[k] ?? 0]))}

</details>

## Soak: steady spans while querying

${SOAK_SECONDS} s, 4 senders rotating OTLP/HTTP protobuf, OTLP/HTTP JSON, OTLP/gRPC and Zipkin, one querier. Refused
batches are retried as an exporter would; afterwards the backend is stopped with SIGTERM and its store opened directly.

${table(
  ['spans sent', 'spans acknowledged', 'spans stored', 'spans dropped', 'batches', 'retries', 'queries', 'slowest query'],
  [[soak.report.spansSent, soak.report.spansAcked, soak.stored, dropped, soak.report.batches, soak.report.retries, soak.report.queries, `${soak.report.queryMaxMs} ms`]],
)}

- send statuses: ${statuses(soak.report.sendStatuses)}
- query statuses: ${statuses(soak.report.queryStatuses)}
- exit status on SIGTERM: ${soak.exitCode}
- backend memory high-water (VmHWM): **${mib(soak.peak)}**
`;
const out = resolve(values.out!);
// The attack figures come from their own tests (test/reliability/under-attack.test.ts and
// disk-full-tmpfs.test.ts), not from this run: that section of the file is kept as it is.
const previous = await readFile(out, 'utf8').catch(() => '');
const attacks = previous.indexOf('\n## Under attack');
await writeFile(out, attacks < 0 ? md : `${md}${previous.slice(attacks)}`);
console.log(`wrote ${out}: ${pass ? 'PASS' : 'FAIL'}`);
process.exitCode = pass ? 0 : 1;
