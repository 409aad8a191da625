import type { RateLimiter } from '../policy/rate-limiter.ts';
import type { Publisher } from '../records/publisher.ts';
import type { RecordBook } from '../records/record-book.ts';
import type { RunQueue } from './run-queue.ts';
import type { ScheduleGate } from './schedule-gate.ts';

export interface FollowScheduleDeps {
  gate: ScheduleGate;
  book: RecordBook;
  queue: RunQueue;
  publisher: Publisher;
  limiter: RateLimiter;
  /** The settings' limit over all downloads. */
  globalLimit(): number;
  pump(): void;
}

/**
 * What a window opening or closing does: the window's limit holds (or the settings' again);
 * downloads running here that may not run any more go back to the queue with their progress
 * (to resume from there at the next window); every queued one is shown anew (scheduled, and
 * when it starts, or queued); free slots fill.
 */
export function followSchedule(deps: FollowScheduleDeps): void {
  deps.limiter.setRate(deps.gate.limit(deps.globalLimit()));
  for (const rec of deps.book.all()) {
    if (rec.status === 'downloading' && deps.queue.source(rec.id) !== undefined && !deps.gate.allows(rec)) {
      deps.book.transition(rec.id, { kind: 'requeued' });
      void deps.queue.stop(rec.id, 'schedule');
    } else if (rec.status === 'queued') deps.publisher.publish(rec.id);
  }
  deps.pump();
}
