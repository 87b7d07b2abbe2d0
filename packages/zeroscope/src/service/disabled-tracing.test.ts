import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { logRequestError } from '../rest/respond.ts';
import { builtinMiddlewares } from '../rest/chain.ts';
import { RestServer } from '../rest/server.ts';
import { Breakers } from '../rpc/breaker/breakers.ts';
import { buildClientMiddlewares, buildServerChain, RpcServer } from '../rpc/index.ts';
import { tracingDisabled } from '../trace/index.ts';

// node --test runs each file in its own process, so this file owns the process-wide agent.
describe('Telemetry.Disabled', () => {
  it('leaves the Trace middlewares out of every chain built afterwards; the others stay', () => {
    const clientConf = { Middlewares: { Trace: true, Duration: true, Metrics: true, Breaker: true, Timeout: true }, Timeout: 2000 };
    const breakers = { breakers: new Breakers(), target: 'user' };
    assert.equal(tracingDisabled(), false);
    // Before: the Trace middlewares are there (no agent yet, but a provider may still come).
    assert.equal(buildClientMiddlewares(clientConf, undefined, breakers).length, 5);

    const rest = new RestServer({ Name: 'order', Port: 0, Telemetry: { Disabled: true } });
    assert.equal(tracingDisabled(), true);
    const restChain = builtinMiddlewares(rest.conf, logRequestError).map((m) => m.name);
    assert.ok(!restChain.includes('tracing'), restChain.join(','));
    assert.ok(restChain.includes('accessLog'), restChain.join(','));

    const rpc = new RpcServer({ Name: 'user.rpc', ListenOn: '127.0.0.1:0' });
    const serverNames = buildServerChain(rpc.conf).interceptors.map((i) => i.name);
    assert.deepEqual(serverNames, ['accessLogServerInterceptor', 'metricsServerInterceptor']);
    assert.equal(buildClientMiddlewares(clientConf, undefined, breakers).length, 4);
  });
});
