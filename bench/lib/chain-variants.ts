/**
 * The ways the seed's chain (order HTTP → user gRPC) is run: A, B, C, S (and the diagnostic F) on
 * the zeroscope framework (the examples, configured by generated YAML), D and E as a TypeScript
 * user writes them without it (bench/alternatives). Each variant is two child processes on free
 * ports, running compiled JavaScript as a user ships it; G and H are B and A run from the
 * TypeScript through tsx (how the services ran before the packages were compiled), to show what
 * the loader costs. Every variant also exists on Node 24 (`A24`, `S24`, …): the same code on the
 * Node 24 binary from npm, whose AsyncLocalStorage runs on AsyncContextFrame, not async_hooks.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { stringify } from 'yaml';
import { freePorts } from './ports.ts';
import { compileAlternatives, compiledExample } from './compiled.ts';
import { cpuSeconds } from './proc-stats.ts';
import { cleanEnv, startNodeScript, waitForPort, type Child } from './processes.ts';

export type BaseId = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'P' | 'S';
export type VariantId = BaseId | `${BaseId}24`;

/** A variant's two services, running. */
export interface RunningVariant {
  id: VariantId;
  orderUrl: string;
  order: Child;
  user: Child;
  /** Milliseconds from spawn until each service accepted connections. */
  startupMs: { order: number; user: number };
  /** CPU milliseconds each service used until it accepted connections (start-up by cost). */
  startupCpuMs: { order?: number; user?: number };
}

/** Where a variant's spans go. */
export type SpanTarget = 'backend' | 'sink' | 'down';

/** One row of the chain table. */
export interface VariantSpec {
  id: VariantId;
  base: BaseId;
  node: 20 | 24;
  label: string;
  /** Where its spans go; undefined when untraced. */
  spansTo?: SpanTarget;
  /** service.name the variant's order/user spans carry (variants exporting to the backend), to count spans per request. */
  serviceNames?: { order: string; user: string };
}

const BASES: ReadonlyArray<{ base: BaseId; label: string; spansTo?: SpanTarget }> = [
  { base: 'A', label: 'zeroscope, Telemetry.Disabled' },
  { base: 'S', label: 'zeroscope, Sampler 1.0, otlphttp → ideal sink (own process)', spansTo: 'sink' },
  { base: 'P', label: 'zeroscope, Sampler 0: the trace context carried, no span recorded', spansTo: 'sink' },
  { base: 'B', label: 'zeroscope, Sampler 1.0, otlphttp → `zeroscope up` (same cores)', spansTo: 'backend' },
  { base: 'C', label: 'zeroscope, Sampler 1.0, otlphttp → endpoint down', spansTo: 'down' },
  { base: 'D', label: 'Express 5 + grpc-js + OTel sdk-node auto-instr. → `zeroscope up`', spansTo: 'backend' },
  { base: 'E', label: 'bare Fastify 5 + grpc-js, untraced' },
  { base: 'F', label: 'zeroscope, Telemetry.Disabled + the AsyncLocalStorage context manager (diagnostic)' },
  { base: 'G', label: 'B run from TypeScript through tsx (before packaging)', spansTo: 'backend' },
  { base: 'H', label: 'A run from TypeScript through tsx (before packaging)' },
];

function spec(base: (typeof BASES)[number], node: 20 | 24): VariantSpec {
  const id = (node === 24 ? `${base.base}24` : base.base) as VariantId;
  const serviceNames = base.spansTo === 'backend' ? { order: `order-${id.toLowerCase()}`, user: `user-${id.toLowerCase()}` } : undefined;
  return { id, base: base.base, node, label: node === 24 ? `${base.label}, Node 24` : base.label, spansTo: base.spansTo, serviceNames };
}

/** Every variant: the Node 20 ones (the bench's own Node), then their Node 24 twins. */
export const VARIANTS: readonly VariantSpec[] = [...BASES.map((b) => spec(b, 20)), ...BASES.filter((b) => b.base !== 'G' && b.base !== 'H').map((b) => spec(b, 24))];

/**
 * What `npm run bench -- chain` runs: the variants of the issue's table and P (the floor under
 * them: what carrying the trace context costs with no span recorded), on both Nodes. F, G, H on
 * request (`--variants`).
 */
export const DEFAULT_VARIANTS: readonly VariantId[] = ['A', 'S', 'P', 'B', 'C', 'D', 'E', 'A24', 'S24', 'P24', 'B24', 'C24', 'D24', 'E24'];

/** What `--profile` runs when no `--variants` are given: the traced/untraced pairs of the profile table. */
export const PROFILE_VARIANTS: readonly VariantId[] = ['A', 'S', 'P', 'C', 'D', 'E', 'A24', 'S24', 'P24', 'C24', 'D24', 'E24'];

export const variantSpec = (id: VariantId): VariantSpec => VARIANTS.find((v) => v.id === id)!;

/** Where the variants send spans, and the Node 24 binary. */
export interface ChainTargets {
  /** The zeroscope backend's OTLP/HTTP `host:port` (B, D). */
  backendHostPort: string;
  /** The ideal sink's `host:port` (S). */
  sinkHostPort: string;
  /** A `host:port` nothing listens on (C). */
  downHostPort: string;
  /** The Node 24 `node` binary (the `…24` variants). */
  node24?: string;
  /** Folder for the generated configs. */
  workDir: string;
  /** When set, every service runs under `--cpu-prof`, writing into `<profileDir>/chain-<id>-<service>`. */
  profileDir?: string;
}

/** The node binary variant `id` runs on. */
function nodeOf(targets: ChainTargets, id: VariantId): string {
  if (variantSpec(id).node === 20) return process.execPath;
  if (!targets.node24) throw new Error(`variant ${id} needs Node 24, which could not be installed`);
  return targets.node24;
}

