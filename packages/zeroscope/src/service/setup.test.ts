import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { agentStatus, shutdownAgent, TelemetrySchema, TraceError, tracer } from '../trace/index.ts';
import { setUp } from './index.ts';

// node --test runs each file in its own process, so this file owns the process-wide agent.
describe('setUp', () => {
  it('starts nothing without a Telemetry block; refuses a bad one (no untraced start); then starts once', async () => {
    setUp({ Name: 'plain', Mode: 'pro' });
    assert.equal(agentStatus(), 'idle');

    // The schema refuses this too; a hand-built config reaches the agent, which must refuse it loudly.
    const legacy = { ...TelemetrySchema.parse({ Batcher: 'jaeger' }), Endpoint: 'http://jaeger:14268/api/traces' };
    assert.throws(
      () => setUp({ Name: 'order', Mode: 'pro', Telemetry: legacy }),
      (e: unknown) => e instanceof TraceError && e.code === 'TRACE_ERR_BAD_ENDPOINT' && /14268.*jaeger:4318/.test(e.message),
    );
    assert.equal(agentStatus(), 'idle');

    const dir = mkdtempSync(join(tmpdir(), 'zeroscope-setup-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'spans.jsonl');
    setUp({ Name: 'order', Mode: 'dev', Telemetry: TelemetrySchema.parse({ Batcher: 'file', Endpoint: file }) });
    assert.equal(agentStatus(), 'running');
    setUp({ Name: 'user', Mode: 'dev', Telemetry: TelemetrySchema.parse({ Batcher: 'file', Endpoint: join(dir, 'other.jsonl') }) });

    tracer().startSpan('after-setup').end();
    await shutdownAgent();
    const request = JSON.parse(readFileSync(file, 'utf8').trim()) as {
      resourceSpans: { resource: { attributes: { key: string; value: { stringValue?: string } }[] }; scopeSpans: { scope: { name: string; version: string }; spans: { name: string }[] }[] }[];
    };
    const rs = request.resourceSpans[0];
    const attr = (k: string) => rs?.resource.attributes.find((a) => a.key === k)?.value.stringValue;
    assert.equal(attr('service.name'), 'order', 'Telemetry.Name defaults to the service Name; the second set-up changed nothing');
    assert.equal(attr('deployment.environment.name'), 'dev');
    assert.equal(attr('telemetry.sdk.language'), 'nodejs');
    assert.equal(rs?.scopeSpans[0]?.scope.name, 'zeroscope');
    assert.deepEqual(rs?.scopeSpans[0]?.spans.map((s) => s.name), ['after-setup']);
  });
});
