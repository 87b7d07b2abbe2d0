import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';

const CHILD = fileURLToPath(new URL('./testdata/access-flush-child.ts', import.meta.url));
// More than one 4 KB batch and more than sonic-boom writes at once, so lines are still buffered at the end.
const LINES = 3000;

function run(args: object): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done) => {
    execFile(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(args)], { timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) =>
      done({ code: err === null ? 0 : ((err as { code?: number }).code ?? null), stdout, stderr }),
    );
  });
}

/** The request numbers of the lines, in order; every line must be whole json. */
function numbers(text: string): number[] {
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => Number((JSON.parse(line) as { path: string }).path.slice('/n/'.length)));
}

const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('access lines written without pino are not lost when the process ends', () => {
  for (const end of ['exit', 'crash', 'return'] as const) {
    test(`console: every line reaches stdout, in order (${end})`, async () => {
      const { code, stdout, stderr } = await run({ mode: 'console', lines: LINES, end });
      assert.equal(code, end === 'crash' ? 1 : 0, stderr);
      if (end === 'crash') assert.match(stderr, /crash after the last line/);
      assert.deepEqual(numbers(stdout), range(LINES));
    });
  }

  for (const end of ['exit', 'crash'] as const) {
    test(`file mode: every line is in the file of its level (${end})`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'zeroscope-flush-'));
      after(() => rmSync(dir, { recursive: true, force: true }));
      const { code, stderr } = await run({ mode: 'file', path: dir, lines: LINES, end });
      assert.equal(code, end === 'crash' ? 1 : 0, stderr);
      const read = (file: string) => numbers(readFileSync(join(dir, file), 'utf8'));
      const slow = (i: number) => i % 13 === 0;
      const failed = (i: number) => i % 7 === 3 || i % 11 === 5;
      assert.deepEqual(read('access.log'), range(LINES).filter((i) => !slow(i) && !failed(i)));
      assert.deepEqual(read('slow.log'), range(LINES).filter((i) => slow(i) && !failed(i)));
      assert.deepEqual(read('error.log'), range(LINES).filter(failed));
    });
  }
});
