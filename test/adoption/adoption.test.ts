/**
 * Adoption: what a new user gets from the packed packages, in a project outside the repository
 * (no workspace link, no path into the repo). The runtime library `zeroscope` is a dependency, the
 * CLI `@zeroscope/cli` a dev dependency; the project's own service (an HTTP API calling a gRPC
 * service of its own .proto, plus an outgoing fetch) type-checks under the settings teams use,
 * compiles with tsc, runs on plain Node 20 and 24, and its trace comes back from `npx zeroscope up`.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { waitForTrace, type SpanView } from '../e2e/backend-harness.ts';
import { node24BinDir } from './lib/node24.ts';
import { packedPackages, REPO, type PackedPackage } from '../lib/packed.ts';
import { createProject, typescriptTooling, type Project, type RunningProcess } from './lib/project.ts';

const NOT_FOR_THE_LIBRARY = ['lmdb', 'esbuild', 'tsx', 'preact', 'typescript'];

interface NpmTree {
  dependencies?: Record<string, NpmTree>;
}

const temp: string[] = [];
const tempDir = (prefix: string) => {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  temp.push(dir);
  return dir;
};
after(() => {
  for (const dir of temp) rmSync(dir, { recursive: true, force: true });
});

let packed: Map<string, PackedPackage>;
/** The zod range the library asks its users for (a peer: their schemas are handed to it). */
const zodRange = () =>
  (JSON.parse(readFileSync(join(REPO, 'packages/zeroscope/package.json'), 'utf8')) as { peerDependencies: Record<string, string> })
    .peerDependencies.zod!;

before(() => {
  packed = packedPackages();
});

describe('the packed tarballs', () => {
  test('hold what each package ships and no test, bench, fixture or testing file', () => {
    for (const [name, pkg] of packed) {
      const shipped = pkg.files.filter((f) => /(^|\/)(test|tests|bench|testdata|testing|fixtures?)(\/|$)|\.test\.|\.bench\./.test(f));
      assert.deepEqual(shipped, [], `${name} ships test files`);
    }
    const library = packed.get('zeroscope')!.files;
    assert.ok(library.includes('dist/rest/index.js') && library.includes('dist/rest/index.d.ts') && library.includes('dist/rest/index.d.ts.map'));
    assert.ok(library.includes('dist/rest/index.js.map') && library.includes('src/rest/index.ts'), 'maps and the sources they point at');
    const cli = packed.get('@zeroscope/cli')!.files;
    assert.ok(cli.includes('bin/zeroscope.js') && cli.includes('dist/cli/main.js') && cli.includes('dist/ui/index.html'));
    assert.ok(cli.includes('dist/backend/otlp/proto/trace.proto'), 'the schemas the backend loads at run time');
    assert.ok(!cli.some((f) => f.startsWith('src/')), 'the CLI ships compiled code only');
  });
});

describe('a project that installs only the runtime library', () => {
  let project: Project;
  before(() => {
    project = createProject({ zeroscope: '*' }, {}, { fixture: false });
    temp.push(project.dir);
  });

  test('has no database, bundler, loader or UI library under node_modules', () => {
    const installed = new Set<string>();
    const walk = (node: NpmTree) => {
      for (const [name, child] of Object.entries(node.dependencies ?? {})) {
        installed.add(name);
        walk(child);
      }
    };
    walk(JSON.parse(project.run('npm', ['ls', '--all', '--json'])) as NpmTree);
    assert.ok(installed.has('@opentelemetry/sdk-trace-node') && installed.has('@grpc/grpc-js'), 'the library and its peers are installed');
    assert.deepEqual(NOT_FOR_THE_LIBRARY.filter((name) => installed.has(name)), []);
  });

  test('a CommonJS consumer can require it (require(esm))', () => {
    writeFileSync(join(project.dir, 'consumer.cjs'), "const { RestServer } = require('zeroscope/rest');\nconsole.log(typeof RestServer);\n");
    assert.equal(project.run('node', ['consumer.cjs']).trim(), 'function');
  });
});

