import assert from 'node:assert/strict';
import { Agent as HttpAgent, createServer, get, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { after, describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { ExportResultCode, type ExportResult } from '@opentelemetry/core';
import { TelemetrySchema } from './config.ts';
import { createExporter } from './exporters/registry.ts';
import { watchAgentResponses } from './http-agent-hook.ts';
import { installTestTracer, startFaultyOtlpHttpReceiver } from './testing/index.ts';

/**
 * The adapter over Node's private `Agent.prototype.addRequest`: these fail when a Node upgrade stops
 * sending agent requests through it, or an exporter upgrade stops using the agent it is handed.
 */
describe('watchAgentResponses (Node private API: Agent.prototype.addRequest)', () => {
  it('http and https agents still have addRequest, and a request through the agent reports its response', async () => {
    assert.equal(typeof (HttpAgent.prototype as unknown as { addRequest?: unknown }).addRequest, 'function', 'node:http Agent.prototype.addRequest is gone');
    assert.equal(watchAgentResponses(new HttpsAgent(), () => {}), true, 'node:https agents can be watched');
    const server = createServer((_req, res) => res.writeHead(429, { 'retry-after': '7' }).end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    after(() => new Promise<void>((resolve) => server.close(() => resolve())));
    const agent = new HttpAgent({ keepAlive: true });
    after(() => agent.destroy());
    const seen: Array<[number | undefined, unknown]> = [];
    assert.equal(watchAgentResponses(agent, (res) => seen.push([res.statusCode, res.headers['retry-after']])), true);
    const port = (server.address() as { port: number }).port;
    for (let i = 0; i < 2; i++) {
      await new Promise<void>((resolve, reject) => get({ host: '127.0.0.1', port, agent }, (res: IncomingMessage) => res.resume().on('end', resolve)).on('error', reject));
    }
    assert.deepEqual(seen, [[429, '7'], [429, '7']], 'every response, a reused socket included');
  });

  for (const Pipeline of ['fast', 'sdk'] as const) {
    it(`the official OTLP/HTTP exporter (Pipeline ${Pipeline}) sends through the agent it is given: a long Retry-After reaches the gate`, async () => {
      const receiver = await startFaultyOtlpHttpReceiver({ kind: 'status', status: 503, headers: { 'retry-after': '30' } });
      after(() => receiver.close());
      const tracing = installTestTracer();
      after(() => tracing.shutdown());
      trace.getTracer('hook-test').startSpan('one').end();
      const conf = { ...TelemetrySchema.parse({ Batcher: 'otlphttp', Pipeline }), Name: 'hook', Endpoint: receiver.endpoint };
      const { exporter, gate } = createExporter(conf, { timeoutMs: 1500 });
      const result = await new Promise<ExportResult>((resolve) => exporter.export(tracing.spans(), resolve));
      await exporter.shutdown();
      assert.equal(result.code, ExportResultCode.FAILED);
      assert.ok(receiver.requests() >= 1, 'the export reached the receiver');
      const held = gate?.remaining() ?? 0;
      assert.ok(held > 25_000 && held <= 30_000, `the gate holds the next batches for the Retry-After (${held} ms)`);
    });
  }
});
