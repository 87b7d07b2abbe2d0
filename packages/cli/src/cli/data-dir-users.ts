/**
 * Which other processes have a data dir's trace store open, read from lmdb's own reader table:
 * every process that opened the environment holds a slot with its pid, and `readerCheck()` first
 * clears the slots of processes that died (a SIGKILLed `up` does not count).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { open } from 'lmdb';

/** Pids of the other live processes that have `<dataDir>/traces` open (none if it does not exist). */
export function dataDirUsers(dataDir: string): number[] {
  const path = join(dataDir, 'traces');
  if (!existsSync(join(path, 'data.mdb'))) return [];
  const root = open({ path, maxDbs: 12 });
  try {
    root.readerCheck();
    const pids = new Set<number>();
    for (const line of root.readerList().split('\n')) {
      const pid = Number(/^\s*(\d+)\s/.exec(line)?.[1]);
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid) pids.add(pid);
    }
    return [...pids];
  } finally {
    root.close();
  }
}
