// pino writes a string value as `asString` (lib/tools.js) does: quotes and backslashes escaped by
// hand for strings up to 100 characters without control characters, JSON.stringify otherwise, and
// JSON.stringify always from Node 25 on. Lines written without pino (access-line.ts) must be the
// same bytes, so this is that rule, proven against pino's output in access-line.test.ts (a short
// string with a lone surrogate, say, is written raw rather than as `\ud800`, as pino does).
const NODE_MAJOR = Number(process.versions.node.split('.')[0]);

/** A string as pino writes it in a json line, quotes included. */
export const jsonString: (value: string) => string = NODE_MAJOR >= 25 ? (value) => JSON.stringify(value) : escapeShort;

function escapeShort(value: string): string {
  const length = value.length;
  if (length > 100) return JSON.stringify(value);
  let result = '';
  let last = 0;
  let point = 255;
  for (let i = 0; i < length && point >= 32; i++) {
    point = value.charCodeAt(i);
    if (point === 34 || point === 92) {
      result += `${value.slice(last, i)}\\`;
      last = i;
    }
  }
  if (point < 32) return JSON.stringify(value);
  return last === 0 && result === '' ? `"${value}"` : `"${result}${value.slice(last)}"`;
}
