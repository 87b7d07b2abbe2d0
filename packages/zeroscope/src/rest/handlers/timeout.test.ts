import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { REST_ERROR_CODES } from '../errors.ts';
import { startTestServer } from '../testing/test-server.ts';

describe('timeoutHandler', () => {
  test('answers 503 with a clear body past the deadline; the late outcome never reaches the client', async (t) => {
    let finishLate!: () => void;
    const late = new Promise<void>((resolve) => (finishLate = resolve));
    let handlerDone!: () => void;
    const done = new Promise<void>((resolve) => (handlerDone = resolve));
    const { url, errors } = await startTestServer(t, { Timeout: 30 }, (s) => {
      s.addRoute({
        method: 'GET',
        path: '/slow',
        handler: async () => {
          await late;
          handlerDone();
          throw new Error('too late to matter');
        },
      });
      s.addRoute({ method: 'GET', path: '/fast', handler: () => ({ fast: true }) });
    });
    const res = await fetch(`${url}/slow`);
    assert.equal(res.status, 503);
    assert.deepEqual(await res.json(), { code: REST_ERROR_CODES.TIMEOUT, message: 'request timed out after 30ms' });
    finishLate();
    await done;
    assert.deepEqual(await (await fetch(`${url}/fast`)).json(), { fast: true });
    // Recover (inside the deadline) still reports the late failure; nothing reaches the client.
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(errors.map((e) => (e as Error).message), ['too late to matter']);
  });

  test("a route's own timeout wins over the server's; 0 turns the deadline off", async (t) => {
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const { url } = await startTestServer(t, { Timeout: 0 }, (s) => {
      s.addRoute({ method: 'GET', path: '/tight', timeout: 20, handler: () => wait(2000).then(() => 'x') });
      s.addRoute({ method: 'GET', path: '/free', handler: () => wait(60).then(() => 'done') });
    });
    const tight = await fetch(`${url}/tight`);
    assert.equal(tight.status, 503);
    assert.equal((await tight.json()).message, 'request timed out after 20ms');
    const free = await fetch(`${url}/free`);
    assert.equal(free.status, 200);
    assert.equal(await free.json(), 'done');
  });
});
