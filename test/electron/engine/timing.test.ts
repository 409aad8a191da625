import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../helpers/manual-clock.ts';
import { RateLimiter } from '../../../electron/engine/policy/rate-limiter.ts';
import { backoffDelay, DEFAULT_RETRY, parseRetryAfter } from '../../../electron/engine/policy/retry.ts';

describe('backoff', () => {
  it('doubles per try with jitter between half and the full step, capped', () => {
    const opts = { ...DEFAULT_RETRY, baseDelayMs: 1000, maxDelayMs: 8000 };
    expect(backoffDelay(1, opts, () => 0)).toBe(500);
    expect(backoffDelay(1, opts, () => 0.999999)).toBe(1000);
    expect(backoffDelay(3, opts, () => 0)).toBe(2000);
    expect(backoffDelay(10, opts, () => 0.5)).toBe(6000);
  });

  it('honours Retry-After in seconds or as a date, capped', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(backoffDelay(1, { ...DEFAULT_RETRY, maxDelayMs: 60_000 }, () => 0, 3_600_000)).toBe(60_000);
  });
});

describe('RateLimiter', () => {
  it('lets a burst through, then asks to wait in proportion to the debt', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock, 1000, 250);
    expect(limiter.take(250)).toBe(0);
    expect(limiter.take(500)).toBe(500);
    clock.advance(500);
    expect(limiter.take(0)).toBe(0);
  });

  it('holds the long-run average to the rate and follows a new rate at once', () => {
    const clock = new ManualClock();
    const limiter = new RateLimiter(clock, 10_000);
    let sent = 0;
    for (let t = 0; t < 10_000; ) {
      const wait = limiter.take(1000);
      sent += 1000;
      t += Math.max(wait, 1);
      clock.advance(Math.max(wait, 1));
    }
    expect(sent / 10).toBeGreaterThan(9_500);
    expect(sent / 10).toBeLessThan(10_500);
    limiter.setRate(0);
    expect(limiter.take(1e9)).toBe(0);
  });
});
