import type { DestinationStream } from 'pino';

// pino hands the line's parts to streams carrying this symbol (see pino's multistream), so the
// plain encoder formats from them instead of parsing the JSON pino already wrote.
const METADATA = Symbol.for('pino.metadata');

/** What pino sets on a metadata stream before each write. */
interface LineParts {
  lastLevel: number;
  lastObj: Record<string, unknown> | undefined;
  lastMsg: string | undefined;
}

const LABELS: Record<number, string> = { 10: 'trace', 20: 'debug', 30: 'info', 40: 'warn', 50: 'error', 60: 'severe' };

/**
 * `Encoding: plain` (go-zero's plain text): one line per entry,
 * `time<TAB>level<TAB>message<TAB>key=value ...`, with `trace_id`/`span_id` among the pairs and an
 * error's stack on the lines after. Meant for people reading a terminal; collectors want json.
 */
export function plainStream(out: DestinationStream): DestinationStream {
  const stream = {
    [METADATA]: true,
    lastLevel: 30,
    lastObj: undefined,
    lastMsg: undefined,
    write(this: LineParts): void {
      out.write(formatPlain(new Date(), this.lastLevel, this.lastMsg, this.lastObj));
    },
  };
  return stream as unknown as DestinationStream;
}

/** One plain line (newline-terminated) from a log entry's parts. */
export function formatPlain(time: Date, level: number, msg: string | undefined, fields: Record<string, unknown> | undefined): string {
  let line = `${time.toISOString()}\t${LABELS[level] ?? String(level)}\t${msg ?? ''}`;
  let stack = '';
  if (fields !== undefined) {
    for (const key in fields) {
      const value = fields[key];
      if (value === undefined || key === 'msg') continue;
      if (value instanceof Error) {
        line += `\t${key}=${JSON.stringify(value.message)}`;
        if (value.stack) stack += `\n${value.stack}`;
      } else {
        line += `\t${key}=${formatValue(value)}`;
      }
    }
  }
  return `${line}${stack}\n`;
}

function formatValue(value: unknown): string {
  if (typeof value === 'string') return /^[\w./:@-]*$/.test(value) && value !== '' ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
