import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { TraceFetcher } from '../../query/storage.ts';
import { traceqlSearchEngine } from '../../query/index.ts';
import { decodedRequest, spanIdOf, traceIdOf } from '../../otlp/testing/trace-builder.ts';
import { openMemoryStore } from '../../store/memory-store.ts';
import type { TraceStore } from '../../store/index.ts';
import { BadQueryError } from '../errors.ts';
import type { SearchRequest } from '../types.ts';
import { MAX_JOBS, MIN_JOB_NANOS, planSearchJobs, streamSearch, type SearchResponseJson } from './search-stream.ts';

const S = 1_000_000_000n;
const T0 = 1_800_000_000n * S;

describe('planSearchJobs', () => {
  it('makes one open job without a range or for a range shorter than a job', () => {
    assert.deepEqual(planSearchJobs(undefined, undefined), [{}]);
    assert.deepEqual(planSearchJobs(T0, undefined), [{}]);
    assert.deepEqual(planSearchJobs(T0, T0 + MIN_JOB_NANOS - 1n), [{}]);
  });

  it('cuts a range into slices newest first, open at both ends, that cover every start time once', () => {
    const jobs = planSearchJobs(T0, T0 + 5n * MIN_JOB_NANOS);
    assert.equal(jobs.length, 5);
    assert.deepEqual(jobs[0], { from: T0 + 4n * MIN_JOB_NANOS });
    assert.deepEqual(jobs[4], { to: T0 + MIN_JOB_NANOS });
    for (let i = 1; i < jobs.length; i++) assert.equal(jobs[i]!.to, jobs[i - 1]!.from, 'adjacent, no gap, no overlap');
  });

  it('caps the number of jobs on long ranges', () => {
    assert.equal(planSearchJobs(T0, T0 + 7n * 24n * 3600n * S).length, MAX_JOBS);
  });
});

describe('streamSearch', () => {
  let store: TraceStore;
  const range = { startUnixNano: T0, endUnixNano: T0 + 10n * MIN_JOB_NANOS };
  // Ten traces a job apart, the oldest starting before the range and ending inside it; every
  // other one has an error span.
  before(async () => {
    store = await openMemoryStore();
    for (let i = 0; i < 10; i++) {
      const start = T0 + BigInt(i) * MIN_JOB_NANOS + 7n * S - (i === 0 ? 30n * S : 0n);
      await store.push(
        decodedRequest([
          {
            service: i % 2 ? 'api' : 'web',
            spans: [
              { traceId: traceIdOf(i), spanId: spanIdOf(1), name: 'root', start, end: start + 40n * S },
              { traceId: traceIdOf(i), spanId: spanIdOf(2), parentSpanId: spanIdOf(1), name: 'child', start: start + S, end: start + 2n * S, error: i % 2 === 0 },
            ],
          },
        ]),
      );
    }
  });
  after(() => store.close());

  const request = (over: Partial<SearchRequest>): SearchRequest => ({ limit: 20, spss: 3, ...range, ...over });
  async function collect(req: SearchRequest, options = {}, fetcher: TraceFetcher = store): Promise<SearchResponseJson[]> {
    const out: SearchResponseJson[] = [];
    await streamSearch({ fetcher, engine: traceqlSearchEngine }, req, async (r) => void out.push(structuredClone(r)), options);
    return out;
  }
  const ids = (r: SearchResponseJson) => r.traces.map((t) => t.traceID as string);

  for (const q of ['{}', '{ status = error }', '{ resource.service.name = "api" } >> { name = "child" }']) {
    it(`ends with exactly the one-shot search's traces: ${q}`, async () => {
      const oneShot = (await traceqlSearchEngine.search(store, request({ query: q }))) as unknown as SearchResponseJson;
      const answers = await collect(request({ query: q }), { progressIntervalMs: 0 });
      assert.ok(oneShot.traces.length > 0);
      assert.deepEqual(answers.at(-1)!.traces, oneShot.traces);
    });
  }

  it('sends what each job found as it completes, then the whole result, with job counts', async () => {
    const answers = await collect(request({}), { progressIntervalMs: 0 });
    assert.equal(answers.length, 11, 'ten partial answers and the final one');
    const partialIds = answers.slice(0, -1).flatMap(ids);
    assert.deepEqual(partialIds, ids(answers.at(-1)!), 'each trace once in the partial answers, newest first');
    assert.equal(partialIds.length, 10, 'the trace that starts before the range is found too');
    assert.deepEqual(
      answers.map((a) => a.metrics.completedJobs),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 10],
    );
    for (const a of answers) assert.equal(a.metrics.totalJobs, 10);
    assert.equal(answers.at(-1)!.metrics.inspectedTraces, 10, 'no trace inspected twice');
  });

  it('sends only the final answer when every job finishes within the progress interval', async () => {
    const answers = await collect(request({}), { progressIntervalMs: 60_000 });
    assert.equal(answers.length, 1);
    assert.equal(answers[0]!.traces.length, 10);
  });

  it('stops at the limit with the newest traces', async () => {
    const all = ids((await collect(request({})))[0]!);
    const answers = await collect(request({ limit: 3 }), { progressIntervalMs: 0 });
    assert.deepEqual(ids(answers.at(-1)!), all.slice(0, 3));
    assert.equal(answers.at(-1)!.metrics.completedJobs, 3, 'older jobs did not run');
  });

  it('shares one scan budget between the jobs', async () => {
    const answers = await collect(request({}), { progressIntervalMs: 0, maxInspectedTraces: 4 });
    assert.equal(answers.at(-1)!.metrics.inspectedTraces, 4);
    assert.equal(answers.at(-1)!.traces.length, 4);
  });

  it('stops between jobs once the client is gone', async () => {
    let jobs = 0;
    const counting: TraceFetcher = {
      fetchTraces: (req) => {
        jobs++;
        return store.fetchTraces(req);
      },
    };
    const answers = await collect(request({}), { progressIntervalMs: 0, isCancelled: () => jobs >= 2 }, counting);
    assert.equal(jobs, 2);
    assert.equal(answers.length, 2, 'nothing after the cancel');
  });

  it('refuses a bad query before sending anything', async () => {
    const out: SearchResponseJson[] = [];
    await assert.rejects(
      streamSearch({ fetcher: store, engine: traceqlSearchEngine }, request({ query: '{ nope' }), async (r) => void out.push(r)),
      (err: unknown) => err instanceof BadQueryError && /parse error/.test(err.message),
    );
    assert.equal(out.length, 0);
  });
});
