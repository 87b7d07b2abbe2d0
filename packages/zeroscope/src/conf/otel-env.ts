import type { ConfigIssue } from './errors.ts';
import { isPlainObject } from './expand-env.ts';

/** The result of {@link applyOtelEnv}. */
export interface OtelEnvResult {
  doc: Record<string, unknown>;
  /** For each `Telemetry.*` key filled, the variable it came from (named in validation errors). */
  sources: Map<string, string>;
  /** Variables whose value means nothing to the specification (reported with the schema's issues). */
  problems: ConfigIssue[];
}

/** `OTEL_TRACES_SAMPLER` values: ParentBased or not, and the root's ratio (undefined: from `_ARG`). */
const SAMPLERS: Record<string, { parentBased: boolean; ratio?: number }> = {
  always_on: { parentBased: false, ratio: 1 },
  always_off: { parentBased: false, ratio: 0 },
  traceidratio: { parentBased: false },
  parentbased_always_on: { parentBased: true, ratio: 1 },
  parentbased_always_off: { parentBased: true, ratio: 0 },
  parentbased_traceidratio: { parentBased: true },
};

const EXPORTERS = ['otlp', 'zipkin', 'console', 'none'];
const PROTOCOLS: Record<string, { batcher: string; encoding?: string }> = {
  grpc: { batcher: 'otlpgrpc' },
  'http/protobuf': { batcher: 'otlphttp', encoding: 'protobuf' },
  'http/json': { batcher: 'otlphttp', encoding: 'json' },
};
const OTLP_BATCHERS = ['otlphttp', 'otlpgrpc', 'jaeger'];

/**
 * The specification's default destinations, used when `OTEL_TRACES_EXPORTER` names an exporter and
 * nothing gives an endpoint (without that variable, go-zero's rule stands: no Endpoint, no export).
 */
const DEFAULT_ENDPOINTS: Record<string, string> = {
  otlphttp: 'http://localhost:4318',
  otlpgrpc: 'http://localhost:4317',
  zipkin: 'http://localhost:9411/api/v2/spans',
};

/**
 * Fills the `Telemetry` block from the standard OpenTelemetry environment variables (the SDK
 * configuration of the specification, trace signal), only where the file leaves a key out: the
 * file wins. Per-signal `OTEL_EXPORTER_OTLP_TRACES_*` variables win over the generic ones.
 * Returns the new document, for each key it filled the variable it came from, and the variables
 * whose value is not one the specification defines.
 */
