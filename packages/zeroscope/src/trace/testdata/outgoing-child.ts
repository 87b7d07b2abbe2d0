// Child process for outgoing.test.ts (the agent starts once per process): a RestServer whose
// Telemetry comes from argv[2] through the config loader (so OTEL_* variables apply), with a route that calls a downstream server with fetch() and with
// node:http's get (imported by name, before the agent starts), and — when a PostgreSQL is given —
// a route that queries it with pg (instrumented by instrument-pg.ts, loaded first with --import).
// It calls each route once from outside any handler, stops, and prints what the routes answered.
import { get } from 'node:http';
import pg from 'pg';
import { parseConfig } from '../../conf/index.ts';
import { RestConfSchema, RestServer } from '../../rest/index.ts';
import { shutdownAgent } from '../index.ts';

interface Args {
  telemetry: Record<string, unknown>;
  downstream: string;
  /** Headers of the request the child makes to its own route (a caller's trace context, say). */
  incoming?: Record<string, string>;
  postgres?: { host: string; port: number; user: string; database: string };
}
const args = JSON.parse(process.argv[2] ?? '{}') as Args;

function httpGet(url: string): Promise<string> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
}

const conf = parseConfig(JSON.stringify({ Name: 'outgoing', Host: '127.0.0.1', Port: 0, Telemetry: args.telemetry }), 'outgoing.json', RestConfSchema);
const server = new RestServer(conf);
server.addRoute({
  method: 'GET',
  path: '/call',
  handler: async () => ({
    fetch: await (await fetch(`${args.downstream}/via-fetch`)).text(),
    http: await httpGet(`${args.downstream}/via-http`),
  }),
});
const pool = args.postgres ? new pg.Pool({ ...args.postgres, max: 1 }) : undefined;
if (pool) {
  server.addRoute({
    method: 'GET',
    path: '/db',
    handler: async () => (await pool.query<{ answer: number }>('SELECT $1::int + 1 AS answer', [41])).rows[0],
  });
}
await server.start();
const base = `http://127.0.0.1:${server.port}`;
const answers: Record<string, unknown> = { call: await (await fetch(`${base}/call`, { headers: args.incoming })).json() };
if (pool) answers.db = await (await fetch(`${base}/db`)).json();
await server.stop();
await pool?.end();
await shutdownAgent();
process.stdout.write(`\nRESULT ${JSON.stringify(answers)}\n`);
