import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AdaptiveShedder, createShedder, fixedCpuSampler, ProcessCpuSampler, RollingWindow } from './index.ts';

/** A shedder on a fake clock and a fake CPU, with a window of 10 slots of 100 ms. */
function rig(cpuMillis: number) {
  let t = 0;
  const cpu = fixedCpuSampler(cpuMillis);
  const shedder = new AdaptiveShedder({ cpuThreshold: 900, windowMs: 1000, buckets: 10, cpu, now: () => t });
  return { shedder, cpu, advance: (ms: number) => void (t += ms) };
}

/** Admits `n` requests, each finishing after `rtMs`, in one slot; returns how many were shed. */
function wave(r: ReturnType<typeof rig>, n: number, rtMs: number): number {
  let shed = 0;
  const admitted = [];
  for (let i = 0; i < n; i++) {
    const d = r.shedder.allow();
    if (d.admitted) admitted.push(d.admission);
    else shed++;
  }
  r.advance(rtMs);
  for (const a of admitted) a.pass();
  return shed;
}

describe('AdaptiveShedder', () => {
  it('never sheds while CPU is under the threshold, however many are in flight', () => {
    const r = rig(500);
    for (let i = 0; i < 20; i++) assert.equal(wave(r, 200, 50), 0);
  });

  it('sheds when CPU is over the threshold AND in-flight work exceeds what the window completes', () => {
    const r = rig(950);
    // History: 10 requests per 100 ms slot at 10 ms each => about 1 in flight fits.
    let shed = 0;
    for (let i = 0; i < 30; i++) shed += wave(r, 10, 100);
    // Then a pile-up of slow requests: admitted ones hold slots, the average climbs, shedding starts.
    const held = [];
    for (let i = 0; i < 200; i++) {
      const d = r.shedder.allow();
      if (d.admitted) held.push(d.admission);
      else {
        shed++;
        assert.ok(d.reason.flying > d.reason.maxFlight && d.reason.cpu === 950, JSON.stringify(d.reason));
      }
      // Some finish now and then, so the in-flight average follows the pile-up.
      if (i % 4 === 3) held.shift()?.pass();
    }
    assert.ok(shed > 0, 'some requests were shed');
    assert.ok(held.length > 0, 'some were still admitted');
  });

  it('a busy CPU with requests arriving one at a time sheds nothing (the window says they fit)', () => {
    const r = rig(990);
    for (let i = 0; i < 300; i++) assert.equal(wave(r, 1, 10), 0);
  });

  it('pass/fail are idempotent: the in-flight count never goes negative', () => {
    const r = rig(0);
    const d = r.shedder.allow();
    assert.ok(d.admitted);
    d.admission.pass();
    d.admission.fail();
    d.admission.pass();
    assert.equal(r.shedder.stats().flying, 0);
  });

  it('createShedder: CpuThreshold 0 turns shedding off', () => {
    assert.equal(createShedder(0, fixedCpuSampler(1000)), undefined);
    assert.ok(createShedder(900, fixedCpuSampler(0)));
  });
});

describe('RollingWindow', () => {
  it('ignores the current slot and slots older than the window', () => {
    let t = 0;
    const w = new RollingWindow(3, 100, () => t);
    w.add(5);
    const seen = () => {
      const out: number[] = [];
      w.reduce((sum) => out.push(sum));
      return out;
    };
    assert.deepEqual(seen(), [], 'current slot ignored');
    t = 100;
    w.add(7);
    assert.deepEqual(seen(), [5]);
    t = 350;
    assert.deepEqual(seen(), [7], 'slot 0 aged out');
  });
});

describe('ProcessCpuSampler', () => {
  it('reports millicpu within 0..1000 once sampling', async () => {
    const s = new ProcessCpuSampler();
    s.acquire();
    const until = performance.now() + 600;
    while (performance.now() < until) {
      // Burn CPU so the smoothed figure moves off zero.
      for (let i = 0; i < 1e5; i++) Math.sqrt(i);
      await new Promise((r) => setImmediate(r));
    }
    s.release();
    assert.ok(s.usage() > 0 && s.usage() <= 1000, String(s.usage()));
  });
});
