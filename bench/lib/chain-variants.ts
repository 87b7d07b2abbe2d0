/**
 * The ways the seed's chain (order HTTP → user gRPC) is run: A, B, C (and the diagnostic F) on the zeroscope
 * framework (the examples, configured by generated YAML), D and E as a TypeScript user writes
 * them without it (bench/alternatives). Each variant is two child processes on free ports, running
 * compiled JavaScript as a user ships it; G and H are B and A run from the TypeScript through tsx
 * (how the services ran before the packages were compiled), to show what the loader costs.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePorts } from './ports.ts';
import { compileAlternatives, compiledExample } from './compiled.ts';
import { cleanEnv, startNodeScript, waitForPort, type Child } from './processes.ts';

export type VariantId = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H';

/** A variant's two services, running. */
export interface RunningVariant {
  id: VariantId;
  orderUrl: string;
  order: Child;
  user: Child;
  /** Milliseconds from spawn until each service accepted connections. */
  startupMs: { order: number; user: number };
}

/** One row of the chain table. */
export interface VariantSpec {
  id: VariantId;
  label: string;
  /** service.name the variant's order/user spans carry (traced variants), to check spans arrive. */
  serviceNames?: { order: string; user: string };
}

export const VARIANTS: readonly VariantSpec[] = [
  { id: 'A', label: 'zeroscope, Telemetry.Disabled' },
  { id: 'B', label: 'zeroscope, Sampler 1.0, otlphttp → backend', serviceNames: { order: 'order-b', user: 'user-b' } },
  { id: 'C', label: 'zeroscope, Sampler 1.0, otlphttp → endpoint down' },
  { id: 'D', label: 'Express 5 + grpc-js + OTel sdk-node auto-instr. → backend', serviceNames: { order: 'order-d', user: 'user-d' } },
  { id: 'E', label: 'bare Fastify 5 + grpc-js, untraced' },
  { id: 'F', label: 'zeroscope, Telemetry.Disabled + the AsyncLocalStorage context manager (diagnostic)' },
  { id: 'G', label: 'B run from TypeScript through tsx (before packaging)', serviceNames: { order: 'order-g', user: 'user-g' } },
  { id: 'H', label: 'A run from TypeScript through tsx (before packaging)' },
];

/** Where the variants send spans. */
export interface ChainTargets {
  /** The zeroscope backend's OTLP/HTTP `host:port` (B, D). */
  backendHostPort: string;
  /** A `host:port` nothing listens on (C). */
  downHostPort: string;
  /** Folder for the generated configs. */
  workDir: string;
  /** When set, every service runs under `--cpu-prof`, writing into `<profileDir>/chain-<id>-<service>`. */
  profileDir?: string;
}

