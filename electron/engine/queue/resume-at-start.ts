import type { Publisher } from '../records/publisher.ts';
import type { RecordBook } from '../records/record-book.ts';
import type { TorrentSeeder } from '../torrent/torrent-seeder.ts';
import type { RunQueue } from './run-queue.ts';
import type { ScheduleGate } from './schedule-gate.ts';

export interface ResumeDeps {
  book: RecordBook;
  publisher: Publisher;
  gate: ScheduleGate;
  queue: RunQueue;
  seeder: TorrentSeeder;
  maxConcurrent: number;
  /** Several nodes share the journal: what is marked running is other nodes' until their leases lapse. */
  shared: boolean;
}

/**
 * Takes up what a stopped Haul left: every stored download is loaded; the ones that were
 * running resume first (those outside the download windows, or past the running limit, wait in
 * the queue, their progress kept), and torrents that were seeding seed on.
 */
export function resumeAtStart(deps: ResumeDeps): void {
  const running: string[] = [];
  for (const rec of deps.book.load()) {
    deps.publisher.seed(rec);
    if (rec.status === 'downloading' && !deps.shared) running.push(rec.id);
  }
  const resuming = running.filter((id) => deps.gate.allows(deps.book.require(id)));
  for (const id of running.filter((id) => !resuming.includes(id)).concat(resuming.slice(deps.maxConcurrent))) deps.book.transition(id, { kind: 'requeued' });
  for (const id of resuming.slice(0, deps.maxConcurrent)) deps.queue.start(id);
  if (!deps.shared) for (const rec of deps.book.all()) if (rec.status === 'completed' && rec.torrent?.seeding === true) deps.seeder.seed(rec.id);
}
