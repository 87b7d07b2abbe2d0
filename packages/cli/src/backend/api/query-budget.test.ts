import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { describe, it } from 'node:test';
import type { QueryTrace, TraceFetcher } from '../query/storage.ts';
import { QueryBudgetError, QueryCancelledError } from './errors.ts';
import { budgetedFetcher, withQueryBudget } from './query-budget.ts';

/** A store with endless traces, counting how many were pulled. */
function endless(): TraceFetcher & { pulled: number } {
  const fetcher = {
    pulled: 0,
    async *fetchTraces(): AsyncIterable<QueryTrace> {
      for (;;) {
        fetcher.pulled++;
        yield { traceId: fetcher.pulled.toString(16).padStart(32, '0'), spans: [] };
      }
    },
  };
  return fetcher;
}

function fakeExchange(): { req: IncomingMessage; res: ServerResponse & EventEmitter } {
  const res = Object.assign(new EventEmitter(), { writableFinished: false }) as unknown as ServerResponse & EventEmitter;
  return { req: new EventEmitter() as IncomingMessage, res };
}

function burn(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe('query budget', () => {
  it('stops a query whose evaluation spends its CPU budget, with 503', async () => {
    const store = endless();
    const fetcher = budgetedFetcher(store);
    const { req, res } = fakeExchange();
    const err = await withQueryBudget(req, res, { cpuMs: 50, wallMs: 60_000 }, async () => {
      for await (const _ of fetcher.fetchTraces({})) burn(5);
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof QueryBudgetError, String(err));
    assert.equal(err.status, 503);
    assert.ok(store.pulled < 30, `stopped soon after the budget (${store.pulled} traces)`);
  });

  it('stops pulling traces once the client has gone', async () => {
    const store = endless();
    const fetcher = budgetedFetcher(store);
    const { req, res } = fakeExchange();
    let seen = 0;
    const err = await withQueryBudget(req, res, { cpuMs: 60_000, wallMs: 60_000 }, async () => {
      for await (const _ of fetcher.fetchTraces({})) {
        if (++seen === 100) res.emit('close');
      }
    }).then(() => undefined, (e: unknown) => e);
    assert.ok(err instanceof QueryCancelledError, String(err));
    assert.equal(store.pulled, 100);
  });

  it('lets other work in while a query evaluates', async () => {
    const fetcher = budgetedFetcher(endless());
    const { req, res } = fakeExchange();
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    await withQueryBudget(req, res, { cpuMs: 60_000, wallMs: 60_000 }, async () => {
      let n = 0;
      for await (const _ of fetcher.fetchTraces({})) {
        burn(2);
        if (++n === 100) break;
      }
    });
    clearInterval(timer);
    assert.ok(ticks >= 5, `timers ran during the query (${ticks})`);
  });

  it('leaves a fetcher used outside a request unbudgeted', async () => {
    const fetcher = budgetedFetcher(endless());
    let n = 0;
    for await (const _ of fetcher.fetchTraces({})) if (++n === 10) break;
    assert.equal(n, 10);
  });
});
