/**
 * The seed's services through their lifecycle: SIGTERM right after a burst of requests loses no
 * span, and a bad config stops a service at start with the file, the key and what was expected.
 */
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ORDER_ENTRY, USER_ENTRY, removeTempDirs, runToExit, startCollector, startSeedSystem, writeConfig } from './harness.ts';

after(removeTempDirs);

describe('seed services: shutdown and bad config', () => {
  test('SIGTERM right after N requests: all 3N spans reach the receiver, both exit 0', async () => {
    const collector = await startCollector();
    try {
      const { user, order, orderUrl } = await startSeedSystem(collector.endpoint);
      const N = 40;
      const statuses = await Promise.all(
        Array.from({ length: N }, (_, i) => fetch(`${orderUrl}/api/order/${(i % 3) + 1}`).then(async (r) => (await r.arrayBuffer(), r.status))),
      );
      assert.deepEqual(new Set(statuses), new Set([200]));
      // No waiting for the batch timer: the stop itself must flush what is queued.
      const [orderCode, userCode] = await Promise.all([order.stop('SIGTERM'), user.stop('SIGTERM')]);
      assert.equal(orderCode, 0, order.output());
      assert.equal(userCode, 0, user.output());
      const spans = collector.spans();
      assert.equal(spans.length, 3 * N, `got ${spans.length} spans of ${3 * N}`);
      assert.equal(new Set(spans.map((s) => s.traceId)).size, N, 'one trace per request');
    } finally {
      await collector.close();
    }
  });

  const badConfigs: Array<{ name: string; entry: string; yaml: string; expect: RegExp[] }> = [
    {
      name: 'wrong type',
      entry: ORDER_ENTRY,
      yaml: 'Name: order\nPort: eighty\nUserRpc:\n  Endpoints: [127.0.0.1:1]\n',
      expect: [/order\.yaml/, /Port/, /expected/i],
    },
    {
      name: 'unknown Batcher',
      entry: USER_ENTRY,
      yaml: 'Name: user.rpc\nListenOn: 127.0.0.1:0\nTelemetry:\n  Endpoint: 127.0.0.1:4318\n  Batcher: kafka\n',
      expect: [/user\.yaml/, /Telemetry\.Batcher/, /otlphttp/, /kafka/],
    },
    {
      name: 'missing Port',
      entry: ORDER_ENTRY,
      yaml: 'Name: order\nHost: 127.0.0.1\nUserRpc:\n  Endpoints: [127.0.0.1:1]\n',
      expect: [/order\.yaml/, /Port: required/],
    },
    {
      name: 'unknown key',
      entry: USER_ENTRY,
      yaml: 'Name: user.rpc\nListenOn: 127.0.0.1:0\nTelemetri:\n  Name: user\n',
      expect: [/user\.yaml/, /Telemetri: unknown key/],
    },
  ];
  for (const bad of badConfigs) {
    test(`a bad config (${bad.name}) stops the service at start with file, key and expectation`, async () => {
      const file = writeConfig(bad.entry === ORDER_ENTRY ? 'order.yaml' : 'user.yaml', bad.yaml);
      const { code, output } = await runToExit(bad.entry, file);
      assert.equal(code, 1);
      assert.doesNotMatch(output, /\n\s+at /, "no stack trace");
      for (const pattern of bad.expect) assert.match(output, pattern);
    });
  }
});
