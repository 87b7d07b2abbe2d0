import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BadTraceIdError, UiErrorCodes } from '../errors.ts';
import { idToHex, parseTraceInput } from './ids.ts';

describe('idToHex', () => {
  it('decodes protojson base64 trace and span ids', () => {
    const trace = '4bf92f3577b34da6a3ce929d0e0e4736';
    assert.equal(idToHex(Buffer.from(trace, 'hex').toString('base64')), trace);
    assert.equal(idToHex('APBnqgupArc='), '00f067aa0ba902b7');
  });
  it('decodes url-safe base64 and keeps hex ids as they are', () => {
    const hex = 'fbff0000000000000000000000000001';
    const urlSafe = Buffer.from(hex, 'hex').toString('base64url');
    assert.equal(idToHex(urlSafe), hex);
    assert.equal(idToHex('00F067AA0BA902B7'), '00f067aa0ba902b7');
  });
  it('returns empty for missing, empty, all-zero or garbage ids', () => {
    assert.equal(idToHex(undefined), '');
    assert.equal(idToHex(''), '');
    assert.equal(idToHex('AAAAAAAAAAA='), '');
    assert.equal(idToHex('not base64!'), '');
  });
});

describe('parseTraceInput', () => {
  it('accepts a 32-digit trace id, trimming and lower-casing it', () => {
    assert.deepEqual(parseTraceInput('  4BF92F3577B34DA6A3CE929D0E0E4736 '), { traceId: '4bf92f3577b34da6a3ce929d0e0e4736' });
  });
  it('pads a short (64-bit) id to 32 digits', () => {
    assert.deepEqual(parseTraceInput('a3ce929d0e0e4736'), { traceId: '0000000000000000a3ce929d0e0e4736' });
  });
  it('takes trace and span from a traceparent, with or without the header name', () => {
    const expected = { traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' };
    assert.deepEqual(parseTraceInput('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'), expected);
    assert.deepEqual(parseTraceInput('traceparent: 00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-00'), expected);
  });
  it('drops an all-zero span id from a traceparent', () => {
    assert.deepEqual(parseTraceInput('00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'), {
      traceId: '4bf92f3577b34da6a3ce929d0e0e4736',
    });
  });
  for (const bad of ['', 'xyz', '0'.repeat(32), 'a'.repeat(33), '00-00000000000000000000000000000000-00f067aa0ba902b7-01', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01']) {
    it(`rejects ${JSON.stringify(bad)} with a coded error`, () => {
      assert.throws(() => parseTraceInput(bad), (err: unknown) => err instanceof BadTraceIdError && err.code === UiErrorCodes.BAD_TRACE_ID);
    });
  }
});
