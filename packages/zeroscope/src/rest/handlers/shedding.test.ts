import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { SpanKind } from '@opentelemetry/api';
import { AdaptiveShedder, fixedCpuSampler, type Shedder } from '../../load/index.ts';
import { installTestTracer } from '../../trace/testing/index.ts';
import { REST_ERROR_CODES } from '../errors.ts';
import { startTestServer } from '../testing/test-server.ts';
import { sheddingHandler } from './shedding.ts';

const tracing = installTestTracer('shed-api');
after(() => tracing.shutdown());

async function serverSpans(count: number) {
  for (let i = 0; i < 200; i++) {
    const spans = tracing.spans().filter((s) => s.kind === SpanKind.SERVER);
    if (spans.length >= count) return spans;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  assert.fail(`expected ${count} server spans`);
}

describe('sheddingHandler', () => {
  test('a shed request answers 503 REST_ERR_OVERLOADED and its span says why', async (t) => {
    tracing.reset();
    const verdicts: string[] = [];
    const shedder: Shedder = {
      allow: () => ({ admitted: false, reason: { cpu: 950, flying: 12, avgFlying: 9.5, maxFlight: 4 } }),
    };
    const { url } = await startTestServer(t, { Middlewares: { Shedding: false } }, (s) => {
      s.use(sheddingHandler({ shedder }));
      s.addRoute({ method: 'GET', path: '/work', handler: () => verdicts.push('ran') });
    });
    const res = await fetch(`${url}/work`);
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { code: string }).code, REST_ERROR_CODES.OVERLOADED);
    assert.deepEqual(verdicts, [], 'the handler never ran');
    const [span] = await serverSpans(1);
    assert.equal(span.attributes['zeroscope.load_shed'], true);
    assert.equal(span.attributes['http.response.status_code'], 503);
    const event = span.events.find((e) => e.name === 'zeroscope.load_shed');
    assert.deepEqual(event?.attributes, {
      'zeroscope.load_shed.cpu_millis': 950,
      'zeroscope.load_shed.in_flight': 12,
      'zeroscope.load_shed.avg_in_flight': 9.5,
      'zeroscope.load_shed.max_in_flight': 4,
    });
  });

  test('admitted requests pass on success and fail on 5xx', async (t) => {
    const outcomes: string[] = [];
    const shedder: Shedder = {
      allow: () => ({ admitted: true, admission: { pass: () => outcomes.push('pass'), fail: () => outcomes.push('fail') } }),
    };
    const { url } = await startTestServer(t, { Middlewares: { Shedding: false } }, (s) => {
      s.use(sheddingHandler({ shedder }));
      s.addRoute({ method: 'GET', path: '/ok', handler: () => 'ok' });
      s.addRoute({ method: 'GET', path: '/boom', handler: () => { throw new Error('boom'); } });
    });
    assert.equal((await fetch(`${url}/ok`)).status, 200);
    assert.equal((await fetch(`${url}/boom`)).status, 500);
    assert.deepEqual(outcomes, ['pass', 'fail']);
  });

  test('the adaptive shedder on a CPU stuck at 95% sheds a pile-up of slow requests with 503', async (t) => {
    tracing.reset();
    const shedder = new AdaptiveShedder({ cpuThreshold: 900, cpu: fixedCpuSampler(950), windowMs: 1000, buckets: 10 });
    const { url } = await startTestServer(t, { Middlewares: { Shedding: false }, MaxConns: 0 }, (s) => {
      s.use(sheddingHandler({ shedder }));
      s.addRoute({ method: 'GET', path: '/slow', handler: async () => { await new Promise((r) => setTimeout(r, 20)); return 'done'; } });
    });
    const statuses: number[] = [];
    // Waves of 30 concurrent requests; the window learns the server completes few at once.
    for (let wave = 0; wave < 20 && !statuses.includes(503); wave++) {
      const batch = await Promise.all(Array.from({ length: 30 }, async () => {
        const res = await fetch(`${url}/slow`);
        await res.arrayBuffer();
        return res.status;
      }));
      statuses.push(...batch);
    }
    assert.ok(statuses.includes(503), 'some requests were shed');
    assert.ok(statuses.every((s) => s === 200 || s === 503), String([...new Set(statuses)]));
    const spans = await serverSpans(statuses.length);
    const shed = spans.filter((s) => s.attributes['http.response.status_code'] === 503);
    assert.ok(shed.length > 0 && shed.every((s) => s.attributes['zeroscope.load_shed'] === true));
    assert.ok(spans.filter((s) => s.attributes['http.response.status_code'] === 200).every((s) => s.attributes['zeroscope.load_shed'] === undefined));
  });
});
