/** `zeroscope import FILE`: loads OTLP/JSON lines (the `file` batcher's output) into the store. */
import { BACKEND_ENV, BackendConfigError, formatRetention, resolveBackendConfig, storePusher } from '../backend/index.ts';
import { importFile } from '../backend/receivers/index.ts';
import { openStore } from '../backend/store/index.ts';
import { CliRunError, CliUsageError } from './errors.ts';
import { formatFlags, parseFlags, type FlagSpec } from './flags.ts';
import type { CliIo } from './io.ts';
import { dataDirUsers } from './data-dir-users.ts';

/** The flags of `import`. */
export const IMPORT_FLAGS: readonly FlagSpec[] = [
  { name: 'data-dir', value: 'DIR', env: BACKEND_ENV.dataDir, description: 'the store to import into (default ./.zeroscope)' },
  { name: 'retention', value: 'DURATION', env: BACKEND_ENV.retention, description: 'the retention `zeroscope up` runs with, to warn about spans it would delete (default 7d)' },
];

/** `zeroscope import --help`. */
export const IMPORT_HELP = `Usage: zeroscope import FILE [flags]

Reads FILE, one OTLP/JSON export request per line (what a service writes with
Telemetry.Batcher: file), and stores its spans. Lines that do not decode are reported by number
and skipped; the exit status is 1 if any were. A data dir that another process (a running
\`zeroscope up\`) has open is refused: stop it first, or send the spans to its OTLP/HTTP receiver.
Spans that ended longer ago than the retention are imported, counted and warned about:
\`zeroscope up\` deletes traces that ended before its retention at its first sweep.

Flags:
${formatFlags(IMPORT_FLAGS)}`;

/** Runs `zeroscope import`; resolves with the exit status. */
export async function importCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseFlags('import', argv, IMPORT_FLAGS);
  if (parsed.help) {
    io.out(IMPORT_HELP);
    return 0;
  }
  if (parsed.positionals.length !== 1) {
    throw new CliUsageError('import', parsed.positionals.length === 0 ? 'missing FILE' : 'give exactly one FILE');
  }
  const file = parsed.positionals[0]!;
  let config;
  try {
    const dataDir = parsed.values.get('data-dir');
    const retention = parsed.values.get('retention');
    config = resolveBackendConfig({ dataDir, retention }, io.env, io.cwd, { dataDir: '--data-dir', retention: '--retention' });
  } catch (err) {
    if (err instanceof BackendConfigError) throw new CliUsageError('import', err.message, { cause: err });
    throw err;
  }
  // lmdb would let both processes write, but `up` keeps summaries and indexes of in-flight traces
  // in memory, so spans written behind its back would be indexed wrongly: refuse instead.
  const users = dataDirUsers(config.dataDir);
  if (users.length > 0) {
    throw new CliRunError(
      `${config.dataDir} is in use by another zeroscope process (pid ${users.join(', ')}), probably \`zeroscope up\`: ` +
        'stop it first, or send the spans to its OTLP/HTTP receiver instead (POST each line to /v1/traces with Content-Type: application/json)',
    );
  }
  const store = await openStore({
    dataDir: config.dataDir,
    retention: { maxAgeMs: config.retentionMs, sweepIntervalMs: 0 },
  });
  try {
    const expiredBefore = (BigInt(Date.now()) - BigInt(config.retentionMs)) * 1_000_000n;
    const report = await importFile(file, storePusher(store), { expiredBefore });
    for (const e of report.errors) io.err(`${file}:${e.line}: ${e.reason}`);
    io.out(`imported ${report.spans} spans from ${report.requests} of ${report.lines} lines into ${config.dataDir}`);
    if (report.expired > 0) {
      const retention = formatRetention(config.retentionMs);
      io.err(
        `warning: ${report.expired} of those spans ended more than ${retention} ago, before the retention: ` +
          `\`zeroscope up\` deletes the traces that ended then at its first sweep. To keep them, run it with a longer one ` +
          `(--retention or ${BACKEND_ENV.retention}, e.g. --retention 30d).`,
      );
    }
    return report.errors.length > 0 ? 1 : 0;
  } catch (err) {
    throw new CliRunError(`could not import ${file}: ${(err as Error).message}`, { cause: err });
  } finally {
    await store.close();
  }
}
