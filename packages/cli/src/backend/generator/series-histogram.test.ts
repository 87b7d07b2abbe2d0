import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Histogram, Registry } from 'prom-client';
import { SeriesHistogram } from './series-histogram.ts';
import { createRng } from '../../../../../test/lib/random.ts';

const BUCKETS = [0.002, 0.004, 0.008, 0.5, 1, 10];
const LABELS = ['service', 'op'] as const;
type L = (typeof LABELS)[number];

/** A plain Histogram and a SeriesHistogram under the same name, each on its own registry. */
function pair() {
  const plainRegistry = new Registry();
  const fastRegistry = new Registry();
  const config = { name: 'latency_seconds', help: 'Latency', labelNames: [...LABELS], buckets: BUCKETS };
  const plain = new Histogram<L>({ ...config, registers: [plainRegistry] });
  const fast = new SeriesHistogram<L>({ ...config, registers: [fastRegistry] });
  return { plain, fast, texts: async () => [await plainRegistry.metrics(), await fastRegistry.metrics()] };
}

describe('SeriesHistogram', () => {
  it('renders exactly what a plain Histogram renders for the same observations', async () => {
    const { plain, fast, texts } = pair();
    // Kept label objects, one per series, as the generator keeps them.
    const series = new Map<string, Record<L, string>>();
    const rand = createRng(3).int;
    const values = [0, -1, 0.001, 0.002, 0.0020001, 0.5, 1, 9.99, 10, 10.5, 1e9, 0.1 + 0.2];
    for (let i = 0; i < 3000; i++) {
      const service = ['a', 'b', 'ü', ''][rand(4)];
      const op = `op-${rand(7)}`;
      const key = `${service}/${op}`;
      let labels = series.get(key);
      if (!labels) series.set(key, (labels = { service, op }));
      const value = values[rand(values.length)];
      plain.observe({ service, op }, value);
      fast.observeSeries(labels, value);
    }
    const [expected, actual] = await texts();
    assert.equal(actual, expected);
    assert.match(actual, /latency_seconds_bucket\{le="\+Inf",service="ü",op="op-\d"\}/);
  });

  it('mixes with observe(), takes label objects made afresh, and starts over after reset()', async () => {
    const { plain, fast, texts } = pair();
    const kept = { service: 's', op: 'o' };
    fast.observeSeries(kept, 0.003);
    fast.observe({ service: 's', op: 'o' }, 0.7);
    fast.observeSeries({ service: 's', op: 'o' }, 2);
    fast.observeSeries(kept, 20);
    for (const v of [0.003, 0.7, 2, 20]) plain.observe({ service: 's', op: 'o' }, v);
    let [expected, actual] = await texts();
    assert.equal(actual, expected);

    fast.reset();
    plain.reset();
    fast.observeSeries(kept, 0.001);
    plain.observe({ service: 's', op: 'o' }, 0.001);
    [expected, actual] = await texts();
    assert.equal(actual, expected);
    assert.match(actual, /latency_seconds_count\{service="s",op="o"\} 1$/m);
  });

  it('refuses a non-finite value as observe() does, without counting it', async () => {
    const { fast, texts } = pair();
    const kept = { service: 's', op: 'o' };
    fast.observeSeries(kept, 1);
    assert.throws(() => fast.observeSeries(kept, Number.NaN), TypeError);
    const [, actual] = await texts();
    assert.match(actual, /latency_seconds_count\{service="s",op="o"\} 1$/m);
  });
});
