import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Balancer, createPicker } from '../balancer/balancer.ts';
import { RpcClientConfSchema } from '../config.ts';
import type { EndpointSource, EndpointsListener } from '../endpoints.ts';
import { EndpointFeed } from './endpoint-feed.ts';
import * as grpc from '@grpc/grpc-js';

/** A source that, like etcd, has no list until `load()` is called. */
function lateSource() {
  let listener: EndpointsListener | undefined;
  let loaded!: () => void;
  const loadedPromise = new Promise<void>((resolve) => (loaded = resolve));
  const calls = { unsubscribed: 0, closed: 0 };
  const source: EndpointSource = {
    subscribe(l) {
      listener = l;
      l([]);
      return () => calls.unsubscribed++;
    },
    loaded: () => loadedPromise,
    close: () => void calls.closed++,
  };
  return { source, calls, load: (list: string[]) => (listener?.(list), loaded()) };
}

const conf = RpcClientConfSchema.parse({ Endpoints: ['127.0.0.1:1'], Timeout: 1000 });
const balancer = () => new Balancer((address) => new grpc.Client(address, grpc.credentials.createInsecure()), createPicker('p2c'));

describe('EndpointFeed: waiting for the first endpoint list', () => {
  test('a synchronous source (the config list) gives calls nothing to wait for', (t) => {
    const b = balancer();
    const feed = new EndpointFeed(b, conf, undefined);
    t.after(() => (feed.close(), b.close()));
    assert.equal(feed.forCall(undefined), undefined);
    assert.deepEqual(b.all().map((c) => c.address), ['127.0.0.1:1']);
  });

  test('calls before an asynchronous source has its list wait for it, then the list is in the balancer', async (t) => {
    const b = balancer();
    const late = lateSource();
    const feed = new EndpointFeed(b, conf, late.source);
    t.after(() => (feed.close(), b.close()));
    const waiting = feed.forCall(undefined);
    assert.ok(waiting instanceof Promise);
    late.load(['127.0.0.1:2']);
    await waiting;
    assert.deepEqual(b.all().map((c) => c.address), ['127.0.0.1:2']);
    assert.equal(feed.forCall(undefined), undefined, 'once loaded, no wait');
  });

  test('the wait ends at the call timeout even when the list never comes', async (t) => {
    const b = balancer();
    const feed = new EndpointFeed(b, conf, lateSource().source);
    t.after(() => (feed.close(), b.close()));
    // The feed's timer is unref'd (a wait must not hold a process open), and a source that never
    // loads holds nothing either; etcd's connection would. Stand in for it, or the loop ends first.
    const connection = setInterval(() => undefined, 1000);
    t.after(() => clearInterval(connection));
    const started = Date.now();
    await feed.forCall({ timeoutMs: 50 });
    assert.ok(Date.now() - started >= 45);
  });

  test('close stops following a given source but leaves closing it to its owner; later lists are ignored', (t) => {
    const b = balancer();
    const late = lateSource();
    const feed = new EndpointFeed(b, conf, late.source);
    t.after(() => b.close());
    feed.close();
    assert.deepEqual(late.calls, { unsubscribed: 1, closed: 0 });
    late.load(['127.0.0.1:3']);
    assert.deepEqual(b.all(), []);
  });
});
