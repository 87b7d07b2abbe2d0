import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { context, trace } from '@opentelemetry/api';
import pino, { type Logger } from 'pino';
import { installTestTracer } from '../trace/testing/index.ts';
import { type AccessFields, accessLineJson, accessLinePlain } from './access-line.ts';
import { type LogConfInput, LogSchema } from './config.ts';
import { createDestination } from './destination.ts';
import { LOCAL_ONLY } from './local-only.ts';
import { createLogger } from './logger.ts';
import { captureLines } from './testing/index.ts';

// Strings a request can put in a line (its path, a gRPC method name from the wire).
const HOSTILE = [
  '',
  '/api/order/1',
  'quote " and backslash \\ and both \\"',
  '"',
  '\\',
  'line\nbreak',
  'tab\there\r\n',
  'nul \u0000 and bell \u0007 and unit separator \u001f',
  'del \u007f and c1 \u0085 and nbsp \u00a0',
  'non-BMP 😀 𝄞 and emoji at the end 🎉',
  'lone high \ud800 surrogate',
  'lone low \udc00',
  '\ud83d',
  'line separator \u2028 paragraph \u2029',
  '<script>alert("x")</script>',
  '%s %d %o %j %%',
  'x'.repeat(100),
  `${'y'.repeat(99)}"`,
  `${'z'.repeat(101)}"`,
  `huge ${'é"\\\n'.repeat(50_000)}`,
  'ascii-only-but-long-'.repeat(500),
];

const CONFIGS: LogConfInput[] = [{}, { ServiceName: 'order' }, { Level: 'debug', ServiceName: 'we "quote" \n' }, { Level: 'error' }];
const LEVELS = [
  ['debug', 20],
  ['info', 30],
  ['warn', 40],
  ['error', 50],
] as const;

/** What pino writes for the access line's fields through its generic path (as logAccess did). */
function generic(log: Logger, level: (typeof LEVELS)[number][0], fields: AccessFields, msg: string, sink: ReturnType<typeof captureLines>): string {
  sink.reset();
  log[level]({ ...fields, [LOCAL_ONLY]: true }, msg);
  assert.equal(sink.raw().length, 1, 'pino wrote one line');
  return sink.raw()[0]!;
}

function fixedTime(log: Logger): Logger {
  // Both paths read the time from the logger; pinned so a millisecond tick between them cannot differ.
  (log as unknown as Record<symbol, () => string>)[pino.symbols.timeSym] = () => ',"time":"2026-01-02T03:04:05.678Z"';
  return log;
}

