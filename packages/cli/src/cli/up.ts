/** `zeroscope up`: runs the backend (receivers, store, query API and UI) until SIGINT/SIGTERM. */
import {
  BACKEND_ENV,
  BackendConfigError,
  formatRetention,
  resolveBackendConfig,
  startBackend,
  type BackendConfig,
  type BackendSettings,
  type RunningBackend,
} from '../backend/index.ts';
import { CliRunError, CliUsageError } from './errors.ts';
import { formatFlags, parseFlags, type FlagSpec, type ParsedFlags } from './flags.ts';
import { backendListenFailure } from './listen-failure.ts';
import { serveUntilStopped, type CliIo } from './io.ts';

/** The flags of `up`, each mapped to the backend setting it sets. */
export const UP_FLAGS: ReadonlyArray<FlagSpec & { setting: keyof BackendSettings }> = [
  { name: 'data-dir', value: 'DIR', setting: 'dataDir', env: BACKEND_ENV.dataDir, description: 'where traces are stored (default ./.zeroscope)' },
  { name: 'host', value: 'ADDR', setting: 'host', env: BACKEND_ENV.host, description: 'interface every listener binds (default 127.0.0.1)' },
  { name: 'otlp-http-port', value: 'N', setting: 'otlpHttpPort', env: BACKEND_ENV.otlpHttpPort, description: 'OTLP/HTTP receiver port (default 4318)' },
  { name: 'otlp-grpc-port', value: 'N', setting: 'otlpGrpcPort', env: BACKEND_ENV.otlpGrpcPort, description: 'OTLP/gRPC receiver port (default 4317)' },
  { name: 'zipkin-port', value: 'N', setting: 'zipkinPort', env: BACKEND_ENV.zipkinPort, description: 'Zipkin v2 receiver port (default 9411)' },
  { name: 'query-port', value: 'N', setting: 'queryPort', env: BACKEND_ENV.queryPort, description: 'Tempo-compatible query API and web UI port (default 3200)' },
  { name: 'retention', value: 'DURATION', setting: 'retention', env: BACKEND_ENV.retention, description: 'how long traces are kept, e.g. 7d, 36h (default 7d)' },
  { name: 'auth-token', value: 'TOKEN', setting: 'authToken', env: BACKEND_ENV.authToken, description: 'require this token on every listener; needed for a non-loopback --host' },
  { name: 'min-free-disk', value: 'SIZE', setting: 'minFreeDisk', env: BACKEND_ENV.minFreeDisk, description: 'writes answer 507 below this much free disk, e.g. 64MiB, 0 (default 5% of the disk, at most 64MiB)' },
  { name: 'allowed-hosts', value: 'HOSTS', setting: 'allowedHosts', env: BACKEND_ENV.allowedHosts, description: 'extra Host names answered on loopback (default localhost, 127.0.0.1, [::1]), or * for any' },
  { name: 'cors-origin', value: 'ORIGINS', setting: 'corsOrigin', env: BACKEND_ENV.corsOrigin, description: 'comma-separated browser origins allowed to call the API (default none)' },
  {
    name: 'generator-config',
    value: 'FILE',
    setting: 'generatorConfig',
    env: BACKEND_ENV.generatorConfig,
    description: "YAML of metrics-generator options under Tempo's keys (service_graphs, span_metrics); default Tempo's defaults",
  },
];

/** `zeroscope up --help`. */
export const UP_HELP = `Usage: zeroscope up [flags]

Runs the zeroscope backend in this process: OTLP (HTTP and gRPC) and Zipkin receivers, a durable
trace store, and a Grafana Tempo-compatible query API that also serves the web UI. Flags win
over the environment variables shown in brackets. Port 0 picks a free port.

Every listener binds 127.0.0.1 unless --host says otherwise; any other address needs
--auth-token (16+ characters). Clients then send 'Authorization: Bearer <token>' (or
'x-zeroscope-token'; gRPC: the same metadata), and a browser opens the UI once as /?token=<token>.

Flags:
${formatFlags(UP_FLAGS)}`;

/** The settings the flags give, naming each by its flag for error messages. */
export function upConfig(argv: readonly string[], io: Pick<CliIo, 'env' | 'cwd'>): { config: BackendConfig; help: boolean } {
  const parsed = parseFlags('up', argv, UP_FLAGS);
  if (parsed.positionals.length > 0) throw new CliUsageError('up', `unexpected argument ${parsed.positionals[0]}`);
  return { config: backendConfigFromFlags('up', parsed, io), help: parsed.help };
}

/** The backend config from parsed `UP_FLAGS` (shared by `up` and `demo`), flags winning over env. */
export function backendConfigFromFlags(command: string, parsed: ParsedFlags, io: Pick<CliIo, 'env' | 'cwd'>): BackendConfig {
  const settings: BackendSettings = {};
  const names: Partial<Record<keyof BackendSettings, string>> = {};
  for (const flag of UP_FLAGS) {
    const value = parsed.values.get(flag.name);
    if (value !== undefined) settings[flag.setting] = value;
    names[flag.setting] = `--${flag.name}`;
  }
  try {
    return resolveBackendConfig(settings, io.env, io.cwd, names);
  } catch (err) {
    if (err instanceof BackendConfigError) throw new CliUsageError(command, err.message, { cause: err });
    throw err;
  }
}

/** Prints where each part of the backend listens. */
export function printAddresses(io: CliIo, config: BackendConfig, backend: RunningBackend): void {
  const a = backend.addresses;
  const rows: Array<[string, string]> = [
    ['OTLP/HTTP', `${a.otlpHttp}/v1/traces`],
    ['OTLP logs', `${a.otlpHttp}/v1/logs   (and the LogsService on OTLP/gRPC)`],
    ['OTLP/gRPC', a.otlpGrpc],
    ['Zipkin', `${a.zipkin}/api/v2/spans`],
    ['Tempo API', `${a.query}   (Grafana: a Tempo data source with this URL)`],
    ['UI', a.ui],
    ['metrics', `${a.query}/metrics   (Tempo's service-graph and span metrics, for Prometheus)`],
    ['data dir', `${config.dataDir}   (retention ${formatRetention(config.retentionMs)})`],
    ['auth', config.authToken ? 'token required on every listener (UI: open it once with ?token=<token>)' : 'none (loopback only)'],
  ];
  io.out('zeroscope backend is up');
  for (const [label, value] of rows) io.out(`  ${label.padEnd(10)} ${value}`);
}

/** Runs `zeroscope up`; resolves with the exit status once stopped. */
export async function upCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const { config, help } = upConfig(argv, io);
  if (help) {
    io.out(UP_HELP);
    return 0;
  }
  let backend: RunningBackend;
  try {
    backend = await startBackend(config, { onError: (err) => io.err(`zeroscope: ${String((err as Error)?.stack ?? err)}`) });
  } catch (err) {
    const listen = backendListenFailure(err, config);
    if (listen) throw new CliRunError(listen, { cause: err });
    const cause = (err as { cause?: { message?: string } }).cause?.message;
    throw new CliRunError(`could not start: ${(err as Error).message}${cause ? ` (${cause})` : ''}`, { cause: err });
  }
  printAddresses(io, config, backend);
  return serveUntilStopped(io, () => backend.stop());
}
