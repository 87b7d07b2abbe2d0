import type * as Zipkin from '@opentelemetry/exporter-zipkin';
import { loadOnUse } from '../../internal/load-on-use.ts';
import { endpointUrl } from '../endpoint.ts';
import type { ExporterFactory } from './types.ts';

/** Zipkin's v2 span API path, used when `Endpoint` is `host:port`. */
export const ZIPKIN_SPANS_PATH = '/api/v2/spans';

/** `Batcher: zipkin` — Zipkin v2 JSON to `host:port` (→ `/api/v2/spans`) or to a full URL as given. */
export const zipkinExporter: ExporterFactory = (conf) => {
  const url = endpointUrl(conf.Endpoint, { defaultPath: ZIPKIN_SPANS_PATH, batcher: conf.Batcher });
  const { ZipkinExporter } = loadOnUse('@opentelemetry/exporter-zipkin') as typeof Zipkin;
  return { exporter: new ZipkinExporter({ url: url.href, serviceName: conf.Name }), target: url.href };
};