function profileArgs(targets: ChainTargets, id: VariantId, service: string): string[] {
  return targets.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(targets.profileDir, `chain-${id}-${service}`)}`] : [];
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const USER_TS = here('../../examples/user-rpc/user.ts');
const ORDER_TS = here('../../examples/order-api/order.ts');
/** Whether variant `id` runs the examples' TypeScript through tsx rather than their build. */
const throughTsx = (id: VariantId) => id === 'G' || id === 'H';

let alternativesJs: string | undefined;
/** bench/alternatives/<name>.ts, compiled (once per run). */
function alternative(name: string): string {
  alternativesJs ??= compileAlternatives();
  return join(alternativesJs, name.replace(/\.ts$/, '.js'));
}

/** The `Telemetry` block of a zeroscope variant's config. */
function telemetry(id: VariantId, service: 'order' | 'user', targets: ChainTargets): Record<string, unknown> {
  const Name = `${service}-${id.toLowerCase()}`;
  if (id === 'A' || id === 'F' || id === 'H') return { Name, Disabled: true };
  const Endpoint = id === 'B' || id === 'G' ? targets.backendHostPort : targets.downHostPort;
  return { Name, Endpoint, Batcher: 'otlphttp', Sampler: 1.0 };
}

async function startZeroscope(id: VariantId, targets: ChainTargets, track: (c: Child) => Child): Promise<RunningVariant> {
  const [userPort, orderPort] = await freePorts(2);
  const userYaml = join(targets.workDir, `user-${id}.yaml`);
  const orderYaml = join(targets.workDir, `order-${id}.yaml`);
  // Load shedding off: the bench saturates the services on purpose, and shed 503s would count as
  // (cheap) answers; the alternatives D and E shed nothing either.
  await writeFile(
    userYaml,
    stringify({ Name: 'user.rpc', ListenOn: `127.0.0.1:${userPort}`, CpuThreshold: 0, Telemetry: telemetry(id, 'user', targets) }),
  );
  await writeFile(
    orderYaml,
    stringify({
      Name: 'order',
      Host: '127.0.0.1',
      Port: orderPort,
      CpuThreshold: 0,
      Telemetry: telemetry(id, 'order', targets),
      UserRpc: { Endpoints: [`127.0.0.1:${userPort}`] },
    }),
  );
  const preload = id === 'F' ? [alternative('context-only-preload.ts')] : [];
  const [userMain, orderMain] = throughTsx(id) ? [USER_TS, ORDER_TS] : [compiledExample('user-rpc/user.ts'), compiledExample('order-api/order.ts')];
  const userStarted = performance.now();
  const user = track(startNodeScript(`user-${id}`, userMain, ['-f', userYaml], { preload, nodeArgs: profileArgs(targets, id, 'user') }));
  await waitForPort(userPort, user, undefined, undefined, 20);
  const orderStarted = performance.now();
  const order = track(startNodeScript(`order-${id}`, orderMain, ['-f', orderYaml], { preload, nodeArgs: profileArgs(targets, id, 'order') }));
  await waitForPort(orderPort, order, undefined, undefined, 20);
  const startupMs = { user: orderStarted - userStarted, order: performance.now() - orderStarted };
  return { id, orderUrl: `http://127.0.0.1:${orderPort}/api/order/1`, order, user, startupMs };
}

async function startAlternative(id: 'D' | 'E', targets: ChainTargets, track: (c: Child) => Child): Promise<RunningVariant> {
  const [userPort, orderPort] = await freePorts(2);
  const traced = id === 'D';
  const env = (service: string) =>
    cleanEnv(
      traced
        ? {
            OTEL_SERVICE_NAME: `${service}-d`,
            OTEL_EXPORTER_OTLP_ENDPOINT: `http://${targets.backendHostPort}`,
            OTEL_EXPORTER_OTLP_PROTOCOL: 'http/protobuf',
            // Traces only: metrics and logs exporters are not what is compared.
            OTEL_METRICS_EXPORTER: 'none',
            OTEL_LOGS_EXPORTER: 'none',
          }
        : {},
    );
  const preload = traced ? [alternative('otel-preload.ts')] : [];
  const [userMain, orderMain] = [alternative('user-grpc.ts'), alternative(traced ? 'order-express.ts' : 'order-fastify.ts')];
  const userStarted = performance.now();
  const user = track(startNodeScript(`user-${id}`, userMain, ['--port', String(userPort)], { env: env('user'), preload, nodeArgs: profileArgs(targets, id, 'user') }));
  await waitForPort(userPort, user, undefined, undefined, 20);
  const orderStarted = performance.now();
  const order = track(
    startNodeScript(`order-${id}`, orderMain, ['--port', String(orderPort), '--user', `127.0.0.1:${userPort}`], {
      env: env('order'),
      preload,
      nodeArgs: profileArgs(targets, id, 'order'),
    }),
  );
  await waitForPort(orderPort, order, undefined, undefined, 20);
  const startupMs = { user: orderStarted - userStarted, order: performance.now() - orderStarted };
  return { id, orderUrl: `http://127.0.0.1:${orderPort}/api/order/1`, order, user, startupMs };
}

/** Starts variant `id`'s two services and checks one request answers with the user; stops them if not. */
export async function startVariant(id: VariantId, targets: ChainTargets): Promise<RunningVariant> {
  const started: Child[] = [];
  const track = (child: Child) => (started.push(child), child);
  try {
    const running = id === 'D' || id === 'E' ? await startAlternative(id, targets, track) : await startZeroscope(id, targets, track);
    const res = await fetch(running.orderUrl);
    const body = (await res.json()) as { user?: { name?: string } };
    if (res.status !== 200 || body.user?.name !== 'Ada Lovelace') {
      throw new Error(`variant ${id}: GET ${running.orderUrl} answered ${res.status} ${JSON.stringify(body)}`);
    }
    return running;
  } catch (err) {
    await Promise.all(started.map((c) => c.stop()));
    throw err;
  }
}
