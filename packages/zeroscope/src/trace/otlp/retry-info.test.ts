import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import protobuf from 'protobufjs';
import { retryDelayMillis } from './retry-info.ts';

/** A google.rpc.Status with the given details, written with protobufjs (not the reader under test). */
function status(...details: Array<{ typeUrl: string; value: Uint8Array }>): Uint8Array {
  const w = protobuf.Writer.create().uint32(8).int32(14).uint32(18).string('unavailable');
  for (const d of details) {
    const any = protobuf.Writer.create().uint32(10).string(d.typeUrl).uint32(18).bytes(d.value).finish();
    w.uint32(26).bytes(any);
  }
  return w.finish();
}

function retryInfo(seconds: number, nanos: number): { typeUrl: string; value: Uint8Array } {
  const duration = protobuf.Writer.create().uint32(8).int64(seconds).uint32(16).int32(nanos).finish();
  return { typeUrl: 'type.googleapis.com/google.rpc.RetryInfo', value: protobuf.Writer.create().uint32(10).bytes(duration).finish() };
}

describe('retryDelayMillis (google.rpc.RetryInfo in grpc-status-details-bin)', () => {
  it('reads the delay, after details of other types', () => {
    const debugInfo = { typeUrl: 'type.googleapis.com/google.rpc.DebugInfo', value: protobuf.Writer.create().uint32(18).string('x').finish() };
    assert.equal(retryDelayMillis(status(debugInfo, retryInfo(2, 500_000_000))), 2500);
    assert.equal(retryDelayMillis(status(retryInfo(0, 250_000_000))), 250);
    assert.equal(retryDelayMillis(status(retryInfo(90, 0))), 90_000);
  });

  it('is undefined without RetryInfo and for bytes that do not parse; a zero delay is 0', () => {
    assert.equal(retryDelayMillis(undefined), undefined);
    assert.equal(retryDelayMillis(status()), undefined);
    assert.equal(retryDelayMillis(status(retryInfo(0, 0))), 0);
    assert.equal(retryDelayMillis(Uint8Array.from([0x1a, 0x7f, 0x01])), undefined, 'truncated detail');
    assert.equal(retryDelayMillis(Uint8Array.from([0xff, 0xff, 0xff])), undefined, 'truncated varint');
  });
});
