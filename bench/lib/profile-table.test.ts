// The profile table's arithmetic on a hand-made .cpuprofile: which frame a sample's time goes to,
// the load windows, and the scaling to /proc CPU.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { classifyFrame, perRequestByCategory, type LoadWindow } from './profile-table.ts';

const NM = '/app/node_modules';

test('frames name their categories; generic internals and built-ins name none', () => {
  assert.equal(classifyFrame('startSpan', `file://${NM}/@opentelemetry/sdk-trace/build/src/Tracer.js`), 'SDK span');
  assert.equal(classifyFrame('onEnd', `file://${NM}/@opentelemetry/sdk-trace/build/src/export/BatchSpanProcessorBase.js`), 'processor/queue');
  assert.equal(classifyFrame('serialize', `file://${NM}/@opentelemetry/otlp-transformer/build/src/trace/protobuf/trace.js`), 'OTLP encode');
  assert.equal(classifyFrame('send', `file://${NM}/@opentelemetry/otlp-exporter-base/build/src/transport/http-exporter-transport.js`), 'HTTP send');
  assert.equal(classifyFrame('run', 'node:internal/async_local_storage/async_hooks'), 'context manager');
  assert.equal(classifyFrame('with', `file://${NM}/@opentelemetry/context-async-hooks/build/src/AsyncLocalStorageContextManager.js`), 'context manager');
  assert.equal(classifyFrame('sanitizeAttributes', `file://${NM}/@opentelemetry/core/build/src/common/attributes.js`), 'attributes');
  assert.equal(classifyFrame('inject', `file://${NM}/@opentelemetry/core/build/src/trace/W3CTraceContextPropagator.js`), 'propagation (W3C inject/extract)');
  assert.equal(classifyFrame('trace', `file://${NM}/zeroscope/dist/rest/handlers/tracing.js`), 'tracing middlewares (zeroscope)');
  assert.equal(classifyFrame('accessLog', `file://${NM}/zeroscope/dist/rest/handlers/access-log.js`), 'framework middlewares');
  assert.equal(classifyFrame('sendMessage', `file://${NM}/@grpc/grpc-js/build/src/call-interface.js`), 'grpc-js (and http2)');
  assert.equal(classifyFrame('end', 'node:_http_outgoing'), 'node:http (and net, streams)');
  assert.equal(classifyFrame('(garbage collector)', ''), 'GC');
  assert.equal(classifyFrame('processTicksAndRejections', 'node:internal/process/task_queues'), undefined);
  assert.equal(classifyFrame('stringify', ''), undefined);
});

test('per request: time in the windows only, inherited by unnamed frames, scaled to /proc CPU', () => {
  const dir = mkdtempSync(join(tmpdir(), 'profile-table-'));
  try {
    const frame = (id: number, functionName: string, url: string, children: number[] = []) => ({ id, callFrame: { functionName, url }, children });
    // (root) → handler (app) → JSON.stringify (built-in, inherits "app and logging")
    //        → exporter send (HTTP send) → _http_client write (node:http under the exporter: HTTP send)
    //        → (idle)
    const nodes = [
      frame(1, '(root)', '', [2, 4, 6]),
      frame(2, 'handler', 'file:///app/examples/order-api/order.js', [3]),
      frame(3, 'stringify', ''),
      frame(4, 'send', `file://${NM}/@opentelemetry/otlp-exporter-base/build/src/transport/http-exporter-transport.js`, [5]),
      frame(5, 'write', 'node:_http_client'),
      frame(6, '(idle)', ''),
    ];
    // Samples 1 ms apart from t = 1000 ms: four before the window (start-up), then in the window
    // two in stringify, one in the exporter's write, one idle, and one after the window.
    const samples = [2, 2, 2, 2, 3, 3, 5, 6, 2];
    const startTime = 1_000_000;
    writeFileSync(join(mkdir(dir, 'chain-S-order'), 'CPU.20261205.000000.4242.0.001.cpuprofile'), JSON.stringify({ nodes, startTime, samples, timeDeltas: samples.map(() => 1000) }));
    const window: LoadWindow = {
      variant: 'S',
      pids: [4242, 4343],
      fromUs: startTime + 4500,
      toUs: startTime + 8500,
      requests: 10,
      // 3,000 µs of main-thread CPU for the three running samples; 600 µs on other threads.
      mainCpuUs: [3000, 0],
      allCpuUs: [3600, 0],
    };
    const table = perRequestByCategory(dir, 'S', [window]);
    assert.ok(table);
    assert.equal(table.get('app and logging'), 200); // 2/3 of 3,000 µs over 10 requests
    assert.equal(table.get('HTTP send'), 100);
    assert.equal(table.get('node:http (and net, streams)'), undefined);
    assert.equal(table.get('other threads (GC helpers, I/O pool, profiler)'), 60);
    assert.equal(perRequestByCategory(dir, 'A', [window]), undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

function mkdir(parent: string, name: string): string {
  const path = join(parent, name);
  mkdirSync(path, { recursive: true });
  return path;
}
