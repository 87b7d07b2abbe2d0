/**
 * Temporary folders of a benchmark run (configs, data dirs, the UI build). Each is removed by
 * the bench that made it; any left when the process exits (SIGINT, a crash) are removed then.
 */
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const left = new Set<string>();
let hooked = false;

/** A new folder under the OS temp dir, named `zeroscope-bench-<name>-XXXXXX`. */
export async function makeTempDir(name: string): Promise<string> {
  if (!hooked) {
    hooked = true;
    process.on('exit', () => {
      for (const dir of left) rmSync(dir, { recursive: true, force: true });
    });
  }
  const dir = await mkdtemp(join(tmpdir(), `zeroscope-bench-${name}-`));
  left.add(dir);
  return dir;
}

/** Removes a folder made by {@link makeTempDir}. */
export async function removeTempDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  left.delete(dir);
}
