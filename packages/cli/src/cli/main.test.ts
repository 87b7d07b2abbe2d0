import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { openStore } from '../backend/store/index.ts';
import { otlpJson } from '../backend/otlp/testing/trace-builder.ts';
import { CLI_ERRORS, CliError } from './errors.ts';
import { parseFlags } from './flags.ts';
import { DEMO_PATHS } from './demo.ts';
import { main } from './main.ts';
import { memoryIo } from './testing/index.ts';
import { upConfig } from './up.ts';

describe('zeroscope (in-process)', () => {
  it('prints help for the command and each subcommand, exit 0', async () => {
    for (const argv of [['--help'], ['up', '--help'], ['import', '-h'], ['demo', '--help']]) {
      const io = memoryIo();
      assert.equal(await main(argv, io), 0, argv.join(' '));
      assert.match(io.stdout.join('\n'), /^Usage: zeroscope/);
    }
    const io = memoryIo();
    await main(['up', '--help'], io);
    for (const flag of ['--data-dir', '--host', '--otlp-http-port', '--otlp-grpc-port', '--zipkin-port', '--query-port', '--retention']) {
      assert.ok(io.stdout.join('\n').includes(flag), flag);
    }
  });

  it('the help says how many requests the demo sends', async () => {
    const io = memoryIo();
    await main(['--help'], io);
    const words = ['zero', 'one', 'two', 'three', 'four'];
    const line = io.stdout.join('\n').split('\n').find((l) => l.trim().startsWith('demo'));
    assert.match(line ?? '', new RegExp(`send ${words[DEMO_PATHS.length]} traced requests`));
    const demo = memoryIo();
    await main(['demo', '--help'], demo);
    for (const path of DEMO_PATHS) assert.ok(demo.stdout.join('\n').includes(`GET ${path}`), path);
  });

  const usageErrors: Array<[string[], RegExp]> = [
    [['nope'], /unknown command nope/],
    [['up', '--bogus'], /zeroscope up: unknown flag --bogus/],
    [['up', '--query-port'], /--query-port needs a value/],
    [['up', '--query-port', 'abc'], /--query-port: "abc" is not a port number/],
    [['up', '--retention', 'forever'], /--retention: invalid duration "forever"/],
    [['up', 'extra'], /unexpected argument extra/],
    [['import'], /missing FILE/],
  ];
  for (const [argv, message] of usageErrors) {
    it(`exits 2 with a clear message for: ${argv.join(' ')}`, async () => {
      const io = memoryIo();
      assert.equal(await main(argv, io), 2);
      assert.match(io.stderr.join('\n'), message);
      assert.match(io.stderr.join('\n'), /--help' for usage/);
    });
  }

  it('names the environment variable when it holds a bad value, and lets flags win', () => {
    const env = { ZEROSCOPE_QUERY_PORT: 'x', ZEROSCOPE_HOST: '0.0.0.0', ZEROSCOPE_AUTH_TOKEN: 'a-long-enough-secret', ZEROSCOPE_RETENTION: '36h' };
    assert.throws(() => upConfig([], { env, cwd: '/srv' }), /ZEROSCOPE_QUERY_PORT: "x" is not a port number/);
    const { config } = upConfig(['--query-port', '3300', '--data-dir', 'data'], { env, cwd: '/srv' });
    assert.equal(config.ports.query, 3300);
    assert.equal(config.host, '0.0.0.0');
    assert.equal(config.retentionMs, 36 * 3_600_000);
    assert.equal(config.dataDir, '/srv/data');
  });

  it('parses --flag=value and -- like other CLIs', () => {
    const parsed = parseFlags('x', ['--a=1', 'pos', '--', '--b'], [{ name: 'a', value: 'N', description: '' }]);
    assert.equal(parsed.values.get('a'), '1');
    assert.deepEqual(parsed.positionals, ['pos', '--b']);
  });

  it('imports OTLP/JSON lines into the store and reports bad lines (exit 1)', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'zeroscope-import-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    const line = JSON.stringify(
      otlpJson([{ service: 'order-api', scope: 'file-batcher', traceId, spanId: 'b7ad6b7169203331', name: 'GET /api/order/:id', kind: 'SERVER', start: 0, end: 200 }]),
    );
    const file = join(dir, 'traces.jsonl');
    await writeFile(file, `${line}\nnot json\n`);
    const io = memoryIo();
    assert.equal(await main(['import', file, '--data-dir', join(dir, 'data')], io), 1);
    assert.match(io.stdout.join('\n'), /imported 1 spans from 1 of 2 lines/);
    assert.match(io.stderr.join('\n'), /traces\.jsonl:2: /);
    // The span ended in 1970: `up` would delete it at its first sweep, and the import says so.
    assert.match(io.stderr.join('\n'), /warning: 1 of those spans ended more than 7d ago, before the retention: `zeroscope up` deletes .* --retention 30d/);
    const store = await openStore({ dataDir: join(dir, 'data'), retention: { maxAgeMs: 1e15, sweepIntervalMs: 0 } });
    t.after(() => store.close());
    assert.ok(await store.getTrace(traceId));
  });

  it('takes the retention `up` runs with from --retention or ZEROSCOPE_RETENTION, and warns only past it', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'zeroscope-import-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const hourAgo = BigInt(Date.now() - 3_600_000) * 1_000_000n;
    const line = JSON.stringify(otlpJson([{ service: 's', traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', name: 'op', start: hourAgo, end: hourAgo + 1000n }]));
    const file = join(dir, 'traces.jsonl');
    await writeFile(file, `${line}\n`);
    const within = memoryIo();
    assert.equal(await main(['import', file, '--data-dir', join(dir, 'a'), '--retention', '2h'], within), 0);
    assert.doesNotMatch(within.stderr.join('\n'), /warning/);
    const past = memoryIo({ ZEROSCOPE_RETENTION: '30m' });
    assert.equal(await main(['import', file, '--data-dir', join(dir, 'b')], past), 0);
    assert.match(past.stderr.join('\n'), /warning: 1 of those spans ended more than 30m ago/);
    const bad = memoryIo();
    assert.equal(await main(['import', file, '--data-dir', join(dir, 'c'), '--retention', 'soon'], bad), 2);
    assert.match(bad.stderr.join('\n'), /--retention/);
  });

  it('fails an import of a missing file with exit 1', async (t) => {
    const dir = await mkdtemp(join(tmpdir(), 'zeroscope-import-'));
    t.after(() => rm(dir, { recursive: true, force: true }));
    const io = memoryIo();
    assert.equal(await main(['import', join(dir, 'missing.jsonl'), '--data-dir', dir], io), 1);
    assert.match(io.stderr.join('\n'), /could not import/);
  });

  it('keeps CLI error codes unique', () => {
    const codes = CLI_ERRORS.map((E) => new (E as new (a: string, b: string) => CliError)('x', 'y').code);
    assert.equal(new Set(codes).size, codes.length);
  });

  it('ends quietly with status 0 when its stdout is closed before it writes (a pipe into `head`)', async () => {
    const bin = fileURLToPath(new URL('../../bin/zeroscope.js', import.meta.url));
    const child = spawn(process.execPath, [bin, '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.destroy();
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    assert.equal(stderr, '');
    assert.equal(code, 0);
  });
});
