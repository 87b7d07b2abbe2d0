/**
 * Spans at known times and durations for the metrics tests. B is a unix second divisible by 60,
 * so 15 s, 20 s and 60 s steps align on it. Durations are powers of two nanoseconds so that
 * Tempo's power-of-two histograms hold them exactly.
 *
 *   span  service  start   duration  status
 *   b3    b        B-5s    2^27 ns   unset
 *   a1    a        B+1s    2^27 ns   unset
 *   a2    a        B+5s    2^28 ns   unset
 *   a3    a        B+15s   2^28 ns   unset   (exactly on a 15 s boundary)
 *   a4    a        B+20s   2^30 ns   error
 *   b1    b        B+50s   2^29 ns   unset
 *   b2    b        B+61s   2^27 ns   unset   (after every range used)
 */
import type { QueryTrace } from '../storage.ts';
import { requestToQuerySpans } from '../../otlp/index.ts';
import { decodedRequest } from '../../otlp/testing/trace-builder.ts';

export const B = 1_699_999_980n;
export const SEC = 1_000_000_000n;

interface Spec {
  id: string;
  service: string;
  at: number;
  log2: number;
  error?: boolean;
}

const SPECS: Spec[] = [
  { id: 'b3', service: 'b', at: -5, log2: 27 },
  { id: 'a1', service: 'a', at: 1, log2: 27 },
  { id: 'a2', service: 'a', at: 5, log2: 28 },
  { id: 'a3', service: 'a', at: 15, log2: 28 },
  { id: 'a4', service: 'a', at: 20, log2: 30, error: true },
  { id: 'b1', service: 'b', at: 50, log2: 29 },
  { id: 'b2', service: 'b', at: 61, log2: 27 },
];

/** One trace per span, so each is its own root; built as OTLP and converted as stored spans are. */
export function metricsTraces(): QueryTrace[] {
  return SPECS.map((s, i) => {
    const traceId = `${i + 1}`.padStart(32, '0');
    const start = (B + BigInt(s.at)) * SEC;
    const span = {
      spanId: s.id.padStart(16, '0'),
      name: s.service === 'a' ? 'GET /a' : 'GET /b',
      kind: 'SERVER',
      start,
      end: start + BigInt(2 ** s.log2),
      error: s.error,
      attributes: { 'http.response.status_code': s.error ? 500 : 200, size: s.log2 },
    } as const;
    const request = decodedRequest([{ service: s.service, scope: { name: 'test', version: '1' }, spans: [span] }], { traceId });
    return { traceId, spans: requestToQuerySpans(request) };
  });
}

/** Seconds of a 2^k ns duration. */
export const secs = (log2: number) => 2 ** log2 / 1e9;
