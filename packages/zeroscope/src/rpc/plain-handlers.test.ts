// Unary handlers that answer synchronously now pass through recover/timeout/shedding and into
// grpc-js's callback without a promise. These tests pin that such a handler is answered and traced
// exactly like its async twin, which takes the promise path every handler took before.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { status } from '@grpc/grpc-js';
import { SpanKind } from '@opentelemetry/api';
import { LogSchema, setUpLogging } from '../log/index.ts';
import { captureLines } from '../log/testing/index.ts';
import { installTestTracer } from '../trace/testing/index.ts';
import { createClient } from './client.ts';
import type { RpcServerConfInput } from './config.ts';
import { RpcStatusError } from './errors.ts';
import { RpcServer } from './server.ts';
import { EchoService } from './testdata/echo-service.ts';

// node --test runs each file in its own process, so this file owns the process logger and tracer.
const sink = captureLines();
setUpLogging(LogSchema.parse({}), { serviceName: 'plain', destination: sink.stream });
const tracing = installTestTracer('plain');
after(() => tracing.shutdown());

interface EchoReq {
  text: string;
}

/** What Say does for a request text; `async:` in front makes the same behaviour async. */
function behave(text: string): unknown {
  switch (text) {
    case 'notfound':
      throw new RpcStatusError(status.NOT_FOUND, 'no such echo');
    case 'boom':
      throw new Error('boom');
    case 'thenable':
      return { then: (resolve: (v: unknown) => void) => resolve({ text: 'via thenable', seq: 2 }) };
    case 'sleep':
      return new Promise((resolve) => setTimeout(() => resolve({ text: 'slept', seq: 4 }), 400));
    case 'busy': {
      // Synchronous work past the server Timeout: a reply given synchronously was never late.
      const until = Date.now() + 80;
      while (Date.now() < until);
      return { text: 'busy', seq: 3 };
    }
    default:
      return { text, seq: 1 };
  }
}

async function startServer(t: { after(fn: () => Promise<void>): void }, conf: Partial<RpcServerConfInput>) {
  const server = new RpcServer({ Name: 'plain', ListenOn: '127.0.0.1:0', CpuThreshold: 0, ...conf }, { shutdownTimeoutMs: 500 });
  server.addService(EchoService, {
    Say: (request: EchoReq) => (request.text.startsWith('async:') ? Promise.resolve().then(() => behave(request.text.slice(6))) : behave(request.text)),
    Repeat: function* () {},
  } as never);
  await server.start();
  t.after(() => server.stop());
  const client = createClient(EchoService, { Endpoints: [server.address ?? ''], Timeout: 5000 });
  t.after(async () => client.close());
  return client;
}

interface Seen {
  reply?: unknown;
  code: number;
  details?: string;
  span: { code: number; grpc: unknown; events: string[] };
  log: unknown;
}

async function observe(client: Awaited<ReturnType<typeof startServer>>, text: string): Promise<Seen> {
  tracing.reset();
  sink.reset();
  let seen: Omit<Seen, 'span' | 'log'>;
  try {
    const reply = await client.Say({ text });
    seen = { reply: { text: reply.text, seq: reply.seq }, code: status.OK };
  } catch (err) {
    assert.ok(err instanceof RpcStatusError, String(err));
    seen = { code: err.grpcCode, details: err.details };
  }
  let spans = tracing.spans().filter((s) => s.kind === SpanKind.SERVER);
  for (let i = 0; i < 200 && spans.length === 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 5));
    spans = tracing.spans().filter((s) => s.kind === SpanKind.SERVER);
  }
  const [span] = spans;
  assert.ok(span, `no server span for ${text}`);
  const line = sink.lines().find((l) => l.kind === 'rpc');
  return {
    ...seen,
    span: { code: span.status.code, grpc: span.attributes['rpc.grpc.status_code'], events: span.events.map((e) => e.name).filter((n) => n !== 'message') },
    log: line && { status: line.status, level: line.level },
  };
}

describe('plain unary handlers: synchronous and async answer alike', () => {
  for (const [label, conf] of [
    ['all middleware on', {}],
    ['Recover off', { Middlewares: { Recover: false } }],
    ['shedding on', { CpuThreshold: 900 }],
  ] as const) {
    test(`reply, status error, thrown error and thenable (${label})`, async (t) => {
      const client = await startServer(t, conf);
      for (const text of ['hello', 'notfound', 'boom', 'thenable']) {
        const sync = await observe(client, text);
        const viaPromise = await observe(client, `async:${text}`);
        if (text === 'hello') (viaPromise.reply as { text: string }).text = 'hello'; // echoes its own text
        assert.deepEqual(sync, viaPromise, `${text} (${label})`);
      }
      const boom = await observe(client, 'boom');
      // Recover turns it into INTERNAL with the message; without it grpc-js's UNKNOWN hides it.
      assert.equal(boom.code, 'Middlewares' in conf ? status.UNKNOWN : status.INTERNAL);
      assert.equal(boom.span.code, 2);
    });
  }

  test('the server Timeout cuts a slow promised reply but never a reply given synchronously', async (t) => {
    const client = await startServer(t, { Timeout: 40 });
    for (const text of ['sleep', 'async:sleep']) {
      const slow = await observe(client, text);
      assert.equal(slow.code, status.DEADLINE_EXCEEDED, text);
      assert.match(slow.details ?? '', /server timeout of 40ms/);
    }
    // Busy work done before the reply is handed back (synchronously, or in the promise's first
    // tick, before any timer can run) was never cut short, before or after the plain chain.
    for (const text of ['busy', 'async:busy']) {
      const busy = await observe(client, text);
      assert.equal(busy.code, status.OK, text);
      assert.deepEqual(busy.reply, { text: 'busy', seq: 3 });
    }
  });
});
