import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REST_ERROR_CODES } from '../errors.ts';
import { startTestServer } from '../testing/test-server.ts';

describe('maxConnsHandler', () => {
  test('sheds requests past MaxConns with 503 and frees the slot when one finishes', async (t) => {
    let entered!: () => void;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const { url } = await startTestServer(t, { MaxConns: 1 }, (s) => {
      s.addRoute({
        method: 'GET',
        path: '/hold',
        handler: async () => {
          entered();
          await gate;
          return 'held';
        },
      });
      s.addRoute({ method: 'GET', path: '/quick', handler: () => 'quick' });
    });
    const held = fetch(`${url}/hold`);
    await inHandler;
    const shed = await fetch(`${url}/quick`);
    assert.equal(shed.status, 503);
    assert.deepEqual(await shed.json(), {
      code: REST_ERROR_CODES.OVERLOADED,
      message: 'server is busy: 1 requests already in flight',
    });
    release();
    assert.equal(await (await held).json(), 'held');
    assert.equal(await (await fetch(`${url}/quick`)).json(), 'quick');
  });

  test('MaxConns 0 means no limit', async (t) => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let entered = 0;
    const { url } = await startTestServer(t, { MaxConns: 0 }, (s) => {
      s.addRoute({
        method: 'GET',
        path: '/hold',
        handler: async () => {
          if (++entered === 3) release();
          await gate;
          return entered;
        },
      });
    });
    const statuses = await Promise.all([1, 2, 3].map(async () => (await fetch(`${url}/hold`)).status));
    assert.deepEqual(statuses, [200, 200, 200]);
  });
});
