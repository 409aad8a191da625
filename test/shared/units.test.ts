import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../shared/units.ts';

describe('formatBytes without a locale', () => {
  it('writes what Intl writes for en-US, without loading Intl (sizes across every unit and rounding edge)', () => {
    const sizes = [0, 1, 999, 1000, 1023, 1024, 1075, 99.94 * 1024, 99.96 * 1024, 1024 ** 2 * 512.4, 1024 ** 3 * 1.05, 1024 ** 4 * 3, 1024 ** 5 * 12_345];
    for (const n of sizes) expect(formatBytes(n), String(n)).toBe(formatBytes(n, 'en-US'));
    expect(formatBytes(-1)).toBe('–');
  });
});
