/**
 * Download windows (Settings `schedule`): when downloads may run, in the local time of the
 * machine Haul runs on. Pure: the time zone is a parameter, so tests pick one with daylight
 * saving and move the clock across its changes.
 */
export type Day = 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat' | 'sun';
export const DAYS: readonly Day[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

export interface ScheduleWindow {
  /** The days the window starts on (one crossing midnight ends the next day). */
  days: Day[];
  /** "HH:MM", 24-hour local time. */
  start: string;
  end: string;
  /** Bytes/s over all downloads while it lasts, instead of the global limit; null keeps the global one. */
  speedLimit: number | null;
}

export interface Schedule {
  windows: ScheduleWindow[];
}

/** Whether downloads may run now: inside a window (until when, with its limit), or not (from when). */
export type ScheduleState = { open: true; until: number; speedLimit: number | null } | { open: false; startsAt: number };

const MINUTE = 60_000;
const PROBE_HOURS = [-18, -15, -12, -9, -6, -3, 0, 3, 6, 9, 12, 15, 18];
/** Far enough to find every window of a week, with room for a day lost to a time change. */
const LOOKAHEAD_DAYS = 9;

/** "HH:MM" → minutes after midnight, or undefined when it is not a time of day. */
export function minutesOf(text: string): number | undefined {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/u.exec(text);
  return m === null ? undefined : Number(m[1]) * 60 + Number(m[2]);
}

/**
 * Where the schedule stands at `now` in time zone `zone`. Every window occurrence is turned
 * into real instants (start and end), so a daylight-saving change neither doubles nor skips
 * one: a start in the hour that does not exist begins when the clock jumps past it, and one in
 * the hour that happens twice begins the first time; a window lasts from its start to its
 * end's first occurrence after it.
 */
export function scheduleAt(schedule: Schedule, now: number, zone: string): ScheduleState {
  const spans = occurrences(schedule, now, zone);
  const inside = spans.filter((s) => s.start <= now && now < s.end);
  if (inside.length > 0) {
    // Overlapping windows: open until the last of them ends; the lowest limit holds.
    const limits = inside.map((s) => s.speedLimit).filter((l): l is number => l !== null);
    return { open: true, until: mergedEnd(spans, now), speedLimit: limits.length === 0 ? null : Math.min(...limits) };
  }
  const next = spans.filter((s) => s.start > now).sort((a, b) => a.start - b.start)[0];
  // A schedule with no day at all never opens: its next start is far away, and said so.
  return { open: false, startsAt: next?.start ?? now + LOOKAHEAD_DAYS * 24 * 60 * MINUTE };
}

interface Span {
  start: number;
  end: number;
  speedLimit: number | null;
}

/** The end of the run of overlapping or touching windows that `now` is in. */
function mergedEnd(spans: readonly Span[], now: number): number {
  let end = now;
  for (let grew = true; grew; ) {
    grew = false;
    for (const s of spans) {
      if (s.start <= end && s.end > end) {
        end = s.end;
        grew = true;
      }
    }
  }
  return end;
}

/** Each window's occurrences from the day before `now` to LOOKAHEAD_DAYS after, as instants. */
function occurrences(schedule: Schedule, now: number, zone: string): Span[] {
  const spans: Span[] = [];
  const today = localDate(now, zone);
  for (let offset = -1; offset < LOOKAHEAD_DAYS; offset++) {
    const date = addDays(today, offset);
    const day = dayOf(date);
    for (const w of schedule.windows) {
      if (!w.days.includes(day)) continue;
      const startMin = minutesOf(w.start);
      const endMin = minutesOf(w.end);
      if (startMin === undefined || endMin === undefined) continue;
      const start = instantOf(date, startMin, zone);
      // The end falls on the same day, or the next when it is not later than the start (crossing midnight).
      const end = instantOf(endMin > startMin ? date : addDays(date, 1), endMin, zone);
      if (end > start) spans.push({ start, end, speedLimit: w.speedLimit });
    }
  }
  return spans;
}

interface LocalDate {
  year: number;
  month: number;
  day: number;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** The local date and time at `ms` in `zone`. */
function localParts(ms: number, zone: string): LocalDate & { minutes: number } {
  let format = formats.get(zone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
    formats.set(zone, format);
  }
  const parts = Object.fromEntries(format.formatToParts(ms).map((p) => [p.type, p.value]));
  return { year: Number(parts['year']), month: Number(parts['month']), day: Number(parts['day']), minutes: Number(parts['hour']) * 60 + Number(parts['minute']) };
}

function localDate(ms: number, zone: string): LocalDate {
  const { year, month, day } = localParts(ms, zone);
  return { year, month, day };
}

function addDays(date: LocalDate, days: number): LocalDate {
  const d = new Date(Date.UTC(date.year, date.month - 1, date.day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

function dayOf(date: LocalDate): Day {
  return DAYS[(new Date(Date.UTC(date.year, date.month - 1, date.day)).getUTCDay() + 6) % 7] ?? 'mon';
}

/**
 * The first instant whose local time in `zone` is `date` at `minutes`, or (when the clock
 * skips that time) the first instant after the jump. Found by guessing with the zone's offset
 * and correcting: offsets change at most twice near any one day.
 */
function instantOf(date: LocalDate, minutes: number, zone: string): number {
  const wanted = Date.UTC(date.year, date.month - 1, date.day) + minutes * MINUTE;
  // Candidates: the wall time read as UTC, shifted by each offset the zone has around it (zones
  // are up to 14 h from UTC, so the offsets are sampled that far either side).
  const offsets = new Set(PROBE_HOURS.map((h) => offsetAt(wanted + h * 3_600_000, zone)));
  const exact = [...offsets].map((o) => wanted - o).filter((t) => wallOf(t, zone) === wanted);
  if (exact.length > 0) return Math.min(...exact);
  // Skipped (spring forward): the jump is the first instant whose wall time is past the wanted one.
  let t = wanted - Math.max(...offsets);
  while (wallOf(t, zone) < wanted) t += MINUTE;
  while (wallOf(t - MINUTE, zone) > wanted) t -= MINUTE;
  return t;
}

/** `ms`'s wall time in `zone`, read as if it were UTC. */
function wallOf(ms: number, zone: string): number {
  const p = localParts(ms, zone);
  return Date.UTC(p.year, p.month - 1, p.day) + p.minutes * MINUTE;
}

function offsetAt(ms: number, zone: string): number {
  return wallOf(Math.floor(ms / MINUTE) * MINUTE, zone) - Math.floor(ms / MINUTE) * MINUTE;
}
