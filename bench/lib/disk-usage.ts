/** Bytes a folder takes on disk (allocated blocks, so a sparse or pre-sized database file counts what it uses). */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

export interface DiskUsage {
  /** Sum of allocated blocks × 512. */
  allocated: number;
  /** Sum of file sizes. */
  apparent: number;
}

export async function diskUsage(dir: string): Promise<DiskUsage> {
  const usage: DiskUsage = { allocated: 0, apparent: 0 };
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      const inner = await diskUsage(path);
      usage.allocated += inner.allocated;
      usage.apparent += inner.apparent;
    } else if (entry.isFile()) {
      const s = await stat(path);
      usage.allocated += s.blocks * 512;
      usage.apparent += s.size;
    }
  }
  return usage;
}
