import { describe, expect, it } from 'vitest';
import { etaSeconds, formatBytes, formatDuration, parseByteRate } from '../../shared/units.ts';
import { makeI18n } from '../../renderer/src/i18n/i18n.tsx';
import { CATALOGS, en, interpolate, pickLocale, zhCN } from '../../renderer/src/i18n/messages.ts';
import { fraction, matchesFilter, statusView } from '../../renderer/src/state/status-view.ts';
import { DOWNLOAD_STATUSES, type Download } from '../../shared/api.ts';

describe('units', () => {
  it('formats sizes in binary units for the locale', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1536, 'en')).toBe('1.5 KiB');
    expect(formatBytes(5 * 1024 ** 3, 'en')).toBe('5.0 GiB');
    expect(formatBytes(123.4 * 1024 ** 2, 'en')).toBe('123 MiB');
    expect(formatBytes(1536, 'de')).toBe('1,5 KiB');
  });
  it('formats durations and ETAs', () => {
    expect(formatDuration(42)).toBe('42s');
    expect(formatDuration(185)).toBe('3m 05s');
    expect(formatDuration(3720)).toBe('1h 02m');
    expect(etaSeconds(50, 100, 10)).toBe(5);
    expect(etaSeconds(50, null, 10)).toBeUndefined();
    expect(etaSeconds(50, 100, 0)).toBeUndefined();
  });
  it('parses rates', () => {
    expect(parseByteRate('500K')).toBe(512_000);
    expect(parseByteRate('2M')).toBe(2 * 1024 * 1024);
    expect(parseByteRate('1.5MB/s')).toBe(1_500_000);
    expect(parseByteRate('fast')).toBeUndefined();
  });
});

describe('i18n', () => {
  it('has every English string in Chinese, none left in English by mistake', () => {
    expect(Object.keys(zhCN).sort()).toEqual(Object.keys(en).sort());
    const untranslated = Object.entries(zhCN).filter(([key, text]) => text === en[key as keyof typeof en] && key !== 'app.title');
    expect(untranslated).toEqual([]);
  });
  it('follows the browser locale', () => {
    expect(pickLocale(['zh-CN', 'en'])).toBe('zh-CN');
    expect(pickLocale(['zh-TW'])).toBe('zh-CN');
    expect(pickLocale(['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLocale([])).toBe('en');
  });
  it('formats numbers, percents, durations and dates for the locale', () => {
    const zh = makeI18n('zh-CN');
    expect(zh.t('row.eta', { time: zh.duration(185) })).toMatch(/^剩余 3\D+5\D*$/u);
    expect(zh.percent(0.42)).toBe('42%');
    expect(zh.date('2026-11-24T08:30:00Z')).toMatch(/2026年11月24日/u);
    const en1 = makeI18n('en');
    expect(en1.number(12345)).toBe('12,345');
    expect(en1.t('totals.active', { count: 3 })).toBe('3 active');
    expect(interpolate('{a} and {b}', { a: 1 })).toBe('1 and {b}');
    expect(Object.keys(CATALOGS)).toEqual(['en', 'zh-CN']);
  });
  it("picks plural forms by the locale's rules", () => {
    const en1 = makeI18n('en');
    expect(en1.t('add.added', { count: 1 })).toBe('Added 1 download.');
    expect(en1.t('add.added', { count: 3 })).toBe('Added 3 downloads.');
    expect(en1.t('add.added', { count: 1200 })).toBe('Added 1,200 downloads.');
    expect(makeI18n('zh-CN').t('add.added', { count: 3 })).toBe('已添加 3 个下载。');
    expect(interpolate('{n, plural, one {# file} other {# files}} in {dir}', { n: 1, dir: '/d' })).toBe('1 file in /d');
    expect(interpolate('{n, plural, one {# file} other {# files}}', {})).toBe('{n, plural, one {# file} other {# files}}');
  });
});

describe('state mapping', () => {
  it('maps every status to a label and the actions it allows', () => {
    for (const status of DOWNLOAD_STATUSES) expect(en[statusView(status).label]).toBeDefined();
    expect(statusView('downloading')).toMatchObject({ canPause: true, canResume: false });
    expect(statusView('paused')).toMatchObject({ canPause: false, canResume: true });
    expect(statusView('failed')).toMatchObject({ canRetry: true, tone: 'danger' });
    expect(statusView('completed')).toMatchObject({ canOpen: true, canPause: false });
  });
  it('filters and measures', () => {
    const d = { status: 'paused', received: 25, total: 100 } as Download;
    expect(matchesFilter(d, 'active')).toBe(true);
    expect(matchesFilter(d, 'completed')).toBe(false);
    expect(fraction(d)).toBe(0.25);
    expect(fraction({ received: 5, total: null })).toBeNull();
  });
});
