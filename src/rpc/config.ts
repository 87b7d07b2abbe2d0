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

/** Server middlewares; each defaults to on (go-zero's `ServerMiddlewaresConf`). */
export const RpcServerMiddlewaresSchema = z
  .object({
    /** SERVER span per call, parent taken from the incoming metadata. */
    Trace: z.boolean().default(true),
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
  Middlewares: RpcServerMiddlewaresSchema.prefault({}),
}).strict();

export type RpcServerConf = z.infer<typeof RpcServerConfSchema>;
/** What a caller may pass to `new RpcServer()`: defaults may be left out. */
export type RpcServerConfInput = z.input<typeof RpcServerConfSchema>;

/** Client middlewares; each defaults to on. */
export const RpcClientMiddlewaresSchema = z
  .object({
    /** CLIENT span per call, context injected into the metadata. */
    Trace: z.boolean().default(true),
    /** Every call gets a deadline of `Timeout` ms unless the call sets its own. */
    Timeout: z.boolean().default(true),
  })
  .strict();

/**
 * Config of an RPC client (go-zero's `zrpc.RpcClientConf`): exactly one of `Endpoints` (direct
 * `host:port` list, balanced round robin) or `Target` (a gRPC target such as `dns:///user:8080`,
 * resolved and balanced by grpc-js). An `Etcd` block comes later.
 */
export const RpcClientConfSchema = z
  .object({
    Endpoints: z.array(hostPort(false)).min(1).optional(),
    Target: z.string().min(1).optional(),
    /** Default deadline of each call, in ms; 0 means none. */
    Timeout: z.number().int().min(0).default(2000),
    /**
     * true: calls may be made before any server is reachable. false: `dialClient()` waits until
     * an endpoint is READY (at most `Timeout`) and fails otherwise.
     */
    NonBlock: z.boolean().default(true),
    Middlewares: RpcClientMiddlewaresSchema.prefault({}),
  })
  .strict()
  .superRefine((conf, ctx) => {
    const both = conf.Endpoints !== undefined && conf.Target !== undefined;
    const neither = conf.Endpoints === undefined && conf.Target === undefined;
    if (both || neither) {
      ctx.addIssue({
        code: 'custom',
        path: both ? ['Target'] : [],
        message: `set exactly one of Endpoints or Target (${both ? 'both are set' : 'neither is set'})`,
      });
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
