import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { upConfig } from '../../cli/up.ts';
import { GeneratorConfigError, createMetricsGenerator, loadGeneratorConfig } from './index.ts';

describe('generator config file (Tempo\'s processor keys)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zeroscope-generator-config-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => {
    const file = join(dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('reads every option under Tempo\'s names', () => {
    const file = write(
      'ok.yaml',
      [
        'service_graphs:',
        '  wait: 2s',
        '  max_items: 500',
        '  histogram_buckets: [0.05, 0.5, 5]',
        '  dimensions: [deployment.environment]',
        '  enable_client_server_prefix: true',
        '  enable_virtual_node_label: true',
        '  enable_messaging_system_latency_histogram: true',
        '  peer_attributes: [peer.service]',
        '  database_name_attributes: [db.name]',
        'span_metrics:',
        '  histogram_buckets: [0.01, 0.1, 1]',
        '  intrinsic_dimensions: { status_message: true }',
        '  dimensions: [http.route]',
        '  enable_target_info: true',
        '  target_info_excluded_dimensions: [host.id]',
        '  enable_instance_label: false',
        '',
      ].join('\n'),
    );
    assert.deepEqual(loadGeneratorConfig(file), {
      waitMs: 2000,
      maxItems: 500,
      serviceGraphBuckets: [0.05, 0.5, 5],
      serviceGraphDimensions: ['deployment.environment'],
      enableClientServerPrefix: true,
      enableVirtualNodeLabel: true,
      enableMessagingSystemLatencyHistogram: true,
      peerAttributes: ['peer.service'],
      databaseNameAttributes: ['db.name'],
      spanMetricsBuckets: [0.01, 0.1, 1],
      intrinsicDimensions: { status_message: true },
      spanMetricsDimensions: ['http.route'],
      enableTargetInfo: true,
      targetInfoExcludedDimensions: ['host.id'],
      enableInstanceLabel: false,
    });
  });

  const bad: Array<[string, string, RegExp]> = [
    ['unknown section', 'servicegraphs: {}\n', /: servicegraphs: unknown key \(expected one of service_graphs, span_metrics\)$/],
    ['unknown key', 'service_graphs:\n  enable_virtual_node: true\n', /: service_graphs\.enable_virtual_node: unknown key/],
    ['wrong type', 'span_metrics:\n  enable_target_info: yes please\n', /: span_metrics\.enable_target_info: expected true or false, got "yes please"$/],
    ['bad duration', 'service_graphs:\n  wait: soon\n', /: service_graphs\.wait: expected a duration such as 10s/],
    ['bad buckets', 'span_metrics:\n  histogram_buckets: [1, 0.5]\n', /: span_metrics\.histogram_buckets: expected a list of increasing positive numbers/],
    ['bad intrinsic', 'span_metrics:\n  intrinsic_dimensions: { trace_id: true }\n', /: span_metrics\.intrinsic_dimensions\.trace_id: unknown intrinsic dimension/],
  ];
  for (const [name, text, message] of bad) {
    it(`refuses ${name}, naming the file and key`, () => {
      const file = write(`${name.replace(/ /g, '-')}.yaml`, text);
      assert.throws(() => loadGeneratorConfig(file), (err: unknown) => err instanceof GeneratorConfigError && err.message.startsWith(file) && message.test(err.message));
    });
  }

  it('zeroscope up --generator-config: the options reach the generator; a bad file is a usage error', async () => {
    const file = write('up.yaml', 'service_graphs:\n  enable_virtual_node_label: true\nspan_metrics:\n  enable_target_info: true\n');
    const { config } = upConfig(['--generator-config', file], { env: {}, cwd: dir });
    assert.deepEqual(config.generator, { enableVirtualNodeLabel: true, enableTargetInfo: true });
    const generator = createMetricsGenerator({ ...config.generator, expireIntervalMs: 0 });
    generator.stop();
    assert.throws(() => upConfig(['--generator-config', write('x.yaml', 'span_metrics: 3\n')], { env: {}, cwd: dir }), /--generator-config: .*x\.yaml: span_metrics: expected a mapping/);
    assert.throws(() => upConfig([], { env: { ZEROSCOPE_GENERATOR_CONFIG: join(dir, 'missing.yaml') }, cwd: dir }), /ZEROSCOPE_GENERATOR_CONFIG: .*missing\.yaml: cannot read/);
  });
});