describe('access line built by hand', () => {
  const tracing = installTestTracer();
  after(() => tracing.shutdown());

  test('is byte for byte what pino writes, for hostile strings, every level, traced or not, bindings and configs', () => {
    let compared = 0;
    for (const conf of CONFIGS) {
      const sink = captureLines();
      const log = fixedTime(createLogger(conf, { destination: sink.stream, serviceName: 'fallback' }));
      const child = fixedTime(log.child({ module: 'm "x"', n: 1 }));
      for (const logger of [log, child]) {
        for (const [level, number] of LEVELS) {
          if (!logger.isLevelEnabled(level)) continue;
          for (const [i, text] of HOSTILE.entries()) {
            const variants: AccessFields[] = [
              { kind: 'http', method: 'GET', route: '/api/order/:id', path: text, status: 200, code: undefined, duration_ms: 1.234, slow: undefined },
              { kind: 'http', method: text, route: undefined, path: undefined, status: 404, code: undefined, duration_ms: 0, slow: true },
              { kind: 'rpc', method: `user.User/${text}`, route: undefined, path: undefined, status: 13, code: text, duration_ms: 12345.678, slow: true },
              { kind: 'rpc', method: 'm', route: text, path: text, status: Number.NaN, code: 'OK', duration_ms: Number.POSITIVE_INFINITY, slow: undefined },
              { kind: 'http', method: 'GET', route: '/r', path: '/r', status: -0, code: undefined, duration_ms: 1e21, slow: undefined },
            ];
            for (const fields of variants) {
              const msg = i % 2 === 0 ? `slowcall ${text} ${fields.status}` : text;
              for (const traced of [false, true]) {
                const span = trace.getTracer('t').startSpan('s');
                const ctx = traced ? trace.setSpan(context.active(), span) : context.active();
                const [expected, actual] = context.with(ctx, (): [string, string | undefined] => [generic(logger, level, fields, msg, sink), accessLineJson(logger, number, fields, msg)]);
                span.end();
                if (traced) assert.match(expected, /"trace_id":"[0-9a-f]{32}","span_id":"[0-9a-f]{16}"/);
                assert.equal(actual, expected, `config ${JSON.stringify(conf)}, level ${level}, string #${i}, traced ${traced}`);
                compared++;
              }
            }
          }
        }
      }
    }
    assert.ok(compared > 1000, `compared ${compared} lines`);
  });

  test('Encoding plain: the same line as pino through the plain stream (time aside), hostile strings, traced or not', () => {
    const sink = captureLines();
    const log = createLogger({ Encoding: 'plain', Level: 'debug', ServiceName: 'svc' }, { destination: sink.stream });
    const dropTime = (line: string) => line.slice(line.indexOf('\t'));
    let compared = 0;
    for (const [level, number] of LEVELS) {
      for (const text of HOSTILE) {
        const variants: AccessFields[] = [
          { kind: 'http', method: 'GET', route: '/api/order/:id', path: text, status: 200, code: undefined, duration_ms: 1.234, slow: undefined },
          { kind: 'rpc', method: `user.User/${text}`, route: undefined, path: undefined, status: 13, code: text, duration_ms: Number.NaN, slow: true },
        ];
        for (const fields of variants) {
          for (const traced of [false, true]) {
            const span = trace.getTracer('t').startSpan('s');
            const ctx = traced ? trace.setSpan(context.active(), span) : context.active();
            const [expected, actual] = context.with(ctx, (): [string, string] => [generic(log, level, fields, text, sink), accessLinePlain(number, fields, text)]);
            span.end();
            assert.match(actual, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t/);
            assert.equal(dropTime(actual), dropTime(expected), `level ${level}, traced ${traced}, ${JSON.stringify(text.slice(0, 40))}`);
            compared++;
          }
        }
      }
    }
    assert.ok(compared > 300);
  });

  test('a binding set after start and an invalid span context show as pino shows them', () => {
    const sink = captureLines();
    const log = fixedTime(createLogger({ ServiceName: 'svc' }, { destination: sink.stream }));
    log.setBindings({ region: 'eu\n"1"' });
    const fields: AccessFields = { kind: 'http', method: 'GET', route: '/r', path: '/r', status: 200, code: undefined, duration_ms: 1, slow: undefined };
    const invalid = trace.wrapSpanContext({ traceId: '0'.repeat(32), spanId: '0'.repeat(16), traceFlags: 0 });
    const [expected, actual] = context.with(trace.setSpan(context.active(), invalid), () => [generic(log, 'info', fields, 'GET /r 200', sink), accessLineJson(log, 30, fields, 'GET /r 200')]);
    assert.equal(actual, expected);
    assert.doesNotMatch(actual!, /trace_id/);
  });

  test('a value of a type an access line never has is left to pino (undefined)', () => {
    const log = createLogger({}, { destination: captureLines().stream });
    const odd = { kind: 'http', method: { toString: () => 'GET' }, route: undefined, path: undefined, status: 200, code: undefined, duration_ms: 1, slow: undefined };
    assert.equal(accessLineJson(log, 30, odd as unknown as AccessFields, 'x'), undefined);
    assert.equal(accessLineJson(log, 30, { ...(odd as unknown as AccessFields), method: 'GET', kind: 'grpc' as 'rpc' }, 'x'), undefined);
  });
});

describe('destination out', () => {
  test('file mode: the file multistream would pick (access for debug/info, slow, error, severe); plain: none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zeroscope-jsonout-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const files = createDestination(LogSchema.parse({ Mode: 'file', Path: dir }));
    // The multistream's streams, in FILES order: access.log, slow.log, error.log, severe.log.
    const streams = (files.stream as unknown as { streams: Array<{ stream: unknown }> }).streams.map((entry) => entry.stream);
    const file = (level: number) => ['access.log', 'slow.log', 'error.log', 'severe.log'][streams.indexOf(files.out(level))];
    assert.deepEqual([10, 20, 30, 40, 50, 60].map(file), ['access.log', 'access.log', 'access.log', 'slow.log', 'error.log', 'severe.log']);
    files.flushSync();
    const sink = captureLines();
    const plain = createDestination(LogSchema.parse({ Encoding: 'plain' }), sink.stream);
    assert.equal(plain.out(30), sink.stream, 'past the plain encoder');
    assert.equal(plain.encoding, 'plain');
    assert.equal(createDestination(LogSchema.parse({}), sink.stream).out(30), sink.stream);
  });
});
