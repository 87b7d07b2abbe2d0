import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeExportResponse, encodeRpcStatus, exportResponseJson, otlpTypes, retryInfoDetail, rpcStatusJson } from './index.ts';

describe('export responses', () => {
  it('encodes plain success as an empty message and {}', () => {
    assert.equal(encodeExportResponse().length, 0);
    assert.equal(exportResponseJson(), '{}');
  });

  it('encodes partial success in both encodings', () => {
    const partial = { rejectedSpans: 3, errorMessage: 'too old' };
    const decoded = otlpTypes.ExportTraceServiceResponse.toObject(
      otlpTypes.ExportTraceServiceResponse.decode(encodeExportResponse(partial)),
      { longs: Number },
    );
    assert.deepEqual(decoded, { partialSuccess: { rejectedSpans: 3, errorMessage: 'too old' } });
    assert.deepEqual(JSON.parse(exportResponseJson(partial)), { partialSuccess: { rejectedSpans: '3', errorMessage: 'too old' } });
  });
});

describe('google.rpc.Status', () => {
  it('round-trips code, message and a RetryInfo detail', () => {
    const bytes = encodeRpcStatus({ code: 14, message: 'busy', details: [retryInfoDetail(2.5)] });
    const status = otlpTypes.RpcStatus.decode(bytes) as any;
    assert.equal(status.code, 14);
    assert.equal(status.message, 'busy');
    assert.equal(status.details[0].type_url, 'type.googleapis.com/google.rpc.RetryInfo');
    const retry = otlpTypes.RetryInfo.toObject(otlpTypes.RetryInfo.decode(status.details[0].value), { longs: Number });
    assert.deepEqual(retry, { retryDelay: { seconds: 2, nanos: 500_000_000 } });
  });

  it('renders JSON as {code, message, details}', () => {
    assert.deepEqual(JSON.parse(rpcStatusJson({ code: 3, message: 'bad id' })), { code: 3, message: 'bad id', details: [] });
  });
});
