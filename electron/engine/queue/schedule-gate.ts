import { scheduleAt, type Schedule, type ScheduleState } from '../../../shared/schedule.ts';
import type { Clock } from '../clock.ts';
import type { DownloadRecord } from '../records/record.ts';

/** The time zone of the machine Haul runs on (the schedule's windows are its local time). */
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * The one owner of where the schedule stands: open (until when, with which limit) or closed
 * (until when), or no schedule at all. It wakes at each window's start and end (on the
 * injected clock) and says so; downloads started with "start now" pass at any time.
 */
export class ScheduleGate {
  readonly #clock: Clock;
  /** The zone, or undefined for this machine's: looked up only once a schedule is set (ICU's zone data costs ~8 MiB). */
  readonly #zone: string | undefined;
  readonly #changed: () => void;
  #schedule: Schedule | null = null;
  #state: ScheduleState | undefined;
  #cancelTimer: (() => void) | undefined;

  constructor(opts: { clock: Clock; zone: string | undefined; changed: () => void }) {
    this.#clock = opts.clock;
    this.#zone = opts.zone;
    this.#changed = opts.changed;
  }

  /** Takes the schedule of the settings (null: none) and says whether anything changed. */
  update(schedule: Schedule | null): void {
    this.#schedule = schedule;
    this.#recompute();
  }

  get state(): ScheduleState | undefined {
    return this.#state;
  }

  /** Whether a download may run now. */
  allows(rec: Pick<DownloadRecord, 'startNow'>): boolean {
    return this.#state === undefined || this.#state.open || rec.startNow === true;
  }

  /** When a queued download that may not run yet starts (ISO 8601); undefined when it may run. */
  startsAt(rec: Pick<DownloadRecord, 'startNow'>): string | undefined {
    const state = this.#state;
    return state === undefined || state.open || rec.startNow === true ? undefined : new Date(state.startsAt).toISOString();
  }

  /** The limit over all downloads while this state lasts: an open window's own, else the settings'. */
  limit(global: number): number {
    return this.#state?.open === true && this.#state.speedLimit !== null ? this.#state.speedLimit : global;
  }

  close(): void {
    this.#cancelTimer?.();
    this.#cancelTimer = undefined;
  }

  #recompute(): void {
    this.close();
    const before = this.#state;
    const now = this.#clock.now();
    this.#state = this.#schedule === null ? undefined : scheduleAt(this.#schedule, now, this.#zone ?? localZone());
    const state = this.#state;
    if (state !== undefined) {
      const next = state.open ? state.until : state.startsAt;
      this.#cancelTimer = this.#clock.setTimeout(() => this.#recompute(), Math.max(1_000, next - now));
    }
    if (JSON.stringify(before) !== JSON.stringify(state)) this.#changed();
  }
}
