// Each standard OTEL_* variable of the trace signal, end to end: environment → config loader
// (conf/otel-env.ts) → the agent's provider → a real receiver of the protocol, which shows what
// the variable changed on the wire. The conf tests check the mapping; these check the effect.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { connect, createServer as createNetServer, type AddressInfo, type Socket } from 'node:net';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, describe, it } from 'node:test';
import { ROOT_CONTEXT, TraceFlags, propagation, trace, type Context } from '@opentelemetry/api';
import { eventually } from '../../../../test/lib/eventually.ts';
import { parseConfig, ServiceConfSchema } from '../conf/index.ts';
import { createTracerProvider, type AgentConf, type AgentProvider } from './agent.ts';
import { createPropagator } from './propagators.ts';
import {
  startFaultyOtlpHttpReceiver,
  startOtlpGrpcReceiver,
  startOtlpHttpReceiver,
  startZipkinReceiver,
  type ReceiverOptions,
  type TestReceiver,
} from './testing/receivers.ts';

type Env = Record<string, string>;
const quiet = () => {};
const TLS_DIR = fileURLToPath(new URL('./testdata/tls/', import.meta.url));
const tlsFile = (name: string) => `${TLS_DIR}${name}`;
const SERVER_TLS = { cert: readPem('server.pem'), key: readPem('server.key') };

function readPem(name: string): Buffer {
  return readFileSync(tlsFile(name));
}

/** The Telemetry block the loader makes of `yaml` under `env`, ready for the agent. */
function telemetry(env: Env, yaml = 'Name: svc\n'): AgentConf {
  const conf = parseConfig(yaml, 'svc.yaml', ServiceConfSchema, { env });
  assert.ok(conf.Telemetry, 'the variables made a Telemetry block');
  return { ...conf.Telemetry, Name: conf.Telemetry.Name ?? conf.Name };
}

/** Sets `vars` in process.env while `fn` runs (the agent reads the OTEL_BSP_* and timeout variables there). */
function withEnv<T>(vars: Env, fn: () => T): T {
  const saved = Object.fromEntries(Object.keys(vars).map((k) => [k, process.env[k]]));
  Object.assign(process.env, vars);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function provider(c: AgentConf, processEnv: Env = {}): AgentProvider {
  const p = withEnv(processEnv, () => createTracerProvider(c, { log: quiet }));
  after(() => p.shutdown().catch(() => undefined));
  return p;
}

/** Ends a span named `name` through a provider of `c`, flushes it and shuts it down. */
async function send(c: AgentConf, name = 'op', processEnv: Env = {}): Promise<AgentProvider> {
  const p = provider(c, processEnv);
  p.getTracer('test').startSpan(name).end();
  await p.forceFlush().catch(() => undefined); // a failed export is counted in stats()
  await p.shutdown();
  return p;
}

async function receiver(start: (o: ReceiverOptions) => Promise<TestReceiver>, options: ReceiverOptions = {}): Promise<TestReceiver> {
  const r = await start(options);
  after(() => r.close());
  return r;
}
const otlpHttp = (options?: ReceiverOptions) => receiver(startOtlpHttpReceiver, options);
const otlpGrpc = (options?: ReceiverOptions) => receiver(startOtlpGrpcReceiver, options);
const url = (r: TestReceiver, scheme = 'http') => `${scheme}://${r.endpoint}`;

/** A TCP relay to 127.0.0.1:`target` that counts the bytes the client sends. */
async function byteCountingRelay(target: number): Promise<{ port: number; bytes(): number }> {
  let bytes = 0;
  const sockets = new Set<Socket>();
  const server = createNetServer((client) => {
    const upstream = connect(target, '127.0.0.1');
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('close', () => sockets.delete(s));
      s.on('error', () => undefined);
    }
    client.on('data', (chunk: Buffer) => void (bytes += chunk.length));
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  return { port: (server.address() as AddressInfo).port, bytes: () => bytes };
}

describe('OTEL_SDK_DISABLED', () => {
  const CHILD = fileURLToPath(new URL('./testdata/agent-child.ts', import.meta.url));
  const run = async (c: AgentConf) => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ confs: [c], spans: 2 })], { timeout: 60_000 });
    return JSON.parse(stdout) as { status: string; recording: boolean[] };
  };

  it('true: the agent installs nothing, makes no span and opens no connection; unset: the spans arrive', async () => {
    const [off, on] = await Promise.all([otlpHttp(), otlpHttp()]);
    const [disabled, enabled] = await Promise.all([
      run(telemetry({ OTEL_SDK_DISABLED: 'true', OTEL_EXPORTER_OTLP_ENDPOINT: url(off) })),
      run(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(on) })),
    ]);
    assert.equal(disabled.status, 'disabled');
    assert.deepEqual(disabled.recording, [false, false]);
    assert.equal(off.connections(), 0);
    assert.equal(enabled.status, 'running');
    assert.equal(on.spans().length, 2);
  });

  it('the Telemetry block wins: Disabled: false keeps tracing on', () => {
    assert.equal(telemetry({ OTEL_SDK_DISABLED: 'true' }, 'Name: svc\nTelemetry:\n  Disabled: false\n').Disabled, false);
  });
});

