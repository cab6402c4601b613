/** The machine-load reading `auto` workers use (util/cpu-window.ts). */
import { describe, expect, it } from 'vitest';
import { cpuSample, othersBusyCores, othersBusyNow } from '../../src/util/cpu-window.js';

describe('othersBusyCores', () => {
  it('is the machine CPU minus this process, per ms of wall time (hand-worked)', () => {
    // 500 ms: the machine used 600 ms of CPU, this process 500 ms of it → 0.2 of a core for the others
    expect(othersBusyCores({ atMs: 0, busyMs: 1000, ownMs: 0 }, { atMs: 500, busyMs: 1600, ownMs: 500 })).toBeCloseTo(0.2, 12);
    // two other processes each on a whole core for 300 ms
    expect(othersBusyCores({ atMs: 10, busyMs: 0, ownMs: 40 }, { atMs: 310, busyMs: 600, ownMs: 40 })).toBeCloseTo(2, 12);
  });
  it('never reads below 0 (the counters tick separately) and says nothing over a window too short to read', () => {
    expect(othersBusyCores({ atMs: 0, busyMs: 100, ownMs: 0 }, { atMs: 200, busyMs: 150, ownMs: 80 })).toBe(0);
    expect(othersBusyCores({ atMs: 0, busyMs: 0, ownMs: 0 }, { atMs: 99, busyMs: 500, ownMs: 0 })).toBeUndefined();
    expect(othersBusyCores({ atMs: 0, busyMs: 0, ownMs: 0 }, { atMs: 99, busyMs: 500, ownMs: 0 }, 50)).toBeCloseTo(500 / 99, 12);
  });
  it('reads this machine: finite, at least 0, and counts nothing this process burns itself', () => {
    const a = cpuSample();
    expect(Number.isFinite(a.busyMs) && Number.isFinite(a.ownMs) && a.busyMs > 0).toBe(true);
    // this thread busy for 150 ms of its own CPU (not of wall time: on a loaded machine 150 ms
    // of wall time once gave it 34 ms): its own CPU is subtracted, so at most the others remain
    const start = process.cpuUsage();
    const giveUp = performance.now() + 20_000;
    let x = 0;
    for (;;) {
      for (let i = 0; i < 10_000; i++) x += Math.sqrt(x + 1);
      const used = process.cpuUsage(start);
      if (used.user + used.system >= 150_000 || performance.now() > giveUp) break;
    }
    const b = cpuSample();
    expect(b.ownMs - a.ownMs).toBeGreaterThan(50);
    const others = othersBusyCores(a, b)!;
    expect(others).toBeGreaterThanOrEqual(0);
    expect(Number.isFinite(others)).toBe(true);
    expect(othersBusyNow(1e12)).toBeUndefined();
  });
});
