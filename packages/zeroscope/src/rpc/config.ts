import { z } from 'zod';
import { ServiceConfSchema } from '../conf/service-conf.ts';
import { RpcConfigError } from './errors.ts';

/** `host:port` with a port in 1..65535 (`:0` allowed only where `allowZero`); IPv6 hosts in brackets. */
function hostPort(allowZero: boolean) {
  return z.string().refine(
    (value) => {
      const match = /^(\[[0-9a-fA-F:.]+\]|[^\s:[\]]*):(\d{1,5})$/.exec(value);
      if (!match) return false;
      const port = Number(match[2]);
      return port <= 65535 && (allowZero || port > 0);
    },
    { message: allowZero ? 'expected host:port (port 0 picks a free one)' : 'expected host:port' },
  );
}

/**
 * Where services find each other past one machine (go-zero's `discov.EtcdConf`): a server with it
 * registers its address under `<Key>/<ID or lease id>`; a client with it follows every instance
 * registered under `<Key>/`.
 */
export const EtcdConfSchema = z
  .object({
    /** etcd endpoints, `host:port` (http) or full `http(s)://host:port` URLs. */
    Hosts: z
      .array(z.string().regex(/^(https?:\/\/)?(\[[0-9a-fA-F:.]+\]|[^\s:/[\]]+):\d{1,5}$/, 'expected host:port'))
      .min(1),
    /** The service's key, e.g. `user.rpc`. */
    Key: z.string().min(1),
    /** Fixed instance id for the key instead of the lease id (server only). */
    ID: z.number().int().positive().optional(),
    /** etcd user and password, when etcd has auth on. */
    User: z.string().min(1).optional(),
    Pass: z.string().optional(),
    /** TLS to etcd (go-zero's keys): the client certificate (PEM) etcd asks for, with its key. */
    CertFile: z.string().min(1).optional(),
    CertKeyFile: z.string().min(1).optional(),
    /** The CA (PEM) that signed etcd's certificate; a self-signed one is its own CA. */
    CACertFile: z.string().min(1).optional(),
    /** go-zero's switch to skip verifying etcd's certificate: refused, see below. */
    InsecureSkipVerify: z.boolean().optional(),
  })
  .strict()
  .superRefine((conf, ctx) => {
    if ((conf.CertFile === undefined) !== (conf.CertKeyFile === undefined)) {
      ctx.addIssue({ code: 'custom', path: [conf.CertFile === undefined ? 'CertFile' : 'CertKeyFile'], message: 'CertFile and CertKeyFile go together (a client certificate needs its key)' });
    }
    if (conf.CertFile !== undefined && conf.CACertFile === undefined) {
      ctx.addIssue({ code: 'custom', path: ['CACertFile'], message: "required with CertFile: the CA that signed etcd's certificate" });
    }
    if (conf.InsecureSkipVerify === true) {
      // grpc-js under etcd3 always verifies the server; saying so beats a TLS error at the first call.
      ctx.addIssue({ code: 'custom', path: ['InsecureSkipVerify'], message: "not supported: etcd's certificate is always verified; set CACertFile to the CA that signed it (a self-signed certificate is its own CA)" });
    }
  });

export type EtcdConf = z.infer<typeof EtcdConfSchema>;

/** Server middlewares; each defaults to on (go-zero's `ServerMiddlewaresConf`). */
export const RpcServerMiddlewaresSchema = z
  .object({
    /** SERVER span per call, parent taken from the incoming metadata. */
    Trace: z.boolean().default(true),
    /** One access log line per call, slow and failed ones always (src/log). */
    Log: z.boolean().default(true),
    /** Prometheus call metrics, when a `Prometheus` block is set (src/metrics). */
    Metrics: z.boolean().default(true),
    /** Adaptive load shedding (UNAVAILABLE when CPU and in-flight calls say saturated); needs CpuThreshold > 0. */
    Shedding: z.boolean().default(true),
    /** An unexpected error in a handler becomes INTERNAL (logged) instead of UNKNOWN. */
    Recover: z.boolean().default(true),
    /** Unary handlers running past `Timeout` answer DEADLINE_EXCEEDED. */
    Timeout: z.boolean().default(true),
  })
  .strict();

