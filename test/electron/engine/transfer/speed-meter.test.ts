import { describe, expect, it } from 'vitest';
import { SpeedMeter } from '../../../../electron/engine/transfer/speed-meter.ts';

const MiB = 1024 * 1024;

/** Samples `bytesAt(t)` every 100 ms (as the engine's tick does) from 0 to `untilMs`; returns the readings by time. */
function run(bytesAt: (t: number) => number, untilMs: number): Map<number, number> {
  const meter = new SpeedMeter();
  const readings = new Map<number, number>();
  for (let t = 0; t <= untilMs; t += 100) {
    meter.sample(bytesAt(t), t);
    readings.set(t, meter.speed);
  }
  return readings;
}

function within(readings: Map<number, number>, fromMs: number, rate: number, tolerance: number): Array<[number, number]> {
  return [...readings].filter(([t, speed]) => t >= fromMs && Math.abs(speed - rate) > rate * tolerance);
}

describe('SpeedMeter', () => {
  it('reads a steady transfer exactly', () => {
    const readings = run((t) => (t * 12 * MiB) / 1000, 10_000);
    expect(within(readings, 300, 12 * MiB, 0.001)).toEqual([]);
  });

  it.each([
    ['a second', 1000],
    ['half a second', 500],
    ['1.3 seconds', 1300],
  ])('stays within 15%% of the true rate from 2 s on when bytes come in bursts every $0', (_label, period) => {
    const rate = 12 * MiB;
    // The whole period's bytes land at its start, nothing in between.
    const readings = run((t) => (Math.floor(t / period) + 1) * ((rate * period) / 1000), 20_000);
    expect(within(readings, 2000, rate, 0.15)).toEqual([]);
  });

  it('never reads a burst at the start as the rate', () => {
    // 8 MiB at once (a server's first write), then 1 MiB/s.
    const readings = run((t) => 8 * MiB + (t * MiB) / 1000, 10_000);
    expect(within(readings, 2000, MiB, 0.15)).toEqual([]);
  });

  it('falls to 0 once nothing arrives, within the window', () => {
    const meter = new SpeedMeter(5_000);
    for (let t = 0; t <= 3_000; t += 100) meter.sample(t * 1000, t);
    expect(meter.speed).toBe(1_000_000);
    for (let t = 3_100; t <= 9_000; t += 100) meter.sample(3_000_000, t);
    expect(meter.speed).toBe(0);
  });

  it('starts a new window when the counter goes down (the file started over)', () => {
    const meter = new SpeedMeter();
    meter.sample(0, 0);
    meter.sample(5_000_000, 1000);
    meter.sample(100, 1100);
    meter.sample(100_100, 1200);
    meter.sample(200_100, 1300);
    expect(meter.speed).toBe(1_000_000);
  });
});
