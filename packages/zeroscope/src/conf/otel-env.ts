import { isPlainObject } from './expand-env.ts';

/**
 * Fills the `Telemetry` block from the standard OpenTelemetry environment variables, only where the
 * file leaves a key out (the file wins). Returns the new document and, for each key it filled, the
 * variable it came from, so a bad value can be reported as such.
 */
export function applyOtelEnv(
  doc: Record<string, unknown>,
  env: NodeJS.ProcessEnv,
  options: { createBlock: boolean },
): { doc: Record<string, unknown>; sources: Map<string, string> } {
  const sources = new Map<string, string>();
  const existing = doc.Telemetry;
  if (existing !== undefined && !isPlainObject(existing)) return { doc, sources }; // validation reports it
  const tel: Record<string, unknown> = { ...(existing ?? {}) };
  const fill = (key: string, value: unknown, from: string): void => {
    if (tel[key] !== undefined || value === undefined) return;
    tel[key] = value;
    sources.set(`Telemetry.${key}`, from);
  };

  fill('Name', nonEmpty(env.OTEL_SERVICE_NAME), 'OTEL_SERVICE_NAME');

  const exporter = nonEmpty(env.OTEL_TRACES_EXPORTER)?.split(',')[0]?.trim().toLowerCase();
  const protocol = nonEmpty(env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL);
  if (exporter === 'zipkin') fill('Batcher', 'zipkin', 'OTEL_TRACES_EXPORTER');
  else if (exporter === 'otlp') fill('Batcher', protocol === 'grpc' ? 'otlpgrpc' : 'otlphttp', 'OTEL_TRACES_EXPORTER');

  // The OTLP endpoint/header variables mean nothing to zipkin or file (default Batcher is otlphttp).
  const otlp = tel.Batcher === undefined || ['otlphttp', 'otlpgrpc', 'jaeger'].includes(String(tel.Batcher));
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
  }

  const headerVar = env.OTEL_EXPORTER_OTLP_TRACES_HEADERS ? 'OTEL_EXPORTER_OTLP_TRACES_HEADERS' : 'OTEL_EXPORTER_OTLP_HEADERS';
  const envHeaders = parseHeaders(env[headerVar]);
  if (otlp && Object.keys(envHeaders).length > 0) {
    const fileHeaders = tel.OtlpHeaders;
    if (fileHeaders === undefined) {
      tel.OtlpHeaders = envHeaders;
      sources.set('Telemetry.OtlpHeaders', headerVar);
    } else if (isPlainObject(fileHeaders)) {
      tel.OtlpHeaders = { ...envHeaders, ...fileHeaders }; // per header, the file wins
    }
  }

  const ratio = nonEmpty(env.OTEL_TRACES_SAMPLER_ARG);
  if (ratio !== undefined) {
    const n = Number(ratio);
    fill('Sampler', Number.isFinite(n) ? n : ratio, 'OTEL_TRACES_SAMPLER_ARG');
  }

  if (nonEmpty(env.OTEL_SDK_DISABLED)?.toLowerCase() === 'true') fill('Disabled', true, 'OTEL_SDK_DISABLED');
  else if (exporter === 'none') fill('Disabled', true, 'OTEL_TRACES_EXPORTER');

  if (existing === undefined && (sources.size === 0 || !options.createBlock)) return { doc, sources: new Map() };
  return { doc: { ...doc, Telemetry: tel }, sources };
}

/** `k=v,k2=v2` with url-encoded keys and values (the OTel spec's format for *_HEADERS). */
export function parseHeaders(raw: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!raw) return out;
  for (const pair of raw.split(',')) {
    const eq = pair.indexOf('=');
    if (eq <= 0) continue; // the spec says to skip malformed entries
    const key = safeDecode(pair.slice(0, eq).trim());
    const value = safeDecode(pair.slice(eq + 1).trim());
    if (key) out[key] = value;
  }
  return out;
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
