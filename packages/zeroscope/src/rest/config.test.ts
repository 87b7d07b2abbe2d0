import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { RestConfSchema } from './config.ts';

describe('RestConfSchema', () => {
  test("fills go-zero's defaults", () => {
    assert.deepEqual(RestConfSchema.parse({ Name: 'order-api', Port: 8888 }), {
      Name: 'order-api',
      Mode: 'pro',
      Host: '0.0.0.0',
      Port: 8888,
      Timeout: 3000,
      MaxConns: 10000,
      MaxBytes: 1048576,
      CpuThreshold: 900,
      Middlewares: { Trace: true, Log: true, Metrics: true, MaxConns: true, Shedding: true, Timeout: true, Recover: true, MaxBytes: true, Gunzip: true },
    });
  });

  test('keeps Telemetry and partial Middlewares', () => {
    const conf = RestConfSchema.parse({
      Name: 'a',
      Port: 0,
      Telemetry: { Endpoint: '127.0.0.1:4318' },
      Middlewares: { Trace: false },
    });
    assert.equal(conf.Telemetry?.Endpoint, '127.0.0.1:4318');
    assert.equal(conf.Middlewares.Trace, false);
    assert.equal(conf.Middlewares.Recover, true);
  });

  test('rejects a missing or out-of-range Port, wrong types and unknown keys', () => {
    const bad = [
      { Name: 'a' },
      { Name: 'a', Port: 70000 },
      { Name: 'a', Port: 1.5 },
      { Name: 'a', Port: 80, Timeout: '3s' },
      { Name: 'a', Port: 80, Verbose: true },
      { Name: 'a', Port: 80, Middlewares: { Tracing: true } },
    ];
    for (const input of bad) assert.equal(RestConfSchema.safeParse(input).success, false, JSON.stringify(input));
  });
});
