/**
 * A real PostgreSQL for tests: Debian's `postgresql` (installed with apt-get when missing and
 * running as root), a fresh cluster in a temporary directory, listening on 127.0.0.1 on a free
 * port (trust auth, no fsync), stopped and removed by `close()`. Nothing is skipped: when
 * PostgreSQL cannot be had, `startPostgres` throws the reason. As root the server runs as the
 * `postgres` user, since PostgreSQL refuses to run as root.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureDebianPackage } from '../../../../../test/lib/debian.ts';
import { eventually } from '../../../../../test/lib/eventually.ts';

/** A running test cluster. */
export interface PostgresServer {
  host: string;
  port: number;
  user: string;
  database: string;
  /** Stops the server (fast shutdown) and removes its directory. */
  close(): Promise<void>;
}

const USER = 'zeroscope';

/** The directory holding `initdb` and `postgres`, installing Debian's postgresql if needed. */
export function ensurePostgres(): string {
  return ensureDebianPackage('postgresql', () => {
    const root = '/usr/lib/postgresql';
    if (!existsSync(root)) return undefined;
    const versions = readdirSync(root).filter((v) => existsSync(join(root, v, 'bin', 'initdb'))).sort((a, b) => Number(b) - Number(a));
    return versions[0] === undefined ? undefined : join(root, versions[0], 'bin');
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * The uid/gid to run PostgreSQL as: the `postgres` user when we are root (PostgreSQL refuses
 * root), else ourselves. Set on the spawned process itself, so signals reach the server directly.
 */
function runAs(): { uid?: number; gid?: number } {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Starts a throw-away cluster; resolves once it accepts connections. */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = ensurePostgres();
  const dir = mkdtempSync(join(tmpdir(), 'zeroscope-pg-'));
  const data = join(dir, 'data');
  const user = runAs();
  if (user.uid !== undefined && user.gid !== undefined) {
    chownSync(dir, user.uid, user.gid);
    chmodSync(dir, 0o700);
  }
  const init = spawnSync(join(bin, 'initdb'), ['-D', data, '-U', USER, '--auth=trust', '-E', 'UTF8', '--no-sync'], { ...user, cwd: dir, encoding: 'utf8', timeout: 120_000 });
  if (init.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`initdb failed (status ${init.status}):\n${init.stderr}${init.stdout}`);
  }
  const port = await freePort();
  const args = ['-D', data, '-h', '127.0.0.1', '-p', String(port), '-k', dir, '-c', 'fsync=off', '-c', 'synchronous_commit=off', '-c', 'full_page_writes=off'];
  const proc: ChildProcess = spawn(join(bin, 'postgres'), args, { ...user, cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  proc.stdout?.on('data', (d) => (output += d));
  proc.stderr?.on('data', (d) => (output += d));

  const close = async (): Promise<void> => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGINT'); // fast shutdown: ends sessions, no waiting for clients
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };

  const [readyCmd, readyArgs] = [join(bin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port), '-U', USER, '-d', 'postgres']];
  try {
    await eventually(
      () => `postgres to accept connections:\n${output}`,
      () => {
        if (proc.exitCode !== null) throw new Error(`postgres exited (${proc.exitCode}):\n${output}`);
        return spawnSync(readyCmd, readyArgs, { timeout: 5000 }).status === 0;
      },
      { timeoutMs: 30_000, pollMs: 100 },
    );
  } catch (err) {
    await close();
    throw err;
  }
  return { host: '127.0.0.1', port, user: USER, database: 'postgres', close };
}
