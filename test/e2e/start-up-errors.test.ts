/**
 * What a new user sees when a service or the CLI cannot start: the address that is taken, the
 * config key or flag that chose it, exit 1 and no stack trace. Also a legacy Jaeger endpoint,
 * refused at start with the hint instead of running untraced.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { runCli } from './backend-harness.ts';
import { ORDER_ENTRY, USER_ENTRY, removeTempDirs, runToExit, writeConfig } from './harness.ts';

after(removeTempDirs);

/** Holds a loopback port, as another program would. */
async function takePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => server.close());
  return (server.address() as { port: number }).port;
}

const NO_STACK = /\n\s+at /;

describe('start-up errors', () => {
  test('order-api with its Port taken: the address, Host/Port, exit 1, no stack', async () => {
    const port = await takePort();
    const file = writeConfig('order.yaml', `Name: order\nHost: 127.0.0.1\nPort: ${port}\nUserRpc:\n  Endpoints: [127.0.0.1:1]\n  NonBlock: true\n`);
    const { code, output } = await runToExit(ORDER_ENTRY, file);
    assert.equal(code, 1, output);
    assert.doesNotMatch(output, NO_STACK, 'no stack trace');
    assert.match(output, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(Host, Port\\): address already in use`));
    assert.match(output, /choose another port with Port/);
  });

  test('user-rpc with its ListenOn taken: the address, ListenOn, exit 1, no stack', async () => {
    const port = await takePort();
    const file = writeConfig('user.yaml', `Name: user.rpc\nListenOn: 127.0.0.1:${port}\n`);
    const { code, output } = await runToExit(USER_ENTRY, file);
    assert.equal(code, 1, output);
    assert.doesNotMatch(output, NO_STACK, 'no stack trace');
    assert.match(output, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(ListenOn\\): address already in use`));
  });

  test('Batcher jaeger with the legacy collector URL: refused at start with the hint, exit 1', async () => {
    const file = writeConfig(
      'order.yaml',
      'Name: order\nHost: 127.0.0.1\nPort: 0\nTelemetry:\n  Batcher: jaeger\n  Endpoint: http://127.0.0.1:14268/api/traces\nUserRpc:\n  Endpoints: [127.0.0.1:1]\n',
    );
    const { code, output } = await runToExit(ORDER_ENTRY, file);
    assert.equal(code, 1, output);
    assert.doesNotMatch(output, NO_STACK, 'no stack trace');
    assert.doesNotMatch(output, /Starting server/, 'it must not run untraced');
    assert.match(output, /order\.yaml: Telemetry\.Endpoint: "http:\/\/127\.0\.0\.1:14268\/api\/traces" is the legacy Thrift collector path/);
    assert.match(output, /point Endpoint at Jaeger's OTLP receiver \(e\.g\. 127\.0\.0\.1:4318\)/);
  });

  const dataDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'zeroscope-startup-'));
    after(() => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  for (const [flag, env] of [
    ['--query-port', 'ZEROSCOPE_QUERY_PORT'],
    ['--otlp-grpc-port', 'ZEROSCOPE_OTLP_GRPC_PORT'],
  ] as const) {
    test(`zeroscope up with ${flag} taken: the address, the flag, exit 1, no stack`, async () => {
      const port = await takePort();
      const others = ['--query-port', '--otlp-http-port', '--otlp-grpc-port', '--zipkin-port'].filter((f) => f !== flag).flatMap((f) => [f, '0']);
      const { code, output } = await runCli(['up', '--data-dir', dataDir(), flag, String(port), ...others]);
      assert.equal(code, 1, output);
      assert.doesNotMatch(output, NO_STACK, 'no stack trace');
      assert.match(output, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(--host or \\$ZEROSCOPE_HOST, ${flag} or \\$${env}\\): address already in use`));
    });
  }

  test('zeroscope demo with the query port taken names --query-port', async () => {
    const port = await takePort();
    const { code, output } = await runCli(['demo', '--once', '--data-dir', dataDir(), '--query-port', String(port), '--otlp-http-port', '0', '--otlp-grpc-port', '0', '--zipkin-port', '0', '--order-port', '0', '--user-port', '0']);
    assert.equal(code, 1, output);
    assert.doesNotMatch(output, NO_STACK, 'no stack trace');
    assert.match(output, new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port} \\(--host or \\$ZEROSCOPE_HOST, --query-port or \\$ZEROSCOPE_QUERY_PORT\\): address already in use`));
  });

  test('zeroscope demo with the order-api port taken names --order-port', async () => {
    const port = await takePort();
    const ports = ['--query-port', '--otlp-http-port', '--otlp-grpc-port', '--zipkin-port', '--user-port'].flatMap((f) => [f, '0']);
    const { code, output } = await runCli(['demo', '--once', '--data-dir', dataDir(), ...ports, '--order-port', String(port)]);
    assert.equal(code, 1, output);
    assert.doesNotMatch(output, NO_STACK, 'no stack trace');
    assert.match(output, new RegExp(`order-api: cannot listen on 127\\.0\\.0\\.1:${port} \\(--order-port\\): address already in use`));
  });
});

