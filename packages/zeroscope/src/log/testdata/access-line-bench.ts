/**
 * Micro-benchmark of one access line: CPU µs and lines per second of `logAccess` through the
 * process logger, as the compiled services run it (stdout to /dev/null, sonic-boom batching),
 * untraced and inside a span, with and without the OTLP tee, on Node 20 and Node 24.
 *
 *   node --import tsx packages/zeroscope/src/log/testdata/access-line-bench.ts [--rounds 5] [--lines 100000]
 *     [--code name=path/to/dist ...] [--node24 path/to/node]
 *
 * Each measurement is a fresh child process; rounds interleave every code × node × variant so a
 * shared machine's load falls on all of them alike. `--code` names builds of the package's dist
 * (default: this worktree's dist; copy it aside before a change to compare before/after). The
 * `stat-off` variant runs the same loop with `Log.Stat: false` (logAccess returns early): the
 * harness's own cost, subtracted from the others. Not a test: numbers on a shared machine are noisy.
 */
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

const HERE = dirname(fileURLToPath(import.meta.url));
const DEFAULT_DIST = resolve(HERE, '../../../dist');

const VARIANTS = ['stat-off', 'untraced', 'traced', 'untraced+tee', 'traced+tee'] as const;
type Variant = (typeof VARIANTS)[number];

interface Result {
  cpuUs: number;
  wallMs: number;
  lines: number;
}

if (process.env.ACCESS_LINE_BENCH_CHILD !== undefined) {
  await child(JSON.parse(process.env.ACCESS_LINE_BENCH_CHILD) as { dist: string; variant: Variant; lines: number });
} else {
  await parent();
}

async function child({ dist, variant, lines }: { dist: string; variant: Variant; lines: number }): Promise<void> {
  const api = await import('@opentelemetry/api');
  const { AsyncLocalStorageContextManager } = await import('@opentelemetry/context-async-hooks');
  const log = (await import(pathToFileURL(join(dist, 'log/index.js')).href)) as typeof import('../index.ts');
  api.context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const traced = variant.startsWith('traced');
  const tee = variant.endsWith('+tee');
  // Port 9 (discard): local-only lines never reach the export, so nothing is sent.
  log.setUpLogging(log.LogSchema.parse({ Stat: variant !== 'stat-off' }), {
    serviceName: 'order',
    otlp: tee ? { endpoint: '127.0.0.1:9', serviceName: 'order', warn: () => undefined } : undefined,
  });
  const hex = (n: number, i: number) => (i.toString(16).padStart(8, '0') + 'a1b2c3d4e5f60718293a4b5c6d7e8f90').slice(0, n);
  const contexts = Array.from({ length: 1024 }, (_, i) =>
    traced ? api.trace.setSpan(api.ROOT_CONTEXT, api.trace.wrapSpanContext({ traceId: hex(32, i + 1), spanId: hex(16, i + 7), traceFlags: 1 })) : api.ROOT_CONTEXT,
  );
  // One request of the seed's chain: the order service's HTTP line and the user service's rpc line.
  const http = { kind: 'http', method: 'GET', route: '/api/order/:id', path: '/api/order/1', status: 200, durationMs: 0, outcome: 'success' } as const;
  const rpc = { kind: 'rpc', method: 'user.User/GetUser', status: 0, code: 'OK', durationMs: 0, outcome: 'success' } as const;
  const logOne = (i: number) => log.logAccess(i & 1 ? { ...rpc, durationMs: 0.5 + (i % 97) / 31 } : { ...http, durationMs: 1 + (i % 89) / 17 });
  const run = async (count: number) => {
    for (let i = 0; i < count; i++) {
      api.context.with(contexts[i & 1023]!, logOne, undefined, i);
      // A server yields to the event loop between requests; so must the loop, or sonic-boom's writes never complete.
      if ((i & 63) === 63) await new Promise((done) => setImmediate(done));
    }
  };
  await run(Math.min(lines, 30_000)); // warm-up: let V8 optimise the path
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  await run(lines);
  const wall = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu = process.cpuUsage(cpu0);
  const result: Result = { cpuUs: cpu.user + cpu.system, wallMs: wall, lines };
  process.stderr.write(`${JSON.stringify(result)}\n`);
}

async function parent(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '5' },
      lines: { type: 'string', default: '100000' },
      code: { type: 'string', multiple: true },
      node24: { type: 'string' },
      variant: { type: 'string', multiple: true },
    },
  });
  const codes = (values.code ?? [`current=${DEFAULT_DIST}`]).map((spec) => {
    const [name, path] = spec.includes('=') ? [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)] : [spec, spec];
    return { name, dist: resolve(path) };
  });
  const nodes = [{ name: `node${process.versions.node.split('.')[0]}`, bin: process.execPath }];
  if (values.node24 !== undefined) nodes.push({ name: 'node24', bin: values.node24 });
  const variants = (values.variant as Variant[] | undefined) ?? [...VARIANTS];
  const lines = Number(values.lines);
  const samples = new Map<string, number[]>();
  const rates = new Map<string, number[]>();
  const devNull = openSync('/dev/null', 'w');
  const rounds = Number(values.rounds);
  for (let round = 0; round < rounds; round++) {
    for (const node of nodes) {
      for (const code of codes) {
        for (const variant of variants) {
          const r = await runChild(node.bin, { dist: code.dist, variant, lines }, devNull);
          const key = `${node.name}\t${code.name}\t${variant}`;
          (samples.get(key) ?? samples.set(key, []).get(key)!).push(r.cpuUs / r.lines);
          (rates.get(key) ?? rates.set(key, []).get(key)!).push(r.lines / (r.wallMs / 1000));
        }
      }
    }
    process.stderr.write(`round ${round + 1}/${rounds} done\n`);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log('| node | code | variant | CPU µs/line (median) | net of stat-off | lines/s (median) |');
  console.log('| --- | --- | --- | --- | --- | --- |');
  for (const node of nodes) {
    for (const code of codes) {
      const base = samples.get(`${node.name}\t${code.name}\tstat-off`);
      for (const variant of variants) {
        const key = `${node.name}\t${code.name}\t${variant}`;
        const cpu = median(samples.get(key)!);
        const net = base === undefined || variant === 'stat-off' ? '' : (cpu - median(base)).toFixed(2);
        console.log(`| ${node.name} | ${code.name} | ${variant} | ${cpu.toFixed(2)} | ${net} | ${Math.round(median(rates.get(key)!))} |`);
      }
    }
  }
}

function runChild(bin: string, spec: { dist: string; variant: Variant; lines: number }, stdout: number): Promise<Result> {
  return new Promise((done, fail) => {
    const proc = spawn(bin, ['--import', 'tsx', fileURLToPath(import.meta.url)], {
      env: { ...process.env, ACCESS_LINE_BENCH_CHILD: JSON.stringify(spec) },
      stdio: ['ignore', stdout, 'pipe'],
    });
    let err = '';
    proc.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
    proc.on('error', fail);
    proc.on('exit', (code) => {
      const line = err.trim().split('\n').at(-1) ?? '';
      if (code !== 0 || !line.startsWith('{')) fail(new Error(`bench child ${spec.variant} exited ${code}: ${err}`));
      else done(JSON.parse(line) as Result);
    });
  });
}
