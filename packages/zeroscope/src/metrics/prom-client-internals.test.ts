import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Counter, Registry } from 'prom-client';
import { OPENMETRICS_CONTENT_TYPE, PROMETHEUS_CONTENT_TYPE, renderInFormat } from './prom-client-internals.ts';

/**
 * What prom-client-internals.ts assumes of prom-client beyond its types. Each test states one
 * assumption on the installed version; a failure here after an upgrade names what changed.
 */
describe('prom-client internals the metrics package relies on', () => {
  const registryWithCounter = () => {
    const registry = new Registry();
    const counter = new Counter({ name: 'jobs_total', help: 'jobs', registers: [registry] });
    counter.inc();
    return { registry, counter };
  };

  it("the content types written out are prom-client's own", () => {
    assert.equal(PROMETHEUS_CONTENT_TYPE, Registry.PROMETHEUS_CONTENT_TYPE);
    assert.equal(OPENMETRICS_CONTENT_TYPE, Registry.OPENMETRICS_CONTENT_TYPE);
  });

  it('a registry switches its format at run time, and reads it back from contentType', () => {
    const registry = new Registry() as unknown as { contentType: string; setContentType(type: string): void };
    assert.equal(registry.contentType, PROMETHEUS_CONTENT_TYPE);
    registry.setContentType(OPENMETRICS_CONTENT_TYPE);
    assert.equal(registry.contentType, OPENMETRICS_CONTENT_TYPE);
    registry.setContentType(PROMETHEUS_CONTENT_TYPE);
    assert.equal(registry.contentType, PROMETHEUS_CONTENT_TYPE);
  });

  it('an OpenMetrics render renames a counter in place (the change renderInFormat undoes)', async () => {
    const { registry, counter } = registryWithCounter();
    (registry as unknown as { setContentType(type: string): void }).setContentType(OPENMETRICS_CONTENT_TYPE);
    await registry.metrics();
    assert.equal((counter as unknown as { name: string }).name, 'jobs', 'prom-client no longer renames counters in place: renderInFormat need not restore names');
  });

  it("a metric's name is a writable field the text renderer reads", async () => {
    const { registry, counter } = registryWithCounter();
    (counter as unknown as { name: string }).name = 'renamed_total';
    assert.match(await registry.metrics(), /^renamed_total 1$/m);
  });

  it('renderInFormat renders each format and leaves the registry as it found it', async () => {
    const { registry, counter } = registryWithCounter();
    const open = await renderInFormat(registry, true);
    assert.match(open, /^# TYPE jobs counter$/m);
    assert.match(open, /^jobs_total 1$/m);
    assert.match(open, /# EOF\n$/);
    assert.equal((counter as unknown as { name: string }).name, 'jobs_total');
    assert.equal(registry.contentType, PROMETHEUS_CONTENT_TYPE);
    const text = await renderInFormat(registry, false);
    assert.match(text, /^# TYPE jobs_total counter$/m);
    assert.match(text, /^jobs_total 1$/m);
    assert.doesNotMatch(text, /# EOF/);
  });
});
