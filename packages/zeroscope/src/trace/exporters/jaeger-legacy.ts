import { endpointUrl } from '../endpoint.ts';

/** Jaeger's pre-OTLP ports: collector Thrift/HTTP, collector model gRPC, agent UDP. */
const LEGACY_PORTS: Record<string, string> = {
  '14268': 'the legacy Thrift collector',
  '14250': 'the legacy model.proto gRPC collector',
  '6831': 'the legacy agent (UDP)',
  '6832': 'the legacy agent (UDP)',
};

/**
 * Why `Endpoint` cannot take `Batcher: jaeger`'s OTLP/HTTP (a legacy Jaeger collector URL or agent
 * port), with the OTLP address to use instead; undefined when it can. Shared by the config schema
 * (so a service refuses it at start, naming the key) and the exporter (for hand-built configs).
 * A malformed Endpoint is left to `endpointUrl`'s own error.
 */
export function legacyJaegerEndpoint(conf: { Endpoint: string; OtlpHttpPath: string; OtlpHttpSecure: boolean }): string | undefined {
  let url: URL;
  try {
    url = endpointUrl(conf.Endpoint, { defaultPath: conf.OtlpHttpPath, secure: conf.OtlpHttpSecure, batcher: 'jaeger' });
  } catch {
    return undefined;
  }
  const legacy = url.pathname.replace(/\/+$/, '').endsWith('/api/traces') ? 'the legacy Thrift collector path /api/traces' : LEGACY_PORTS[url.port];
  if (!legacy) return undefined;
  return `"${conf.Endpoint}" is ${legacy}; Batcher jaeger sends OTLP/HTTP, so point Endpoint at Jaeger's OTLP receiver (e.g. ${url.hostname}:4318)`;
}
