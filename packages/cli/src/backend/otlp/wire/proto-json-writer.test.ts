import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type protobuf from 'protobufjs';
import { RandomMessages } from '../../api/testing/random-traces.ts';
import { createRng } from '../../../../../../test/lib/random.ts';
import { otlpTypes } from '../schema.ts';
import { JsonOut } from './json-out.ts';
import { messageSpec } from './proto-json-spec.ts';
import { ProtoJsonWriter } from './proto-json-writer.ts';

// The reference this fast path stands in for: protobufjs decode + toObject + JSON.stringify.
const TO_OBJECT: protobuf.IConversionOptions = { longs: String, enums: String, bytes: String, defaults: false, json: true };
const type = otlpTypes.TracesData;
const spec = messageSpec(type);

function reference(bytes: Uint8Array): string {
  return JSON.stringify(type.toObject(type.decode(bytes), TO_OBJECT));
}

function written(bytes: Uint8Array): string {
  const out = new JsonOut(64);
  new ProtoJsonWriter(out).message(spec, bytes, 0, bytes.length, 0);
  return out.buf.toString('utf8', 0, out.pos);
}

/** Same text, or both throw. */
function agree(bytes: Uint8Array, label: string): 'ok' | 'threw' {
  let expected: string;
  try {
    expected = reference(bytes);
  } catch (err) {
    assert.throws(() => written(bytes), Error, `${label}: protobufjs threw (${String(err)}), the writer did not`);
    return 'threw';
  }
  assert.equal(written(bytes), expected, label);
  return 'ok';
}

describe('ProtoJsonWriter (fast path) against protobufjs decode + toObject', () => {
  it('writes the same JSON for random TracesData, irregular wire included', () => {
    for (let seed = 1; seed <= 80; seed++) {
      const bytes = new RandomMessages(seed, { irregularity: seed % 3 === 0 ? 0 : 0.3, maxRepeat: 3, maxValueDepth: 3 }).message(type);
      assert.equal(agree(bytes, `seed ${seed}`), 'ok');
    }
  });

  it('throws where protobufjs throws on cut or overwritten bytes, and agrees where it does not', () => {
    const random = createRng(7).next;
    const outcomes = { ok: 0, threw: 0 };
    for (let seed = 1; seed <= 40; seed++) {
      const bytes = new RandomMessages(500 + seed, { irregularity: 0.15, maxRepeat: 3, maxValueDepth: 2 }).message(type);
      outcomes[agree(bytes.subarray(0, Math.floor(random() * bytes.length)), `seed ${seed} cut`)]++;
      const flipped = Uint8Array.from(bytes);
      for (let i = 0; i < 3; i++) flipped[Math.floor(random() * flipped.length)] = Math.floor(random() * 256);
      outcomes[agree(flipped, `seed ${seed} flipped`)]++;
    }
    assert.ok(outcomes.ok > 5 && outcomes.threw > 5, `both outcomes covered: ${JSON.stringify(outcomes)}`);
  });
});
