import type { DownloadLog } from './download-log.ts';
import type { Publisher } from './publisher.ts';
import type { DownloadRecord } from './record.ts';
import type { RunQueue } from '../queue/run-queue.ts';

export interface ArrivalDeps {
  publisher: Publisher;
  queue: RunQueue;
  log: DownloadLog;
  pump(): void;
}

/**
 * A record made, changed or removed on another node (several sharing Redis), as the journal
 * delivered it. Its announcement happened there, so it is not announced again; a run here
 * follows it: a download paused, removed or given a new link elsewhere stops or restarts here,
 * and one queued anywhere may start here.
 */
export function takeArrival(deps: ArrivalDeps, id: string, prev: Readonly<DownloadRecord> | undefined, next: Readonly<DownloadRecord> | undefined): void {
  const { publisher, queue, log } = deps;
  if (next === undefined) {
    publisher.forget(id);
    log.forget(id);
    if (queue.source(id) !== undefined) void queue.stop(id, 'removed');
    return;
  }
  publisher.seed(next);
  if (prev === undefined) log.note(id, 'added', next.url);
  // This node's log tells what happened to the download anywhere (started, paused, completed…).
  else if (prev.status !== next.status) log.noteChange(id, { kind: 'status', status: next.status, error: next.error });
  if (queue.source(id) !== undefined) {
    if (next.status !== 'downloading') void queue.stop(id, next.status);
    else if (prev !== undefined && prev.url !== next.url) void queue.stop(id, 'link refreshed').then(() => queue.start(id));
  }
  if (next.status === 'queued') deps.pump();
}
