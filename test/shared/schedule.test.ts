import { describe, expect, it } from 'vitest';
import { parseSettingsBody } from '../../shared/settings-body.ts';
import { scheduleAt, type Schedule } from '../../shared/schedule.ts';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number): string => new Date(ms).toISOString();
const everyDay = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

describe('download windows in local time', () => {
  it('is open inside a window and closed outside, with when it changes', () => {
    const s: Schedule = { windows: [{ days: [...everyDay], start: '01:00', end: '07:00', speedLimit: 2048 }] };
    expect(scheduleAt(s, at('2026-12-07T03:00:00Z'), 'UTC')).toEqual({ open: true, until: at('2026-12-07T07:00:00Z'), speedLimit: 2048 });
    expect(scheduleAt(s, at('2026-12-07T08:00:00Z'), 'UTC')).toEqual({ open: false, startsAt: at('2026-12-08T01:00:00Z') });
    expect(scheduleAt(s, at('2026-12-07T07:00:00Z'), 'UTC').open).toBe(false);
  });

  it('crosses midnight from the day it starts, and only from that day', () => {
    const s: Schedule = { windows: [{ days: ['mon'], start: '23:00', end: '01:00', speedLimit: null }] };
    // 2026-12-07 is a Monday.
    expect(scheduleAt(s, at('2026-12-07T23:30:00Z'), 'UTC')).toEqual({ open: true, until: at('2026-12-08T01:00:00Z'), speedLimit: null });
    expect(scheduleAt(s, at('2026-12-08T00:30:00Z'), 'UTC')).toMatchObject({ open: true });
    expect(scheduleAt(s, at('2026-12-08T23:30:00Z'), 'UTC')).toEqual({ open: false, startsAt: at('2026-12-14T23:00:00Z') });
  });

  it('reads the windows in the machine’s zone, and runs overlapping windows as one with the lower limit', () => {
    const s: Schedule = {
      windows: [
        { days: [...everyDay], start: '01:00', end: '03:00', speedLimit: 500 },
        { days: [...everyDay], start: '02:00', end: '05:00', speedLimit: 100 },
      ],
    };
    // Tokyo is UTC+9: 02:30 there is 17:30 UTC the day before.
    expect(scheduleAt(s, at('2026-12-06T17:30:00Z'), 'Asia/Tokyo')).toEqual({ open: true, until: at('2026-12-06T20:00:00Z'), speedLimit: 100 });
  });

  it('neither skips nor doubles a window when the clocks go forward (Berlin, 29 March 2026)', () => {
    const s: Schedule = { windows: [{ days: ['sun'], start: '02:30', end: '05:00', speedLimit: null }] };
    // 02:30 does not exist that night: the window opens when the clock jumps to 03:00 (01:00 UTC).
    expect(iso((scheduleAt(s, at('2026-03-28T12:00:00Z'), 'Europe/Berlin') as { startsAt: number }).startsAt)).toBe('2026-03-29T01:00:00.000Z');
    expect(scheduleAt(s, at('2026-03-29T01:10:00Z'), 'Europe/Berlin')).toEqual({ open: true, until: at('2026-03-29T03:00:00Z'), speedLimit: null });
    expect(iso((scheduleAt(s, at('2026-03-29T03:00:00Z'), 'Europe/Berlin') as { startsAt: number }).startsAt)).toBe('2026-04-05T00:30:00.000Z');
  });

  it('neither skips nor doubles a window when the clocks go back (Berlin, 25 October 2026)', () => {
    const s: Schedule = { windows: [{ days: ['sun'], start: '01:00', end: '07:00', speedLimit: null }] };
    // 01:00 CEST is 23:00 UTC; 07:00 CET is 06:00 UTC: one window, seven real hours, opened once.
    expect(scheduleAt(s, at('2026-10-24T20:00:00Z'), 'Europe/Berlin')).toEqual({ open: false, startsAt: at('2026-10-24T23:00:00Z') });
    expect(scheduleAt(s, at('2026-10-25T01:30:00Z'), 'Europe/Berlin')).toEqual({ open: true, until: at('2026-10-25T06:00:00Z'), speedLimit: null });
    expect(scheduleAt(s, at('2026-10-25T06:00:00Z'), 'Europe/Berlin')).toEqual({ open: false, startsAt: at('2026-11-01T00:00:00Z') }); // 01:00 CET, now winter time
    // A window inside the hour that happens twice (02:00–02:30) opens the first time only.
    const twice: Schedule = { windows: [{ days: ['sun'], start: '02:00', end: '02:30', speedLimit: null }] };
    expect(scheduleAt(twice, at('2026-10-25T00:10:00Z'), 'Europe/Berlin')).toEqual({ open: true, until: at('2026-10-25T00:30:00Z'), speedLimit: null });
    expect(scheduleAt(twice, at('2026-10-25T01:10:00Z'), 'Europe/Berlin').open).toBe(false);
  });
});

describe('the schedule as Settings take it', () => {
  it('keeps a valid schedule and names what is wrong in a bad one', () => {
    const good = { windows: [{ days: ['mon', 'mon', 'fri'], start: '23:00', end: '06:00', speedLimit: 1024 }] };
    expect(parseSettingsBody({ schedule: good })).toEqual({ ok: true, value: { schedule: { windows: [{ days: ['mon', 'fri'], start: '23:00', end: '06:00', speedLimit: 1024 }] } } });
    expect(parseSettingsBody({ schedule: null })).toEqual({ ok: true, value: { schedule: null } });
    const wrong = (schedule: unknown): string => {
      const parsed = parseSettingsBody({ schedule });
      return parsed.ok ? 'accepted' : parsed.message;
    };
    expect(wrong({ windows: [] })).toMatch(/at least one window/u);
    expect(wrong({ windows: [{ days: ['someday'], start: '01:00', end: '02:00' }] })).toMatch(/"schedule.windows\[0\].days" must list days among mon/u);
    expect(wrong({ windows: [good.windows[0], { days: ['tue'], start: '25:00', end: '02:00' }] })).toMatch(/"schedule.windows\[1\].start" must be a time such as "01:00"/u);
    expect(wrong({ windows: [{ days: ['tue'], start: '02:00', end: '02:00' }] })).toMatch(/starts and ends at 02:00/u);
    expect(wrong({ windows: [{ days: ['tue'], start: '01:00', end: '02:00', speedLimit: -1 }] })).toMatch(/speedLimit" must be a whole number/u);
  });
});
