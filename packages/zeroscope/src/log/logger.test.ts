import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { after, describe, test } from 'node:test';
import { context, type Span, trace } from '@opentelemetry/api';
import { eventually } from '../../../../test/lib/eventually.ts';
import { installTestTracer } from '../trace/testing/index.ts';
import { LogSchema } from './config.ts';
import { createLogger } from './logger.ts';
import { captureLines } from './testing/index.ts';

describe('createLogger', () => {
  const tracing = installTestTracer();
  after(() => tracing.shutdown());

  test('json lines: level as text, ISO time, service, message', () => {
    const sink = captureLines();
    const log = createLogger({ ServiceName: 'order' }, { destination: sink.stream });
    log.info({ orderId: 7 }, 'order created');
    const [line] = sink.lines();
    assert.equal(line.level, 'info');
    assert.equal(line.service, 'order');
    assert.equal(line.orderId, 7);
    assert.equal(line.msg, 'order created');
    assert.match(String(line.time), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(line.trace_id, undefined, 'no span, no trace fields');
  });

  test('every line inside a span carries its trace_id and span_id, nested async work included', async () => {
    const sink = captureLines();
    const log = createLogger({}, { destination: sink.stream, serviceName: 'svc' });
    const span = trace.getTracer('t').startSpan('work');
    await within(span, async () => {
      log.info('before await');
      await new Promise((resolve) => setTimeout(resolve, 1));
      log.warn({ trace_id: 'explicit' }, 'a caller may set its own');
    });
    span.end();
    log.info('after');
    const [inside, explicit, outside] = sink.lines();
    assert.equal(inside.trace_id, span.spanContext().traceId);
    assert.equal(inside.span_id, span.spanContext().spanId);
    assert.equal(inside.service, 'svc', 'serviceName applies when ServiceName is unset');
    assert.equal(explicit.trace_id, 'explicit');
    assert.equal(explicit.span_id, span.spanContext().spanId);
    assert.equal(outside.trace_id, undefined);
  });

  test('Level filters: error drops info, severe keeps only fatal (written as "severe")', () => {
    const sink = captureLines();
    createLogger({ Level: 'error' }, { destination: sink.stream }).info('dropped');
    createLogger({ Level: 'error' }, { destination: sink.stream }).error('kept');
    const severe = createLogger({ Level: 'severe' }, { destination: sink.stream });
    severe.error('dropped too');
    severe.fatal('the end');
    assert.deepEqual(sink.lines().map((l) => [l.level, l.msg]), [['error', 'kept'], ['severe', 'the end']]);
    const debug = createLogger({ Level: 'debug' }, { destination: sink.stream });
    assert.equal(debug.isLevelEnabled('debug'), true);
  });

  test('Encoding plain: time, level, message, then key=value pairs with the trace', async () => {
    const sink = captureLines();
    const log = createLogger({ Encoding: 'plain' }, { destination: sink.stream });
    const span = trace.getTracer('t').startSpan('plain');
    await within(span, async () => log.info({ user: 'ada lovelace', n: 2 }, 'hello'));
    span.end();
    log.error(new Error('bad thing'), 'failed');
    const [hello, failed] = sink.raw();
    const fields = hello.trimEnd().split('\t');
    assert.match(fields[0], /^\d{4}-\d\d-\d\dT/);
    assert.deepEqual(fields.slice(1), ['info', 'hello', `trace_id=${span.spanContext().traceId}`, `span_id=${span.spanContext().spanId}`, 'user="ada lovelace"', 'n=2']);
    assert.match(failed, /\terror\tfailed\terr="bad thing"\nError: bad thing\n\s+at /);
  });

  test('Mode file: lines split into access.log, slow.log, error.log and severe.log under Path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'zeroscope-log-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const path = join(dir, 'nested', 'logs');
    const log = createLogger(LogSchema.parse({ Mode: 'file', Path: path }));
    log.info('an access line');
    log.warn('a slow line');
    log.error('an error line');
    log.fatal('a severe line');
    const read = (file: string) => readFileSync(join(path, file), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { msg: string }).msg);
    const expected = [['an access line'], ['a slow line'], ['an error line'], ['a severe line']];
    let files: unknown = 'none read';
    await eventually(
      () => `the four files to hold one line each, saw ${JSON.stringify(files)}`,
      () => {
        log.flush();
        try {
          files = ['access.log', 'slow.log', 'error.log', 'severe.log'].map(read);
        } catch (err) {
          files = String(err); // not written yet, or a line half written
          return undefined;
        }
        return isDeepStrictEqual(files, expected);
      },
      { timeoutMs: 5000, pollMs: 20 },
    );
  });

  test('rejects unknown keys and levels', () => {
    assert.throws(() => LogSchema.parse({ Level: 'verbose' }));
    assert.throws(() => LogSchema.parse({ KeepDays: 3 }));
    assert.deepEqual(LogSchema.parse({}), { Mode: 'console', Encoding: 'json', Level: 'info', Path: 'logs', Stat: true, ExportAccess: false, SlowThreshold: 500, AccessLevels: { Success: 'info', ClientError: 'error', ServerError: 'error', Slow: 'warn' } });
  });
});

function within<T>(span: Span, fn: () => Promise<T>): Promise<T> {
  return context.with(trace.setSpan(context.active(), span), fn);
}
