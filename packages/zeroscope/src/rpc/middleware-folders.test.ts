import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Breakers } from './breaker/breakers.ts';

/**
 * The rule of the middleware folders: one shape and one export suffix per folder, so a reader
 * finds each middleware, and knows how it plugs in, from its folder and name alone.
 */
const FOLDERS = {
  serverinterceptors: {
    suffix: 'ServerInterceptor',
    /** A grpc-js ServerInterceptor: `(methodDescriptor, call) => ServerInterceptingCall`. */
    isShape: (made: unknown) => typeof made === 'function' && made.length === 2 && !('begin' in made),
  },
  servermiddlewares: {
    suffix: 'ServerMiddleware',
    /** A ServerMiddleware: `{ unary?, stream? }`, each wrapping a handler. */
    isShape: (made: unknown) =>
      typeof made === 'object' &&
      made !== null &&
      Object.entries(made).every(([key, value]) => ['unary', 'stream'].includes(key) && typeof value === 'function'),
  },
  clientinterceptors: {
    suffix: 'ClientInterceptor',
    /** A ClientInterceptor: a grpc-js Interceptor `(options, nextCall)` carrying the `begin` hook. */
    isShape: (made: unknown) =>
      typeof made === 'function' && made.length === 2 && typeof (made as { begin?: unknown }).begin === 'function',
  },
} as const;

/** Arguments to build each factory that needs some. */
const ARGS: Record<string, unknown[]> = {
  timeoutServerMiddleware: [100],
  sheddingServerMiddleware: [{ shedder: { allow: () => ({ admitted: true, admission: { pass() {}, fail() {} } }) } }],
  breakerClientInterceptor: [new Breakers(), 'target'],
  timeoutClientInterceptor: [100],
};

describe('rpc middleware folders', () => {
  for (const [folder, rule] of Object.entries(FOLDERS)) {
    it(`${folder}/: every file exports its factories as *${rule.suffix}, each building that one shape`, async () => {
      const files = readdirSync(new URL(`./${folder}/`, import.meta.url)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'));
      assert.ok(files.length >= 3, folder);
      for (const file of files) {
        const module = (await import(`./${folder}/${file}`)) as Record<string, unknown>;
        const factories = Object.entries(module).filter(([, value]) => typeof value === 'function');
        assert.ok(factories.length >= 1, `${folder}/${file} exports a factory`);
        for (const [name, factory] of factories) {
          assert.ok(name.endsWith(rule.suffix), `${folder}/${file}: ${name} ends with ${rule.suffix}`);
          const made = (factory as (...args: unknown[]) => unknown)(...(ARGS[name] ?? []));
          assert.ok(rule.isShape(made), `${folder}/${file}: ${name}() has the folder's shape`);
        }
      }
    });
  }

  it('the old names stay exported, as the same functions', async () => {
    const rpc = await import('./index.ts');
    assert.equal(rpc.recoverMiddleware, rpc.recoverServerMiddleware);
    assert.equal(rpc.sheddingMiddleware, rpc.sheddingServerMiddleware);
    assert.equal(rpc.timeoutMiddleware, rpc.timeoutServerMiddleware);
  });
});
