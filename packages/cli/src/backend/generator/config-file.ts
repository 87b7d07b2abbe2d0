/**
 * The generator's options from a YAML file in the shape of Tempo's `metrics_generator.processor`
 * block, with Tempo's key names, so a Tempo configuration's processor settings can be copied over:
 *
 *   service_graphs:
 *     enable_virtual_node_label: true
 *     dimensions: [deployment.environment]
 *   span_metrics:
 *     enable_target_info: true
 *     intrinsic_dimensions: { status_message: true }
 *
 * Unknown keys and wrong types are errors naming the file and the key path.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parseGoDuration } from '../api/index.ts';
import type { GeneratorOptions, IntrinsicDimensions } from './config.ts';
import { GeneratorConfigError } from './errors.ts';

type Kind = 'duration' | 'count' | 'buckets' | 'strings' | 'bool' | 'intrinsic';
type Field = [key: string, kind: Kind, option: keyof GeneratorOptions];

const SECTIONS: Record<string, Field[]> = {
  service_graphs: [
    ['wait', 'duration', 'waitMs'],
    ['max_items', 'count', 'maxItems'],
    ['histogram_buckets', 'buckets', 'serviceGraphBuckets'],
    ['dimensions', 'strings', 'serviceGraphDimensions'],
    ['enable_client_server_prefix', 'bool', 'enableClientServerPrefix'],
    ['enable_virtual_node_label', 'bool', 'enableVirtualNodeLabel'],
    ['enable_messaging_system_latency_histogram', 'bool', 'enableMessagingSystemLatencyHistogram'],
    ['peer_attributes', 'strings', 'peerAttributes'],
    ['database_name_attributes', 'strings', 'databaseNameAttributes'],
  ],
  span_metrics: [
    ['histogram_buckets', 'buckets', 'spanMetricsBuckets'],
    ['intrinsic_dimensions', 'intrinsic', 'intrinsicDimensions'],
    ['dimensions', 'strings', 'spanMetricsDimensions'],
    ['enable_target_info', 'bool', 'enableTargetInfo'],
    ['target_info_excluded_dimensions', 'strings', 'targetInfoExcludedDimensions'],
    ['enable_instance_label', 'bool', 'enableInstanceLabel'],
  ],
};
const INTRINSIC = ['service', 'span_name', 'span_kind', 'status_code', 'status_message'] as const;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads and checks `file`. */
export function loadGeneratorConfig(file: string): GeneratorOptions {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new GeneratorConfigError(`${file}: cannot read (${(err as Error).message})`, { cause: err });
  }
  let doc: unknown;
  try {
    doc = parse(text) ?? {};
  } catch (err) {
    throw new GeneratorConfigError(`${file}: invalid YAML: ${(err as Error).message.split('\n')[0]}`, { cause: err });
  }
  return generatorOptionsFrom(doc, file);
}

/** Checks an already parsed document (see {@link loadGeneratorConfig}). */
export function generatorOptionsFrom(doc: unknown, file: string): GeneratorOptions {
  const fail = (path: string, problem: string): never => {
    throw new GeneratorConfigError(`${file}: ${path}: ${problem}`);
  };
  if (!isObject(doc)) return fail('(root)', 'expected a mapping with service_graphs and/or span_metrics');
  const options: Record<string, unknown> = {};
  for (const [sectionName, section] of Object.entries(doc)) {
    const fields = SECTIONS[sectionName];
    if (!fields) fail(sectionName, `unknown key (expected one of ${Object.keys(SECTIONS).join(', ')})`);
    if (!isObject(section)) fail(sectionName, 'expected a mapping');
    for (const [key, value] of Object.entries(section as Record<string, unknown>)) {
      const path = `${sectionName}.${key}`;
      const field = fields!.find(([name]) => name === key);
      if (!field) fail(path, `unknown key (expected one of ${fields!.map(([name]) => name).join(', ')})`);
      options[field![2]] = read(field![1], value, path, fail);
    }
  }
  return options as GeneratorOptions;
}

function read(kind: Kind, value: unknown, path: string, fail: (path: string, problem: string) => never): unknown {
  switch (kind) {
    case 'duration': {
      if (typeof value !== 'string') return fail(path, `expected a duration such as 10s, got ${JSON.stringify(value)}`);
      try {
        return parseGoDuration(value) / 1e6;
      } catch {
        return fail(path, `expected a duration such as 10s, got ${JSON.stringify(value)}`);
      }
    }
    case 'count':
      if (!Number.isInteger(value) || (value as number) < 1) return fail(path, `expected a positive integer, got ${JSON.stringify(value)}`);
      return value;
    case 'buckets': {
      const ok = Array.isArray(value) && value.length > 0 && value.every((v, i) => typeof v === 'number' && v > 0 && (i === 0 || v > (value[i - 1] as number)));
      if (!ok) return fail(path, `expected a list of increasing positive numbers (seconds), got ${JSON.stringify(value)}`);
      return value;
    }
    case 'strings':
      if (!Array.isArray(value) || !value.every((v) => typeof v === 'string' && v !== '')) return fail(path, `expected a list of attribute names, got ${JSON.stringify(value)}`);
      return value;
    case 'bool':
      if (typeof value !== 'boolean') return fail(path, `expected true or false, got ${JSON.stringify(value)}`);
      return value;
    case 'intrinsic': {
      if (!isObject(value)) return fail(path, 'expected a mapping of dimension: true|false');
      const out: IntrinsicDimensions = {};
      for (const [dim, on] of Object.entries(value)) {
        if (!(INTRINSIC as readonly string[]).includes(dim)) fail(`${path}.${dim}`, `unknown intrinsic dimension (expected one of ${INTRINSIC.join(', ')})`);
        if (typeof on !== 'boolean') fail(`${path}.${dim}`, `expected true or false, got ${JSON.stringify(on)}`);
        out[dim as keyof IntrinsicDimensions] = on as boolean;
      }
      return out;
    }
  }
}