/** Config of an RPC server (go-zero's `zrpc.RpcServerConf`, the parts implemented so far). */
export const RpcServerConfSchema = ServiceConfSchema.extend({
  /** `host:port` to listen on; port 0 binds a free port (see `RpcServer.port`). */
  ListenOn: hostPort(true),
  /** Per-call budget of a unary handler, in ms; 0 disables it. */
  Timeout: z.number().int().min(0).default(2000),
  /** CPU usage in millicpu (900 = 90% of one core) from which calls may be shed; 0 turns shedding off. */
  CpuThreshold: z.number().int().min(0).max(999).default(900),
  Middlewares: RpcServerMiddlewaresSchema.prefault({}),
  /** Register in etcd once listening (deregistered before stopping). */
  Etcd: EtcdConfSchema.optional(),
}).strict();

export type RpcServerConf = z.infer<typeof RpcServerConfSchema>;
/** What a caller may pass to `new RpcServer()`: defaults may be left out. */
export type RpcServerConfInput = z.input<typeof RpcServerConfSchema>;

/** Client middlewares; each defaults to on. */
export const RpcClientMiddlewaresSchema = z
  .object({
    /** CLIENT span per call, context injected into the metadata. */
    Trace: z.boolean().default(true),
    /** A log line per failed call and per call past `Log.SlowThreshold`, in the caller's trace (go-zero's Duration). */
    Duration: z.boolean().default(true),
    /** Prometheus call metrics, when a `Prometheus` block is set (src/metrics). */
    Metrics: z.boolean().default(true),
    /** Every call gets a deadline of `Timeout` ms unless the call sets its own. */
    Timeout: z.boolean().default(true),
    /** Adaptive circuit breaker per target and method: fail fast with UNAVAILABLE while it sheds load. */
    Breaker: z.boolean().default(true),
  })
  .strict();

/**
 * Config of an RPC client (go-zero's `zrpc.RpcClientConf`): exactly one of `Endpoints` (direct
 * `host:port` list), `Etcd` (every instance registered under the key, followed live) or `Target`
 * (a gRPC target such as `dns:///user:8080`, resolved and balanced by grpc-js).
 */
export const RpcClientConfSchema = z
  .object({
    Endpoints: z.array(hostPort(false)).min(1).optional(),
    Target: z.string().min(1).optional(),
    Etcd: EtcdConfSchema.optional(),
    /** How calls are spread over Endpoints/Etcd instances: go-zero's p2c (default) or round robin. */
    Balancer: z.enum(['p2c', 'round_robin']).default('p2c'),
    /** Default deadline of each call, in ms; 0 means none. */
    Timeout: z.number().int().min(0).default(2000),
    /**
     * true: calls may be made before any server is reachable. false: `dialClient()` waits until
     * an endpoint is READY (at most `Timeout`) and fails otherwise.
     */
    NonBlock: z.boolean().default(true),
    /**
     * Retry a unary call once, on another READY instance, when it failed UNAVAILABLE before the
     * server answered anything (no response headers, no message): the failure a dying instance
     * gives the calls in flight on it, and what gRPC's retry policy retries. The retry keeps the
     * call's deadline. false: such calls fail at once (for methods that must never run twice).
     */
    Retry: z.boolean().default(true),
    Middlewares: RpcClientMiddlewaresSchema.prefault({}),
  })
  .strict()
  .superRefine((conf, ctx) => {
    const set = (['Endpoints', 'Etcd', 'Target'] as const).filter((key) => conf[key] !== undefined);
    if (set.length !== 1) {
      ctx.addIssue({
        code: 'custom',
        path: set.length > 1 ? [set[1]!] : [],
        message: `set exactly one of Endpoints, Etcd or Target (${set.length > 1 ? `${set.join(' and ')} are set` : 'none is set'})`,
      });
    }
    if (conf.Etcd?.ID !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['Etcd', 'ID'], message: 'ID is for servers; a client follows every instance under Key' });
    }
  });

export type RpcClientConf = z.infer<typeof RpcClientConfSchema>;
/** What a caller may pass to `createClient()`: defaults may be left out. */
export type RpcClientConfInput = z.input<typeof RpcClientConfSchema>;

/** Validates `input` against `schema`, throwing one {@link RpcConfigError} that lists every issue. */
export function parseRpcConf<S extends z.ZodType>(schema: S, input: unknown, what: string): z.infer<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const path = issue.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('');
    return `  ${path.replace(/^\./, '') || '(root)'}: ${issue.message}`;
  });
  throw new RpcConfigError(`invalid ${what} config:\n${lines.join('\n')}`, { cause: result.error });
}
