import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { trace } from '@opentelemetry/api';
import { createTracerProvider } from '../agent.ts';
import { TelemetrySchema } from '../config.ts';
import { tracer } from '../tracer.ts';
import { installTestTracer } from './index.ts';

describe('installTestTracer', () => {
  it('captures spans even when another provider was registered first (e.g. by a server set-up)', async () => {
    const other = createTracerProvider({ ...TelemetrySchema.parse({}), Name: 'agent' });
    assert.equal(trace.setGlobalTracerProvider(other), true);
    const tracing = installTestTracer('svc');
    try {
      tracer().startSpan('captured').end();
      assert.deepEqual(tracing.spans().map((s) => s.name), ['captured']);
      assert.equal(tracing.spans()[0]?.resource.attributes['service.name'], 'svc');
    } finally {
      await tracing.shutdown();
      await other.shutdown();
    }
  });
});
