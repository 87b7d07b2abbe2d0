/**
 * The ways the seed's chain (order HTTP → user gRPC) is run: A, B, C (and the diagnostic F) on the zeroscope
 * framework (the examples, configured by generated YAML), D and E as a TypeScript user writes
 * them without it (bench/alternatives). Each variant is two child processes on free ports.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePorts } from './ports.ts';
import { cleanEnv, startNodeScript, waitForPort, type Child } from './processes.ts';

export type VariantId = 'A' | 'B' | 'C' | 'D' | 'E' | 'F';

/** A variant's two services, running. */
export interface RunningVariant {
  id: VariantId;
  orderUrl: string;
  order: Child;
  user: Child;
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
const USER_MAIN = here('../../examples/user-rpc/user.ts');
const ORDER_MAIN = here('../../examples/order-api/order.ts');
const ALT_USER = here('../alternatives/user-grpc.ts');
const ALT_EXPRESS = here('../alternatives/order-express.ts');
const ALT_FASTIFY = here('../alternatives/order-fastify.ts');
const OTEL_PRELOAD = here('../alternatives/otel-preload.ts');
const CONTEXT_ONLY_PRELOAD = here('../alternatives/context-only-preload.ts');

/** The `Telemetry` block of a zeroscope variant's config. */
function telemetry(id: VariantId, service: 'order' | 'user', targets: ChainTargets): Record<string, unknown> {
  const Name = `${service}-${id.toLowerCase()}`;
  if (id === 'A' || id === 'F') return { Name, Disabled: true };
  const Endpoint = id === 'B' ? targets.backendHostPort : targets.downHostPort;
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
  const preload = id === 'F' ? [CONTEXT_ONLY_PRELOAD] : [];
  const user = track(startNodeScript(`user-${id}`, USER_MAIN, ['-f', userYaml], { preload, nodeArgs: profileArgs(targets, id, 'user') }));
  await waitForPort(userPort, user);
  const order = track(startNodeScript(`order-${id}`, ORDER_MAIN, ['-f', orderYaml], { preload, nodeArgs: profileArgs(targets, id, 'order') }));
  await waitForPort(orderPort, order);
  return { id, orderUrl: `http://127.0.0.1:${orderPort}/api/order/1`, order, user };
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
  const preload = traced ? [OTEL_PRELOAD] : [];
  const user = track(startNodeScript(`user-${id}`, ALT_USER, ['--port', String(userPort)], { env: env('user'), preload, nodeArgs: profileArgs(targets, id, 'user') }));
  await waitForPort(userPort, user);
  const orderMain = traced ? ALT_EXPRESS : ALT_FASTIFY;
  const order = track(
    startNodeScript(`order-${id}`, orderMain, ['--port', String(orderPort), '--user', `127.0.0.1:${userPort}`], {
      env: env('order'),
      preload,
      nodeArgs: profileArgs(targets, id, 'order'),
    }),
  );
  await waitForPort(orderPort, order);
  return { id, orderUrl: `http://127.0.0.1:${orderPort}/api/order/1`, order, user };
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
