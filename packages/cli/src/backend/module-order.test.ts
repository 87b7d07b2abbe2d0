import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ModuleOrderError, startOrder } from './module-order.ts';

describe('startOrder', () => {
  it('puts every module after its dependencies, keeping the map order between independent ones', () => {
    assert.deepEqual(startOrder({ api: ['store', 'cache'], store: [], cache: ['store'], receiver: ['api', 'store'] }), [
      'store',
      'cache',
      'api',
      'receiver',
    ]);
    assert.deepEqual(startOrder({ a: [], b: [], c: [] }), ['a', 'b', 'c']);
    assert.deepEqual(startOrder({}), []);
  });

  it('refuses a dependency on a module the map does not define, naming both', () => {
    assert.throws(
      () => startOrder({ store: [], api: ['store', 'stroe'] } as Record<string, string[]>),
      (err: unknown) =>
        err instanceof ModuleOrderError &&
        err.code === 'BACKEND_ERR_MODULE_ORDER' &&
        err.message === 'module "api" depends on "stroe", which is not a module (known: store, api)',
    );
  });

  it('refuses a cycle, showing it', () => {
    assert.throws(
      () => startOrder({ store: [], a: ['store', 'b'], b: ['c'], c: ['a'] }),
      (err: unknown) => err instanceof ModuleOrderError && err.message === 'modules depend on each other in a cycle: a → b → c → a',
    );
    assert.throws(() => startOrder({ self: ['self'] }), /cycle: self → self/);
  });
});