/** The `host:port` a traced variant exports to. */
function spanEndpoint(targets: ChainTargets, id: VariantId): string {
  const to = variantSpec(id).spansTo;
  return to === 'sink' ? targets.sinkHostPort : to === 'backend' ? targets.backendHostPort : targets.downHostPort;
}

function profileArgs(targets: ChainTargets, id: VariantId, service: string): string[] {
  return targets.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(targets.profileDir, `chain-${id}-${service}`)}`] : [];
}

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const USER_TS = here('../../examples/user-rpc/user.ts');
/** `zeroscope/compile-cache`, built (a path: the bench's own `zeroscope-source` condition would pick the TypeScript). */
const COMPILE_CACHE_PRELOAD = here('../../packages/zeroscope/dist/service/compile-cache.js');
const ORDER_TS = here('../../examples/order-api/order.ts');
/** Whether variant `id` runs the examples' TypeScript through tsx rather than their build. */
const throughTsx = (id: VariantId) => variantSpec(id).base === 'G' || variantSpec(id).base === 'H';

let alternativesJs: string | undefined;
/** bench/alternatives/<name>.ts, compiled (once per run). */
function alternative(name: string): string {
  alternativesJs ??= compileAlternatives();
  return join(alternativesJs, name.replace(/\.ts$/, '.js'));
}

/** The `Telemetry` block of a zeroscope variant's config. */
function telemetry(id: VariantId, service: 'order' | 'user', targets: ChainTargets): Record<string, unknown> {
  const Name = `${service}-${id.toLowerCase()}`;
  if (!variantSpec(id).spansTo) return { Name, Disabled: true };
  // P samples nothing: every span is a non-recording one, but its context still travels (sampled flag off).
  return { Name, Endpoint: spanEndpoint(targets, id), Batcher: 'otlphttp', Sampler: variantSpec(id).base === 'P' ? 0 : 1.0 };
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
  // Compiled, the services start as `npm start` of a `zeroscope new` project does: with the
  // compile-cache preload (Node 22.1+ caches compiled code on disk; a no-op on Node 20).
  const preload = [...(variantSpec(id).base === 'F' ? [alternative('context-only-preload.ts')] : []), ...(throughTsx(id) ? [] : [COMPILE_CACHE_PRELOAD])];
  const [userMain, orderMain] = throughTsx(id) ? [USER_TS, ORDER_TS] : [compiledExample('user-rpc/user.ts'), compiledExample('order-api/order.ts')];
  const userStarted = performance.now();
  const user = track(startNodeScript(`user-${id}`, userMain, ['-f', userYaml], { preload, nodeArgs: profileArgs(targets, id, 'user'), execPath: nodeOf(targets, id) }));
  await waitForPort(userPort, user, undefined, undefined, 20);
  const userCpu = cpuSeconds(user.pid);
  const orderStarted = performance.now();
  const order = track(startNodeScript(`order-${id}`, orderMain, ['-f', orderYaml], { preload, nodeArgs: profileArgs(targets, id, 'order'), execPath: nodeOf(targets, id) }));
  await waitForPort(orderPort, order, undefined, undefined, 20);
  const startupMs = { user: orderStarted - userStarted, order: performance.now() - orderStarted };
  return { id, orderUrl: `http://127.0.0.1:${orderPort}/api/order/1`, order, user, startupMs, startupCpuMs: startupCpu(userCpu, order.pid) };
}

async function startAlternative(id: VariantId, targets: ChainTargets, track: (c: Child) => Child): Promise<RunningVariant> {
  const [userPort, orderPort] = await freePorts(2);
  const traced = variantSpec(id).base === 'D';
  const env = (service: string) =>
    cleanEnv(
      traced
        ? {
            OTEL_SERVICE_NAME: `${service}-${id.toLowerCase()}`,
            OTEL_EXPORTER_OTLP_ENDPOINT: `http://${spanEndpoint(targets, id)}`,
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
  const user = track(startNodeScript(`user-${id}`, userMain, ['--port', String(userPort)], { env: env('user'), preload, nodeArgs: profileArgs(targets, id, 'user'), execPath: nodeOf(targets, id) }));
  await waitForPort(userPort, user, undefined, undefined, 20);
  const userCpu = cpuSeconds(user.pid);
  const orderStarted = performance.now();
  const order = track(
    startNodeScript(`order-${id}`, orderMain, ['--port', String(orderPort), '--user', `127.0.0.1:${userPort}`], {
      env: env('order'),
      preload,
      nodeArgs: profileArgs(targets, id, 'order'),
      execPath: nodeOf(targets, id),
    }),
  );
  await waitForPort(orderPort, order, undefined, undefined, 20);
  const startupMs = { user: orderStarted - userStarted, order: performance.now() - orderStarted };
  return { id, orderUrl: `http://127.0.0.1:${orderPort}/api/order/1`, order, user, startupMs, startupCpuMs: startupCpu(userCpu, order.pid) };
}

function startupCpu(userCpuSeconds: number | undefined, orderPid: number): RunningVariant['startupCpuMs'] {
  const order = cpuSeconds(orderPid);
  return { user: userCpuSeconds === undefined ? undefined : userCpuSeconds * 1000, order: order === undefined ? undefined : order * 1000 };
}

/** Starts variant `id`'s two services and checks one request answers with the user; stops them if not. */
export async function startVariant(id: VariantId, targets: ChainTargets): Promise<RunningVariant> {
  const started: Child[] = [];
  const track = (child: Child) => (started.push(child), child);
  try {
    const base = variantSpec(id).base;
    const running = base === 'D' || base === 'E' ? await startAlternative(id, targets, track) : await startZeroscope(id, targets, track);
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
