/**
 * `zeroscope demo`: the seed's system on a laptop. Starts the backend, then user-rpc and
 * order-api from their example configs exporting to it, sends a request that succeeds and one
 * that fails, waits until both traces are stored and prints where to open them.
 */
import { startBackend, type RunningBackend } from '../backend/index.ts';
import { type DemoService, startExample, writeDemoConfigs } from './demo-services.ts';
import { CliRunError, CliUsageError } from './errors.ts';
import { formatFlags, parseFlags, type FlagSpec } from './flags.ts';
import { backendListenFailure } from './listen-failure.ts';
import type { CliIo } from './io.ts';
import { backendConfigFromFlags, printAddresses, UP_FLAGS } from './up.ts';

const DEMO_FLAGS: readonly FlagSpec[] = [
  { name: 'order-port', value: 'N', description: 'order-api HTTP port (default 8888, as in its etc/order.yaml)' },
  { name: 'user-port', value: 'N', description: 'user-rpc gRPC port (default 8080, as in its etc/user.yaml)' },
  { name: 'once', description: 'stop everything after the requests instead of running until Ctrl+C' },
];

/** The requests the demo sends: one that succeeds and one that fails NOT_FOUND in user-rpc. */
export const DEMO_PATHS = ['/api/order/1', '/api/order/999'] as const;

/** `zeroscope demo --help`. */
export const DEMO_HELP = `Usage: zeroscope demo [flags]

Starts the backend and the example services (order-api over HTTP calling user-rpc over gRPC,
each with a Telemetry block exporting OTLP/HTTP to the backend), sends two requests through
them, ${DEMO_PATHS.map((p) => `GET ${p}`).join(' and ')} (the second fails NOT_FOUND in
user-rpc), and prints the URL of each trace in the web UI. Keeps running (so you can send more
requests) until Ctrl+C, unless --once.

Flags:
${formatFlags([...UP_FLAGS, ...DEMO_FLAGS])}`;

/** One demo request and the trace it made. */
export interface DemoRequest {
  path: string;
  status: number;
  traceId: string;
  spans: number;
  url: string;
}

function portFlag(value: string | undefined, flag: string, fallback: number): number {
  if (value === undefined) return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliUsageError('demo', `--${flag} must be a port number (0-65535), got "${value}"`);
  return port;
}

/** Polls the backend's own API until the trace has `spans` spans; resolves with the count seen. */
async function waitForTrace(queryUrl: string, traceId: string, spans: number, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let seen = 0;
  while (Date.now() < deadline) {
    const res = await fetch(`${queryUrl}/api/v2/traces/${traceId}`);
    if (res.ok) {
      const body = (await res.json()) as { trace?: { resourceSpans?: { scopeSpans?: { spans?: unknown[] }[] }[] } };
      seen = (body.trace?.resourceSpans ?? []).flatMap((r) => r.scopeSpans ?? []).flatMap((s) => s.spans ?? []).length;
      if (seen >= spans) return seen;
    } else {
      await res.body?.cancel();
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return seen;
}

/** Sends one request through order-api and waits for its three spans to be stored. */
export async function demoRequest(orderUrl: string, queryUrl: string, uiUrl: string, path: string): Promise<DemoRequest> {
  const res = await fetch(`${orderUrl}${path}`);
  await res.arrayBuffer();
  const traceId = res.headers.get('traceparent')?.split('-')[1];
  if (!traceId) throw new CliRunError(`${path} answered ${res.status} without a traceparent header: is tracing on?`);
  const spans = await waitForTrace(queryUrl, traceId, 3);
  return { path, status: res.status, traceId, spans, url: `${uiUrl}trace/${traceId}` };
}

/** Runs `zeroscope demo`; resolves with the exit status. */
export async function demoCommand(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseFlags('demo', argv, [...UP_FLAGS, ...DEMO_FLAGS]);
  if (parsed.help) {
    io.out(DEMO_HELP);
    return 0;
  }
  if (parsed.positionals.length > 0) throw new CliUsageError('demo', `unexpected argument ${parsed.positionals[0]}`);
  const config = backendConfigFromFlags('demo', parsed, io);
  const orderPort = portFlag(parsed.values.get('order-port'), 'order-port', 8888);
  const userPort = portFlag(parsed.values.get('user-port'), 'user-port', 8080);

  let backend: RunningBackend;
  try {
    backend = await startBackend(config, { onError: (err) => io.err(`zeroscope: ${String((err as Error)?.stack ?? err)}`) });
  } catch (err) {
    const listen = backendListenFailure(err, config);
    throw new CliRunError(listen ?? `could not start the backend: ${(err as Error).message}`, { cause: err });
  }
  const services: DemoService[] = [];
  const configs = writeDemoConfigs({ otlpEndpoint: backend.addresses.otlpHttp.replace(/^http:\/\//, ''), userPort, orderPort });
  const stopAll = async () => {
    // order first: it calls user; both flush their spans to the backend before it stops.
    for (const service of services.reverse()) {
      const code = await service.stop();
      if (code !== 0) io.err(`zeroscope: ${service.name} exited with ${code}:\n${service.output()}`);
    }
    await backend.stop();
    configs.cleanup();
  };

  try {
    printAddresses(io, config, backend);
    const user = await startExample('user-rpc', 'user-rpc/user.ts', configs.userConfig, '--user-port');
    services.push(user);
    const order = await startExample('order-api', 'order-api/order.ts', configs.orderConfig(user.address), '--order-port');
    services.push(order);
    const orderUrl = `http://${order.address}`;
    io.out('');
    io.out(`user-rpc   listening on ${user.address} (gRPC), exporting to ${backend.addresses.otlpHttp}`);
    io.out(`order-api  listening on ${orderUrl}, calling user-rpc`);
    io.out('');
    for (const path of DEMO_PATHS) {
      const r = await demoRequest(orderUrl, backend.addresses.query, backend.addresses.ui, path);
      io.out(`GET ${path} → ${r.status}   trace ${r.traceId} (${r.spans} spans)`);
      io.out(`  open ${r.url}`);
    }
    io.out('');
    io.out(`Search all traces at ${backend.addresses.ui} — send more with: curl -i ${orderUrl}/api/order/2`);
  } catch (err) {
    await stopAll();
    throw err;
  }

  if (parsed.values.get('once') !== 'true') {
    io.out('Press Ctrl+C to stop.');
    const signal = await io.waitForStop();
    io.out(`zeroscope: ${signal}, stopping`);
  }
  await stopAll();
  io.out('zeroscope: demo stopped');
  return 0;
}