describe('OTEL_LOG_LEVEL', () => {
  const CHILD = fileURLToPath(new URL('./testdata/agent-child.ts', import.meta.url));
  /** Everything a started agent printed besides its report (the SDK's diagnostics go to the console). */
  const diagnostics = async (c: AgentConf, level: string | undefined) => {
    const env = { ...process.env, OTEL_LOG_LEVEL: level };
    if (level === undefined) delete env.OTEL_LOG_LEVEL;
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify({ confs: [c], spans: 1 })], { timeout: 60_000, env });
    return stdout.slice(0, stdout.lastIndexOf('{"status"')) + stderr;
  };

  it('debug routes the SDK diagnostics to the console; unset or none keeps them quiet', async () => {
    const r = await otlpHttp();
    const c = telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(r) });
    const [debug, unset, none] = await Promise.all([diagnostics(c, 'debug'), diagnostics(c, undefined), diagnostics(c, 'none')]);
    // The API's own debug line as the agent installs the context manager (the instrumentations,
    // whose lines this used to look for, now install with the first active span).
    assert.match(debug, /Registered a global for context/);
    assert.doesNotMatch(unset, /Registered a global/);
    assert.doesNotMatch(none, /Registered a global/);
  });
});

describe('OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES', () => {
  it('OTEL_SERVICE_NAME is the exported service.name; Telemetry.Name wins over it', async () => {
    const r = await otlpHttp();
    const env = { OTEL_SERVICE_NAME: 'from-env', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) };
    await send(telemetry(env), 'a');
    await send(telemetry(env, 'Name: svc\nTelemetry:\n  Name: from-file\n'), 'b');
    assert.deepEqual(r.spans().map((s) => [s.name, s.service]), [['a', 'from-env'], ['b', 'from-file']]);
  });

  it('OTEL_RESOURCE_ATTRIBUTES adds url-decoded attributes; its service.name yields to OTEL_SERVICE_NAME; the file wins per key', async () => {
    const r = await otlpHttp();
    const attrs = 'deployment.environment.name=staging,team=pay%20ments,service.name=from-attrs';
    await send(telemetry({ OTEL_RESOURCE_ATTRIBUTES: attrs, OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), 'a');
    await send(telemetry({ OTEL_RESOURCE_ATTRIBUTES: attrs, OTEL_SERVICE_NAME: 'named', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), 'b');
    await send(telemetry({ OTEL_RESOURCE_ATTRIBUTES: attrs, OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }, 'Name: svc\nTelemetry:\n  ResourceAttributes:\n    team: core\n'), 'c');
    const [a, b, c] = r.spans();
    assert.equal(a?.resource?.['deployment.environment.name'], 'staging');
    assert.equal(a?.resource?.team, 'pay ments');
    assert.equal(a?.service, 'from-attrs');
    assert.equal(b?.service, 'named');
    assert.equal(c?.resource?.team, 'core');
    assert.equal(c?.resource?.['deployment.environment.name'], 'staging');
  });
});

describe('OTEL_TRACES_SAMPLER and OTEL_TRACES_SAMPLER_ARG', () => {
  const remote = (flags: TraceFlags): Context =>
    trace.setSpanContext(ROOT_CONTEXT, { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: flags, isRemote: true });

  /** Which of a root span, a child of a sampled remote parent and a child of an unsampled one arrive. */
  async function kept(env: Env, yaml?: string): Promise<string[]> {
    const r = await otlpHttp();
    const p = provider(telemetry({ ...env, OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }, yaml));
    const tracer = p.getTracer('test');
    tracer.startSpan('root', {}, ROOT_CONTEXT).end();
    tracer.startSpan('sampled-parent', {}, remote(TraceFlags.SAMPLED)).end();
    tracer.startSpan('unsampled-parent', {}, remote(TraceFlags.NONE)).end();
    await p.forceFlush();
    return r.spans().map((s) => s.name).sort();
  }

  const cases: [string, Env, string[]][] = [
    ['always_on', { OTEL_TRACES_SAMPLER: 'always_on' }, ['root', 'sampled-parent', 'unsampled-parent']],
    ['always_off', { OTEL_TRACES_SAMPLER: 'always_off' }, []],
    ['traceidratio 0 (ignores the parent)', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, []],
    ['traceidratio 1', { OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '1' }, ['root', 'sampled-parent', 'unsampled-parent']],
    ['parentbased_always_on', { OTEL_TRACES_SAMPLER: 'parentbased_always_on' }, ['root', 'sampled-parent']],
    ['parentbased_always_off', { OTEL_TRACES_SAMPLER: 'parentbased_always_off' }, ['sampled-parent']],
    ['parentbased_traceidratio 0', { OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0' }, ['sampled-parent']],
    ['ARG alone sets the default parentbased_traceidratio', { OTEL_TRACES_SAMPLER_ARG: '0' }, ['sampled-parent']],
    ['ARG is ignored by always_on', { OTEL_TRACES_SAMPLER: 'always_on', OTEL_TRACES_SAMPLER_ARG: '0' }, ['root', 'sampled-parent', 'unsampled-parent']],
  ];
  for (const [name, env, expected] of cases) {
    it(name, async () => assert.deepEqual(await kept(env), expected));
  }

  it('traceidratio 0.5 keeps about half of the root spans', async () => {
    const r = await otlpHttp();
    const p = provider(telemetry({ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.5', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }));
    for (let i = 0; i < 400; i++) p.getTracer('test').startSpan('root').end();
    await p.forceFlush();
    const n = r.spans().length;
    assert.ok(n > 120 && n < 280, `${n} of 400 kept`);
  });

  it('the Telemetry block wins: a file Sampler keeps the whole sampler setting', async () => {
    assert.deepEqual(await kept({ OTEL_TRACES_SAMPLER: 'always_off' }, 'Name: svc\nTelemetry:\n  Sampler: 1\n'), ['root', 'sampled-parent']);
  });

  it('an unknown sampler is a config error naming the variable', () => {
    assert.throws(() => telemetry({ OTEL_TRACES_SAMPLER: 'sometimes' }), /svc\.yaml: Telemetry\.Sampler: expected one of always_on\|.*got "sometimes" \(from OTEL_TRACES_SAMPLER\)/);
  });
});

describe('OTEL_PROPAGATORS', () => {
  const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
  const SPAN_ID = '00f067aa0ba902b7';
  const incoming: Record<string, Record<string, string>> = {
    tracecontext: { traceparent: `00-${TRACE_ID}-${SPAN_ID}-01` },
    b3: { b3: `${TRACE_ID}-${SPAN_ID}-1` },
    b3multi: { 'x-b3-traceid': TRACE_ID, 'x-b3-spanid': SPAN_ID, 'x-b3-sampled': '1' },
    jaeger: { 'uber-trace-id': `${TRACE_ID}:${SPAN_ID}:0:1` },
  };
  const written: Record<string, string[]> = {
    tracecontext: ['traceparent'],
    b3: ['b3'],
    b3multi: ['x-b3-sampled', 'x-b3-spanid', 'x-b3-traceid'],
    jaeger: ['uber-trace-id'],
  };

  /** A server span under the context `headers` carry, and the headers an outgoing call would get. */
  async function hop(c: AgentConf, headers: Record<string, string>) {
    const r = await otlpHttp();
    const p = provider({ ...c, Endpoint: r.endpoint });
    const propagator = createPropagator(c.Propagators);
    const parent = propagator.extract(ROOT_CONTEXT, headers, { get: (h, k) => h[k], keys: (h) => Object.keys(h) });
    const span = p.getTracer('test').startSpan('server', {}, parent);
    const outgoing: Record<string, string> = {};
    propagator.inject(trace.setSpan(parent, span), outgoing, { set: (h, k, v) => void (h[k] = v) });
    span.end();
    await p.forceFlush();
    const [exported] = r.spans();
    return { exported, outgoing, parent };
  }

  for (const name of Object.keys(incoming)) {
    it(`${name}: the exported span continues the trace its headers carry, and outgoing calls get them`, async () => {
      const { exported, outgoing } = await hop(telemetry({ OTEL_PROPAGATORS: name }), incoming[name] ?? {});
      assert.equal(exported?.traceId, TRACE_ID);
      assert.equal(exported?.parentSpanId, SPAN_ID);
      assert.deepEqual(Object.keys(outgoing).sort(), written[name]);
    });
  }

  it('baggage: entries are read and passed on', async () => {
    const { outgoing, parent } = await hop(telemetry({ OTEL_PROPAGATORS: 'baggage' }), { baggage: 'tenant=acme' });
    assert.equal(propagation.getBaggage(parent)?.getEntry('tenant')?.value, 'acme');
    assert.equal(outgoing.baggage, 'tenant=acme');
  });

  it('none: incoming headers start no trace of theirs and outgoing calls carry nothing', async () => {
    const { exported, outgoing } = await hop(telemetry({ OTEL_PROPAGATORS: 'none' }), incoming.tracecontext ?? {});
    assert.notEqual(exported?.traceId, TRACE_ID);
    assert.equal(exported?.parentSpanId, undefined);
    assert.deepEqual(outgoing, {});
  });

  it('a list combines them (b3 read, both written); the Telemetry block wins', async () => {
    const { exported, outgoing } = await hop(telemetry({ OTEL_PROPAGATORS: 'tracecontext, b3' }), incoming.b3 ?? {});
    assert.equal(exported?.traceId, TRACE_ID);
    assert.deepEqual(Object.keys(outgoing).sort(), ['b3', 'traceparent']);
    assert.deepEqual(telemetry({ OTEL_PROPAGATORS: 'b3' }, 'Name: svc\nTelemetry:\n  Propagators: [jaeger]\n').Propagators, ['jaeger']);
  });

  it('an unknown propagator is a config error naming the variable', () => {
    assert.throws(() => telemetry({ OTEL_PROPAGATORS: 'tracecontext,xray' }), /Telemetry\.Propagators\[1\]: expected one of tracecontext\|.*got "xray" \(from OTEL_PROPAGATORS\)/);
  });
});

describe('OTEL_TRACES_EXPORTER', () => {
  it('otlp (the default) sends OTLP/HTTP protobuf', async () => {
    const r = await otlpHttp();
    await send(telemetry({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }));
    assert.equal(r.exports[0]?.contentType, 'application/x-protobuf');
    assert.equal(r.exports[0]?.path, '/v1/traces');
  });

  it('otlp or zipkin without any endpoint uses the specification default', () => {
    assert.equal(telemetry({ OTEL_TRACES_EXPORTER: 'otlp' }).Endpoint, 'http://localhost:4318');
    assert.equal(telemetry({ OTEL_TRACES_EXPORTER: 'otlp', OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc' }).Endpoint, 'http://localhost:4317');
    assert.equal(telemetry({ OTEL_TRACES_EXPORTER: 'zipkin' }).Endpoint, 'http://localhost:9411/api/v2/spans');
  });

  it('zipkin sends Zipkin v2 JSON to OTEL_EXPORTER_ZIPKIN_ENDPOINT', async () => {
    const r = await receiver(startZipkinReceiver);
    await send(telemetry({ OTEL_TRACES_EXPORTER: 'zipkin', OTEL_EXPORTER_ZIPKIN_ENDPOINT: `${url(r)}/api/v2/spans` }), 'zip');
    assert.equal(r.exports[0]?.path, '/api/v2/spans');
    assert.deepEqual(r.spans().map((s) => [s.name, s.service]), [['zip', 'svc']]);
  });

  it('console prints each span to stdout', async () => {
    const printed: unknown[] = [];
    const dir = console.dir;
    console.dir = (item: unknown) => void printed.push(item);
    try {
      await send(telemetry({ OTEL_TRACES_EXPORTER: 'console' }), 'printed-op');
    } finally {
      console.dir = dir;
    }
    assert.deepEqual(printed.map((p) => (p as { name: string }).name), ['printed-op']);
  });

  it('none sends nothing, yet spans are still made (and propagated)', async () => {
    const r = await otlpHttp();
    const p = provider(telemetry({ OTEL_TRACES_EXPORTER: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }, 'Name: svc\nTelemetry: {}\n'));
    const span = p.getTracer('test').startSpan('op');
    assert.equal(span.isRecording(), true);
    span.end();
    await p.forceFlush();
    assert.equal(r.connections(), 0);
  });

  it('the Telemetry block wins: a file Batcher stays', async () => {
    const r = await receiver(startZipkinReceiver);
    await send(telemetry({ OTEL_TRACES_EXPORTER: 'otlp' }, `Name: svc\nTelemetry:\n  Batcher: zipkin\n  Endpoint: ${r.endpoint}\n`), 'zip');
    assert.deepEqual(r.spans().map((s) => s.name), ['zip']);
  });

  it('an unknown exporter is a config error naming the variable', () => {
    assert.throws(() => telemetry({ OTEL_TRACES_EXPORTER: 'kafka' }), /Telemetry\.Batcher: expected one of otlp\|zipkin\|console\|none, got "kafka" \(from OTEL_TRACES_EXPORTER\)/);
  });
});

describe('OTEL_EXPORTER_OTLP_PROTOCOL and OTEL_EXPORTER_OTLP_TRACES_PROTOCOL', () => {
  it('grpc alone sends OTLP/gRPC to the generic endpoint as is', async () => {
    const r = await otlpGrpc();
    await send(telemetry({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), 'over-grpc');
    assert.deepEqual(r.spans().map((s) => [s.name, s.service]), [['over-grpc', 'svc']]);
  });

  it('http/protobuf sends protobuf, http/json sends OTLP/JSON', async () => {
    const r = await otlpHttp();
    await send(telemetry({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), 'proto');
    await send(telemetry({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), 'json');
    assert.deepEqual(r.exports.map((e) => [e.contentType, e.spans[0]?.name]), [['application/x-protobuf', 'proto'], ['application/json', 'json']]);
  });

  it('the _TRACES_ form wins over the generic one', async () => {
    const r = await otlpHttp();
    await send(telemetry({ OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), 'json');
    assert.equal(r.exports[0]?.contentType, 'application/json');
  });

  it('the Telemetry block wins: a file Batcher keeps its protocol', async () => {
    const r = await otlpGrpc();
    await send(telemetry({ OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }, 'Name: svc\nTelemetry:\n  Batcher: otlpgrpc\n'), 'g');
    assert.deepEqual(r.spans().map((s) => s.name), ['g']);
  });

  it('an unknown protocol is a config error naming the variable', () => {
    assert.throws(() => telemetry({ OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/xml' }), /expected one of grpc\|http\/protobuf\|http\/json, got "http\/xml" \(from OTEL_EXPORTER_OTLP_TRACES_PROTOCOL\)/);
  });
});

describe('OTEL_EXPORTER_OTLP_ENDPOINT and OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', () => {
  it('the generic endpoint gets /v1/traces appended to its path', async () => {
    const r = await otlpHttp();
    await send(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: `${url(r)}/base/` }));
    assert.equal(r.exports[0]?.path, '/base/v1/traces');
  });

  it('the _TRACES_ endpoint is used as is, and wins over the generic one', async () => {
    const [traces, generic] = await Promise.all([otlpHttp(), otlpHttp()]);
    await send(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(generic), OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: `${url(traces)}/custom/path` }));
    assert.equal(traces.exports[0]?.path, '/custom/path');
    assert.equal(generic.connections(), 0);
  });

  it('the Telemetry block wins: a file Endpoint stays', async () => {
    const [file, env] = await Promise.all([otlpHttp(), otlpHttp()]);
    await send(telemetry({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: url(env) }, `Name: svc\nTelemetry:\n  Endpoint: ${file.endpoint}\n`));
    assert.equal(file.spans().length, 1);
    assert.equal(env.connections(), 0);
  });
});

describe('OTEL_EXPORTER_OTLP_HEADERS and OTEL_EXPORTER_OTLP_TRACES_HEADERS', () => {
  it('the generic headers are sent (url-decoded), over HTTP and as gRPC metadata', async () => {
    const [http, grpc] = await Promise.all([otlpHttp(), otlpGrpc()]);
    const headers = 'authorization=Bearer%20t0k,x-tenant=acme';
    await send(telemetry({ OTEL_EXPORTER_OTLP_HEADERS: headers, OTEL_EXPORTER_OTLP_ENDPOINT: url(http) }));
    await send(telemetry({ OTEL_EXPORTER_OTLP_HEADERS: headers, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: url(grpc) }));
    for (const r of [http, grpc]) {
      assert.equal(r.exports[0]?.headers.authorization, 'Bearer t0k');
      assert.equal(r.exports[0]?.headers['x-tenant'], 'acme');
    }
  });

  it('the _TRACES_ form wins over the generic one; the file wins per header', async () => {
    const r = await otlpHttp();
    await send(
      telemetry(
        { OTEL_EXPORTER_OTLP_HEADERS: 'x-a=generic', OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'x-b=traces,x-c=env', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) },
        'Name: svc\nTelemetry:\n  OtlpHeaders:\n    x-c: file\n',
      ),
    );
    const got = r.exports[0]?.headers ?? {};
    assert.deepEqual([got['x-a'], got['x-b'], got['x-c']], [undefined, 'traces', 'file']);
  });
});

describe('OTEL_EXPORTER_OTLP_COMPRESSION and OTEL_EXPORTER_OTLP_TRACES_COMPRESSION', () => {
  it('gzip compresses the OTLP/HTTP body; none (and the _TRACES_ form winning) does not', async () => {
    const r = await otlpHttp();
    await send(telemetry({ OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), 'zipped');
    await send(telemetry({ OTEL_EXPORTER_OTLP_COMPRESSION: 'gzip', OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'none', OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), 'plain');
    assert.deepEqual(r.exports.map((e) => [e.spans[0]?.name, e.contentEncoding]), [['zipped', 'gzip'], ['plain', undefined]]);
  });

  it('gzip compresses OTLP/gRPC messages', async () => {
    // grpc-js hides the grpc-encoding header from the service, so count the bytes on the wire.
    const wireBytes = async (env: Env): Promise<number> => {
      const r = await otlpGrpc();
      const relay = await byteCountingRelay(r.port);
      const p = provider(telemetry({ ...env, OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc', OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${relay.port}` }));
      for (let i = 0; i < 200; i++) p.getTracer('test').startSpan('GET /api/orders/:id', { attributes: { 'http.route': '/api/orders/:id' } }).end();
      await p.forceFlush();
      await p.shutdown();
      assert.equal(r.spans().length, 200);
      return relay.bytes();
    };
    const plain = await wireBytes({ OTEL_EXPORTER_OTLP_COMPRESSION: 'none' });
    const zipped = await wireBytes({ OTEL_EXPORTER_OTLP_TRACES_COMPRESSION: 'gzip' });
    assert.ok(zipped < plain / 2, `gzip ${zipped} bytes vs plain ${plain}`);
  });

  it('an unknown algorithm is a config error naming the variable', () => {
    assert.throws(() => telemetry({ OTEL_EXPORTER_OTLP_COMPRESSION: 'brotli' }), /Telemetry\.OtlpCompression: expected one of none\|gzip, got "brotli" \(from OTEL_EXPORTER_OTLP_COMPRESSION\)/);
  });
});

describe('OTEL_EXPORTER_OTLP_CERTIFICATE, _CLIENT_CERTIFICATE, _CLIENT_KEY (and their _TRACES_ forms)', () => {
  const SHORT = { OTEL_EXPORTER_OTLP_TIMEOUT: '500' };

  it('CERTIFICATE trusts a private CA: without it the collector is refused, with it the spans arrive', async () => {
    const r = await otlpHttp({ tls: SERVER_TLS });
    const untrusted = await send(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(r, 'https') }), 'untrusted', SHORT);
    await send(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(r, 'https'), OTEL_EXPORTER_OTLP_CERTIFICATE: tlsFile('ca.pem') }), 'trusted');
    assert.equal(untrusted.stats().failed, 1);
    assert.deepEqual(r.spans().map((s) => s.name), ['trusted']);
  });

  it('CLIENT_CERTIFICATE and CLIENT_KEY answer a collector that demands mutual TLS', async () => {
    const r = await otlpHttp({ tls: { ...SERVER_TLS, clientCa: readPem('ca.pem') } });
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: url(r, 'https'), OTEL_EXPORTER_OTLP_CERTIFICATE: tlsFile('ca.pem') };
    const anonymous = await send(telemetry(env), 'anonymous', SHORT);
    await send(telemetry({ ...env, OTEL_EXPORTER_OTLP_CLIENT_CERTIFICATE: tlsFile('client.pem'), OTEL_EXPORTER_OTLP_CLIENT_KEY: tlsFile('client.key') }), 'known');
    assert.equal(anonymous.stats().failed, 1);
    assert.deepEqual(r.spans().map((s) => s.name), ['known']);
  });

  it('the _TRACES_ forms win, and give OTLP/gRPC a TLS channel with a client certificate', async () => {
    const r = await otlpGrpc({ tls: { ...SERVER_TLS, clientCa: readPem('ca.pem') } });
    await send(
      telemetry({
        OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
        OTEL_EXPORTER_OTLP_ENDPOINT: url(r, 'https'),
        OTEL_EXPORTER_OTLP_CERTIFICATE: tlsFile('missing.pem'),
        OTEL_EXPORTER_OTLP_TRACES_CERTIFICATE: tlsFile('ca.pem'),
        OTEL_EXPORTER_OTLP_TRACES_CLIENT_CERTIFICATE: tlsFile('client.pem'),
        OTEL_EXPORTER_OTLP_TRACES_CLIENT_KEY: tlsFile('client.key'),
      }),
      'mtls-grpc',
    );
    assert.deepEqual(r.spans().map((s) => s.name), ['mtls-grpc']);
  });

  it('an unreadable file stops the agent with TRACE_ERR_BAD_CERTIFICATE, naming the file', () => {
    const c = telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: 'https://127.0.0.1:1', OTEL_EXPORTER_OTLP_CERTIFICATE: tlsFile('missing.pem') });
    assert.throws(() => createTracerProvider(c, { log: quiet }), (e: unknown) => (e as { code?: string }).code === 'TRACE_ERR_BAD_CERTIFICATE' && /missing\.pem/.test(String(e)));
  });
});

describe('OTEL_EXPORTER_OTLP_TIMEOUT, OTEL_EXPORTER_OTLP_TRACES_TIMEOUT and OTEL_BSP_EXPORT_TIMEOUT', () => {
  /** Sends one span to a collector that never answers; resolves with what the export counted. */
  async function hangingExport(processEnv: Env) {
    const r = await startFaultyOtlpHttpReceiver({ kind: 'hang' });
    after(() => r.close());
    const p = provider(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), processEnv);
    p.getTracer('test').startSpan('op').end();
    await p.forceFlush().catch(() => undefined);
    return { stats: p.stats(), requests: r.requests() };
  }

  // Each would hang for the 10 s default (or the 60 s generic value) if the variable were ignored.
  for (const [name, env] of [
    ['OTEL_EXPORTER_OTLP_TIMEOUT', { OTEL_EXPORTER_OTLP_TIMEOUT: '300' }],
    ['OTEL_EXPORTER_OTLP_TRACES_TIMEOUT (wins over the generic one)', { OTEL_EXPORTER_OTLP_TIMEOUT: '60000', OTEL_EXPORTER_OTLP_TRACES_TIMEOUT: '300' }],
    ['OTEL_BSP_EXPORT_TIMEOUT (the shorter bound wins)', { OTEL_EXPORTER_OTLP_TIMEOUT: '60000', OTEL_BSP_EXPORT_TIMEOUT: '300' }],
  ] as const) {
    it(`${name} bounds how long an export may hang`, { timeout: 8000 }, async () => {
      const { stats, requests } = await hangingExport(env);
      assert.ok(requests >= 1);
      assert.equal(stats.failed, 1);
    });
  }
});

describe('OTEL_BSP_*', () => {
  it('OTEL_BSP_SCHEDULE_DELAY sets the time between exports', async () => {
    const r = await otlpHttp();
    const slow = provider(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), { OTEL_BSP_SCHEDULE_DELAY: '60000' });
    const fast = provider(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), { OTEL_BSP_SCHEDULE_DELAY: '50' });
    slow.getTracer('test').startSpan('slow').end();
    fast.getTracer('test').startSpan('fast').end();
    await r.waitForSpans(1);
    // The default (1 s) would have sent the slow one by now as well.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    assert.deepEqual(r.spans().map((s) => s.name), ['fast']);
    await slow.forceFlush();
    assert.deepEqual(r.spans().map((s) => s.name), ['fast', 'slow']);
  });

  it('OTEL_BSP_MAX_EXPORT_BATCH_SIZE splits exports; OTEL_BSP_MAX_QUEUE_SIZE drops what does not fit', async () => {
    const r = await otlpHttp();
    const p = provider(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), { OTEL_BSP_MAX_QUEUE_SIZE: '6', OTEL_BSP_MAX_EXPORT_BATCH_SIZE: '3', OTEL_BSP_SCHEDULE_DELAY: '60000' });
    for (let i = 0; i < 10; i++) p.getTracer('test').startSpan(`s${i}`).end();
    await p.forceFlush();
    // Ten spans ended at once: at most one batch of 3 is out while the queue holds 6, so some are
    // dropped (4 when the first batch has not left yet, 1 when it has); the rest go in batches of 3.
    assert.ok(r.exports.length >= 2 && r.exports.every((e) => e.spans.length <= 3), `batches of ${r.exports.map((e) => e.spans.length).join(',')}`);
    assert.ok(p.stats().dropped >= 1);
    // Every span is accounted for: exported, dropped at the full queue, or (on a machine too busy
    // for the receiver to answer within the export timeout) in a failed batch. On such a machine
    // forceFlush can return with the last batch still unanswered; the export guard settles it
    // within its timeout.
    await eventually(
      () => `every span counted: ${JSON.stringify(p.stats())}`,
      () => {
        const stats = p.stats();
        return stats.exported + stats.dropped + stats.failed === 10;
      },
      { timeoutMs: 30_000 },
    );
    const stats = p.stats();
    assert.equal(stats.exported + stats.dropped + stats.failed, 10, JSON.stringify(stats));
  });
});

describe('span limits: OTEL_SPAN_*_LIMIT, OTEL_EVENT_/LINK_ATTRIBUTE_COUNT_LIMIT, OTEL_ATTRIBUTE_*_LIMIT', () => {
  const attrs = (n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, `value-${i}-0123456789`]));

  /** Exports one span with 5 attributes, 3 events and 3 links of 3 attributes each. */
  async function limited(processEnv: Env) {
    const r = await otlpHttp();
    const p = provider(telemetry({ OTEL_EXPORTER_OTLP_ENDPOINT: url(r) }), processEnv);
    const link = { context: { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331', traceFlags: TraceFlags.SAMPLED }, attributes: attrs(3) };
    const span = p.getTracer('test').startSpan('limited', { attributes: attrs(5), links: [link, link, link] });
    for (let i = 0; i < 3; i++) span.addEvent(`e${i}`, attrs(3));
    span.end();
    await p.forceFlush();
    const [got] = r.spans();
    assert.ok(got);
    return {
      attributes: Object.keys(got.attributes ?? {}).length,
      valueLength: String(got.attributes?.k0 ?? '').length,
      events: got.events?.length,
      eventAttributes: Object.keys(got.events?.[0]?.attributes ?? {}).length,
      links: got.links?.length,
      linkAttributes: Object.keys(got.links?.[0]?.attributes ?? {}).length,
    };
  }

  it('unset: nothing is cut', async () => {
    assert.deepEqual(await limited({}), { attributes: 5, valueLength: 18, events: 3, eventAttributes: 3, links: 3, linkAttributes: 3 });
  });

  it('each span variable cuts its own part of what is exported', async () => {
    const got = await limited({
      OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '2',
      OTEL_SPAN_ATTRIBUTE_VALUE_LENGTH_LIMIT: '4',
      OTEL_SPAN_EVENT_COUNT_LIMIT: '1',
      OTEL_SPAN_LINK_COUNT_LIMIT: '2',
      OTEL_EVENT_ATTRIBUTE_COUNT_LIMIT: '1',
      OTEL_LINK_ATTRIBUTE_COUNT_LIMIT: '2',
    });
    assert.deepEqual(got, { attributes: 2, valueLength: 4, events: 1, eventAttributes: 1, links: 2, linkAttributes: 2 });
  });

  it('the general OTEL_ATTRIBUTE_* limits apply where no span one is set, and yield to it', async () => {
    assert.deepEqual(await limited({ OTEL_ATTRIBUTE_COUNT_LIMIT: '3', OTEL_ATTRIBUTE_VALUE_LENGTH_LIMIT: '6' }), { attributes: 3, valueLength: 6, events: 3, eventAttributes: 3, links: 3, linkAttributes: 3 });
    assert.equal((await limited({ OTEL_ATTRIBUTE_COUNT_LIMIT: '3', OTEL_SPAN_ATTRIBUTE_COUNT_LIMIT: '1' })).attributes, 1);
  });
});