describe('a new project with the library and the CLI', () => {
  let project: Project;
  before(() => {
    project = createProject(
      { zeroscope: '*', zod: zodRange() },
      { '@zeroscope/cli': '*', ...typescriptTooling() },
    );
    temp.push(project.dir);
  });

  test('type-checks under NodeNext and bundler resolution, strict, without skipLibCheck', () => {
    project.run('npx', ['tsc', '-p', 'tsconfig.bundler.json']);
    project.run('npx', ['tsc', '-p', 'tsconfig.json']);
    project.run('cp', ['src/greeter.proto', 'dist/']);
  });

  test('`npx zeroscope demo` runs the examples the CLI ships: one good and one failing request, each a 3-span trace', () => {
    const ports = ['--otlp-http-port', '--otlp-grpc-port', '--zipkin-port', '--query-port', '--order-port', '--user-port'].flatMap((flag) => [flag, '0']);
    const output = project.run('npx', ['zeroscope', 'demo', '--once', '--data-dir', tempDir('zeroscope-adoption-demo-'), ...ports]);
    assert.match(output, /GET \/api\/order\/1 → 200 +trace [0-9a-f]{32} \(3 spans\)/);
    assert.match(output, /GET \/api\/order\/999 → 404 +trace [0-9a-f]{32} \(3 spans\)/);
  });

  for (const nodeVersion of ['20', '24'] as const) {
    test(`runs on plain Node ${nodeVersion}: one request is one trace in \`npx zeroscope up\`, and the UI loads`, async () => {
      const binDir = nodeVersion === '24' ? node24BinDir() : undefined;
      const version = project.run('node', ['--version'], binDir).trim();
      assert.match(version, new RegExp(`^v${nodeVersion}\\.`));
      await runTracedRequest(project, binDir, tempDir('zeroscope-adoption-data-'));
    });
  }
});

async function runTracedRequest(project: Project, binDir: string | undefined, dataDir: string): Promise<void> {
  const running: RunningProcess[] = [];
  try {
    const up = project.start('npx', ['zeroscope', 'up', '--data-dir', dataDir, '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--zipkin-port', '0', '--query-port', '0'], binDir);
    running.push(up);
    const [, otlpHttp] = await up.waitFor(/OTLP\/HTTP\s+http:\/\/(\S+)\/v1\/traces/);
    const [, query] = await up.waitFor(/Tempo API\s+(http:\/\/\S+)/);
    const telemetry = (name: string) => `Telemetry:\n  Name: ${name}\n  Endpoint: ${otlpHttp}\n  Batcher: otlphttp\n`;

    // git keeps no empty folders, so a clean clone's project has no etc/ until the test makes it.
    mkdirSync(join(project.dir, 'etc'), { recursive: true });

    writeFileSync(join(project.dir, 'etc', 'greeter.yaml'), `Name: greeter\nListenOn: 127.0.0.1:0\n${telemetry('greeter')}`);
    const greeter = project.start('node', ['dist/greeter.js', '-f', 'etc/greeter.yaml'], binDir);
    running.push(greeter);
    const [, greeterAddress] = await greeter.waitFor(/Starting rpc server at (\S+?)\.\.\./);

    writeFileSync(
      join(project.dir, 'etc', 'api.yaml'),
      `Name: api\nHost: 127.0.0.1\nPort: 0\n${telemetry('api')}Greeter:\n  Endpoints:\n    - ${greeterAddress}\nEchoUrl: ${query}/api/echo\n`,
    );
    const api = project.start('node', ['dist/api.js', '-f', 'etc/api.yaml'], binDir);
    running.push(api);
    const [, apiAddress] = await api.waitFor(/Starting server at (\S+?)\.\.\./);

    const res = await fetch(`http://${apiAddress}/api/hello/ada`);
    assert.equal(res.status, 200, await res.clone().text());
    assert.deepEqual(await res.json(), { message: 'hello ada', echo: 200 });
    const traceId = /^00-([0-9a-f]{32})-/.exec(res.headers.get('traceparent') ?? '')?.[1];
    assert.ok(traceId, 'the response names its trace');

    const spans = await waitForTrace(query!, traceId, 4, 30_000);
    const service = (s: SpanView) => {
      const value = s.resource.find((a) => a.key === 'service.name')?.value;
      return value && 'stringValue' in value ? value.stringValue : undefined;
    };
    const find = (kind: string, svc: string, name: RegExp) => {
      const span = spans.find((s) => s.kind === kind && service(s) === svc && name.test(s.name));
      assert.ok(span, `a ${kind} span ${name} of ${svc} in ${JSON.stringify(spans.map((s) => [s.kind, service(s), s.name]))}`);
      return span;
    };
    const server = find('SPAN_KIND_SERVER', 'api', /^GET \/api\/hello\/:name$/);
    const rpcClient = find('SPAN_KIND_CLIENT', 'api', /^greeter\.Greeter\/SayHello$/);
    const rpcServer = find('SPAN_KIND_SERVER', 'greeter', /^greeter\.Greeter\/SayHello$/);
    const fetchClient = find('SPAN_KIND_CLIENT', 'api', /^GET$/);
    assert.equal(rpcClient.parentSpanId, server.spanId);
    assert.equal(rpcServer.parentSpanId, rpcClient.spanId);
    assert.equal(fetchClient.parentSpanId, server.spanId);

    const page = await fetch(`${query}/`);
    assert.equal(page.status, 200);
    const html = await page.text();
    const script = /<script[^>]+src="([^"]+)"/.exec(html)?.[1];
    assert.ok(script, 'the UI page loads its app');
    assert.equal((await fetch(new URL(script, `${query}/`))).status, 200);
  } finally {
    for (const p of running.reverse()) await p.stop();
  }
}
