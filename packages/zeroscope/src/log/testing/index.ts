/**
 * Test helper: a log sink that keeps the lines written to it, parsed. Hand it to `createLogger`
 * or `setUpLogging` as `destination`.
 *
 * @example
 *   const sink = captureLines();
 *   setUpLogging(LogSchema.parse({}), { serviceName: 'test', destination: sink.stream });
 *   ... make a request ...
 *   assert.equal(sink.lines()[0].msg, 'GET /x 200');
 */
import type { DestinationStream } from 'pino';

/** One captured json line. */
export type LogLine = Record<string, unknown> & { level?: string; msg?: string; trace_id?: string; span_id?: string };

/** A sink that records what it is given. */
export interface LineSink {
  readonly stream: DestinationStream;
  /** Every line so far, parsed as JSON. */
  lines(): LogLine[];
  /** Every line so far, as written. */
  raw(): string[];
  /** Forget what was captured. */
  reset(): void;
}

/** A sink for json (or plain) lines; `lines()` parses them as JSON. */
export function captureLines(): LineSink {
  let written: string[] = [];
  return {
    stream: { write: (line: string) => void written.push(line) },
    lines: () => written.map((line) => JSON.parse(line) as LogLine),
    raw: () => [...written],
    reset() {
      written = [];
    },
  };
}