export function applyOtelEnv(doc: Record<string, unknown>, env: NodeJS.ProcessEnv, options: { createBlock: boolean }): OtelEnvResult {
  const sources = new Map<string, string>();
  const problems: ConfigIssue[] = [];
  const existing = doc.Telemetry;
  if (existing !== undefined && !isPlainObject(existing)) return { doc, sources, problems }; // validation reports it
  const tel: Record<string, unknown> = { ...(existing ?? {}) };
  const fill = (key: string, value: unknown, from: string): void => {
    if (tel[key] !== undefined || value === undefined) return;
    tel[key] = value;
    sources.set(`Telemetry.${key}`, from);
  };
  const problem = (key: string, variable: string, text: string): void => {
    problems.push({ path: `Telemetry.${key}`, problem: `${text} (from ${variable})` });
  };
  /** The per-signal variable when set, else the generic one: [value, name]. */
  const otlpVar = (suffix: string): [string | undefined, string] => {
    const signal = `OTEL_EXPORTER_OTLP_TRACES_${suffix}`;
    const generic = `OTEL_EXPORTER_OTLP_${suffix}`;
    const v = nonEmpty(env[signal]);
    return v !== undefined ? [v, signal] : [nonEmpty(env[generic]), generic];
  };

  // Resource: OTEL_SERVICE_NAME wins over a service.name inside OTEL_RESOURCE_ATTRIBUTES.
  const resource = parseKeyValueList(env.OTEL_RESOURCE_ATTRIBUTES);
  fill('Name', nonEmpty(env.OTEL_SERVICE_NAME) ?? nonEmpty(resource['service.name']), env.OTEL_SERVICE_NAME?.trim() ? 'OTEL_SERVICE_NAME' : 'OTEL_RESOURCE_ATTRIBUTES');
  delete resource['service.name'];
  mergeMap(tel, 'ResourceAttributes', resource, 'OTEL_RESOURCE_ATTRIBUTES', sources);

  // Exporter and protocol pick the Batcher.
  const exporters = listOf(env.OTEL_TRACES_EXPORTER);
  const exporter = exporters[0];
  if (exporters.length > 1) problem('Batcher', 'OTEL_TRACES_EXPORTER', `expected one exporter, got ${JSON.stringify(exporters.join(','))}`);
  else if (exporter !== undefined && !EXPORTERS.includes(exporter)) problem('Batcher', 'OTEL_TRACES_EXPORTER', `expected one of ${EXPORTERS.join('|')}, got ${JSON.stringify(exporter)}`);
  const [protocolRaw, protocolVar] = otlpVar('PROTOCOL');
  const protocol = protocolRaw === undefined ? undefined : PROTOCOLS[protocolRaw];
  if (protocolRaw !== undefined && protocol === undefined) {
    problem('Batcher', protocolVar, `expected one of ${Object.keys(PROTOCOLS).join('|')}, got ${JSON.stringify(protocolRaw)}`);
  }
  if (exporter === 'zipkin') fill('Batcher', 'zipkin', 'OTEL_TRACES_EXPORTER');
  else if (exporter === 'console') fill('Batcher', 'console', 'OTEL_TRACES_EXPORTER');
  else if (exporter === 'otlp' || (exporter === undefined && protocol)) {
    fill('Batcher', protocol?.batcher ?? 'otlphttp', exporter === 'otlp' && !protocol ? 'OTEL_TRACES_EXPORTER' : protocolVar);
  }
  if (exporter === undefined || exporter === 'otlp') fill('OtlpHttpEncoding', protocol?.encoding, protocolVar);

  // Where spans go. `none`: no exporter from the environment (spans are still made and propagated).
  const batcher = tel.Batcher === undefined ? 'otlphttp' : String(tel.Batcher);
  const otlp = OTLP_BATCHERS.includes(batcher);
  if (exporter !== 'none') {
    const tracesEndpoint = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT);
    const baseEndpoint = nonEmpty(env.OTEL_EXPORTER_OTLP_ENDPOINT);
    if (otlp && tracesEndpoint) {
      // The per-signal variable is the whole URL, used as is.
      fill('Endpoint', tracesEndpoint, 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
    } else if (otlp && baseEndpoint && tel.Endpoint === undefined) {
      // The generic variable is a base URL: the spec appends /v1/traces to its path for OTLP/HTTP.
      const split = splitBase(baseEndpoint);
      fill('Endpoint', split.origin, 'OTEL_EXPORTER_OTLP_ENDPOINT');
      if (split.basePath) fill('OtlpHttpPath', `${split.basePath}/v1/traces`, 'OTEL_EXPORTER_OTLP_ENDPOINT');
    } else if (batcher === 'zipkin') {
      fill('Endpoint', nonEmpty(env.OTEL_EXPORTER_ZIPKIN_ENDPOINT), 'OTEL_EXPORTER_ZIPKIN_ENDPOINT');
    }
    if (exporter !== undefined && sources.has('Telemetry.Batcher')) fill('Endpoint', DEFAULT_ENDPOINTS[batcher], `${sources.get('Telemetry.Batcher')} (the specification's default endpoint)`);
  }

  // The OTLP connection settings mean nothing to zipkin, file or console.
  if (otlp) {
    const [headersRaw, headerVar] = otlpVar('HEADERS');
    mergeMap(tel, 'OtlpHeaders', parseKeyValueList(headersRaw), headerVar, sources);
    const [compression, compressionVar] = otlpVar('COMPRESSION');
    fill('OtlpCompression', compression?.toLowerCase(), compressionVar);
    const [ca, caVar] = otlpVar('CERTIFICATE');
    fill('OtlpCaFile', ca, caVar);
    const [cert, certVar] = otlpVar('CLIENT_CERTIFICATE');
    fill('OtlpClientCertFile', cert, certVar);
    const [key, keyVar] = otlpVar('CLIENT_KEY');
    fill('OtlpClientKeyFile', key, keyVar);
  }

  // The sampler is one setting: a file that speaks of it (ratio or ParentBased) keeps all of it.
  if (tel.Sampler === undefined && tel.ParentBased === undefined) {
    const name = nonEmpty(env.OTEL_TRACES_SAMPLER)?.toLowerCase();
    const sampler = name === undefined ? undefined : SAMPLERS[name];
    if (name !== undefined && sampler === undefined) {
      problem('Sampler', 'OTEL_TRACES_SAMPLER', `expected one of ${Object.keys(SAMPLERS).join('|')}, got ${JSON.stringify(name)}`);
    }
    if (sampler) fill('ParentBased', sampler.parentBased, 'OTEL_TRACES_SAMPLER');
    if (sampler?.ratio !== undefined) {
      fill('Sampler', sampler.ratio, 'OTEL_TRACES_SAMPLER');
    } else if (name === undefined || sampler !== undefined) {
      // A ratio sampler, or none named: zeroscope's default is parentbased_traceidratio (ratio 1).
      const arg = nonEmpty(env.OTEL_TRACES_SAMPLER_ARG);
      if (arg !== undefined) fill('Sampler', Number.isFinite(Number(arg)) ? Number(arg) : arg, 'OTEL_TRACES_SAMPLER_ARG');
    }
  }

  const propagators = listOf(env.OTEL_PROPAGATORS);
  if (propagators.length > 0) fill('Propagators', [...new Set(propagators)], 'OTEL_PROPAGATORS');

  if (nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true') fill('Disabled', true, 'OTEL_SDK_DISABLED');

  if (existing === undefined && ((sources.size === 0 && problems.length === 0) || !options.createBlock)) {
    return { doc, sources: new Map(), problems: [] };
  }
  return { doc: { ...doc, Telemetry: tel }, sources, problems };
}

/**
 * `k=v,k2=v2` with url-encoded keys and values: the spec's format for `*_HEADERS` and
 * `OTEL_RESOURCE_ATTRIBUTES`. Malformed entries are skipped, as the spec says.
 */
export function parseKeyValueList(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue;
    const key = safeDecode(pair.slice(0, eq).trim());
    const value = safeDecode(pair.slice(eq + 1).trim());
    if (key) out[key] = value;
  }
  return out;
}

/** Merges `fromEnv` under the file's map at `key`: per entry, the file wins. */
function mergeMap(tel: Record<string, unknown>, key: string, fromEnv: Record<string, string>, variable: string, sources: Map<string, string>): void {
  if (Object.keys(fromEnv).length === 0) return;
  const fromFile = tel[key];
  if (fromFile === undefined) {
    tel[key] = fromEnv;
    sources.set(`Telemetry.${key}`, variable);
  } else if (isPlainObject(fromFile)) {
    tel[key] = { ...fromEnv, ...fromFile };
  }
}

/** A comma-separated list, trimmed, lower-cased, blanks dropped. */
function listOf(raw: string | undefined): string[] {
  return (raw ?? '')
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter((s) => s !== '');
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

function nonEmpty(v: string | undefined): string | undefined {
  const t = v?.trim();
  return t ? t : undefined;
}

function splitBase(endpoint: string): { origin: string; basePath: string } {
  try {
    const url = new URL(endpoint);
    return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
  } catch {
    return { origin: endpoint, basePath: '' };
  }
}
