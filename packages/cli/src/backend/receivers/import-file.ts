/**
 * `zeroscope import FILE`: pushes a file of OTLP/JSON export requests, one a line (what the
 * framework's `file` batcher writes). Bad lines are reported by number and skipped.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { decodeJsonRequest, longToBigInt } from '../otlp/index.ts';
import type { TracesPusher } from './types.ts';

/** One line that was not imported. */
export interface ImportLineError {
  /** 1-based line number. */
  line: number;
  reason: string;
}

/** What an import did. */
export interface ImportReport {
  /** Non-blank lines read. */
  lines: number;
  /** Lines pushed successfully. */
  requests: number;
  /** Spans in the pushed lines. */
  spans: number;
  /** Of those, spans that ended before {@link ImportOptions.expiredBefore}. */
  expired: number;
  errors: ImportLineError[];
}

/** Options of {@link importFile}. */
export interface ImportOptions {
  /** Spans that ended before this (Unix ns) are counted as `expired`: retention would delete them. */
  expiredBefore?: bigint;
}

/**
 * Reads `path` line by line, decodes each non-blank line as an OTLP/JSON
 * ExportTraceServiceRequest and pushes it, one line at a time. Lines that do not decode, or
 * that the pusher rejects, are listed in `errors`; the import goes on. A missing or unreadable
 * file rejects with the fs error.
 * @example
 *   const report = await importFile('traces.jsonl', store);
 *   for (const e of report.errors) console.error(`line ${e.line}: ${e.reason}`);
 */
export async function importFile(path: string, pusher: TracesPusher, options: ImportOptions = {}): Promise<ImportReport> {
  const report: ImportReport = { lines: 0, requests: 0, spans: 0, expired: 0, errors: [] };
  const { expiredBefore } = options;
  const lines = createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity });
  let lineNumber = 0;
  for await (const line of lines) {
    lineNumber++;
    if (line.trim() === '') continue;
    report.lines++;
    let spans = 0;
    let expired = 0;
    try {
      const request = decodeJsonRequest(line);
      for (const rs of request.resourceSpans) {
        for (const ss of rs.scopeSpans) {
          spans += ss.spans.length;
          if (expiredBefore !== undefined) for (const span of ss.spans) if (longToBigInt(span.endTimeUnixNano) < expiredBefore) expired++;
        }
      }
      if (spans > 0) await pusher.push(request);
    } catch (error) {
      report.errors.push({ line: lineNumber, reason: error instanceof Error ? error.message : String(error) });
      continue;
    }
    report.requests++;
    report.spans += spans;
    report.expired += expired;
  }
  return report;
}
