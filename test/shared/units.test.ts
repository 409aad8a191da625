import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../shared/units.ts';

describe('formatBytes without a locale', () => {
  it('writes in English what Intl writes for en-US, without loading Intl (sizes across every unit and rounding edge)', () => {
    const sizes = [0, 1, 999, 1000, 1023, 1024, 1075, 99.94 * 1024, 99.96 * 1024, 1024 ** 2 * 512.4, 1024 ** 3 * 1.05, 1024 ** 4 * 3, 1024 ** 5 * 12_345];
    const intl = (n: number, digits: number) => new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(n);
    for (const n of sizes) {
      const [number, unit] = formatBytes(n).split(' ');
      const value = n / 1024 ** ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'].indexOf(unit ?? '');
      expect(number, String(n)).toBe(intl(value, unit === 'B' || value >= 100 ? 0 : 1));
      expect(formatBytes(n, 'en')).toBe(formatBytes(n));
    }
    expect(formatBytes(1536, 'zh-CN')).toBe('1.5 KiB');
    expect(formatBytes(-1)).toBe('–');
  });
});
