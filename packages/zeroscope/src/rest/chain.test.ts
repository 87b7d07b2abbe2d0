import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { builtinMiddlewares, composeChain } from './chain.ts';
import { RestConfSchema } from './config.ts';
import { type Middleware, RequestContext } from './context.ts';

const conf = (middlewares: Record<string, boolean> = {}) =>
  RestConfSchema.parse({ Name: 'chain', Port: 0, Middlewares: middlewares });
const noop = () => {};

describe('builtinMiddlewares', () => {
  test("all on: go-zero's order, tracing outermost", () => {
    assert.deepEqual(
      builtinMiddlewares(conf(), noop).map((m) => m.name),
      ['tracing', 'accessLog', 'metrics', 'maxConns', 'shedding', 'timeout', 'recover', 'maxBytes', 'gunzip'],
    );
  });

  test('CpuThreshold 0 leaves shedding out', () => {
    const names = builtinMiddlewares(RestConfSchema.parse({ Name: 'chain', Port: 0, CpuThreshold: 0 }), noop).map((m) => m.name);
    assert.ok(!names.includes('shedding'));
  });

  test('each flag removes exactly its middleware', () => {
    const all = ['Trace', 'Log', 'Metrics', 'MaxConns', 'Shedding', 'Timeout', 'Recover', 'MaxBytes', 'Gunzip'];
    const names = ['tracing', 'accessLog', 'metrics', 'maxConns', 'shedding', 'timeout', 'recover', 'maxBytes', 'gunzip'];
    all.forEach((flag, i) => {
      const got = builtinMiddlewares(conf({ [flag]: false }), noop).map((m) => m.name);
      assert.deepEqual(got, names.filter((_, j) => j !== i), flag);
    });
  });
});

describe('composeChain', () => {
  test('runs middleware first-outermost around the endpoint, each knowing its route', async () => {
    const seen: string[] = [];
    const tag = (label: string): Middleware => (next, route) => async function tagged(ctx) {
      seen.push(`${label}>${route.path}`);
      await next(ctx);
      seen.push(`<${label}`);
    };
    const route = { method: 'GET', path: '/c', timeout: undefined };
    const dispatch = composeChain([tag('a'), tag('b')], async () => void seen.push('endpoint'), route, noop);
    const ctx = new RequestContext({ headers: {} } as IncomingMessage, {} as ServerResponse, '/c', route, {}, {});
    await dispatch(ctx);
    assert.deepEqual(seen, ['a>/c', 'b>/c', 'endpoint', '<b', '<a']);
  });
});
