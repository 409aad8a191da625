import fs from 'node:fs/promises';
import { stagingDir } from '../torrent/torrent-files.ts';
import type { MoveTarget } from '../../../shared/api.ts';
import { assertNever } from '../../../shared/assert-never.ts';
import { checkDownloadUrl } from '../../../shared/url.ts';
import { InputError, StateError } from '../errors.ts';
import { moveInQueue } from '../queue/queue-order.ts';
import type { RecordBook } from '../records/record-book.ts';
import { finalPath, partPath, segmentsDir } from '../records/record.ts';
import type { RunQueue } from '../queue/run-queue.ts';
import type { DownloadPatchRequest } from './validate.ts';

/** What changing a download in place needs from the engine. */
export interface EditDeps {
  book: RecordBook;
  queue: RunQueue;
  /** Fills free running slots. */
  pump(): void;
}

/**
 * Gives a download a refreshed link for the same file (a new presigned URL, say). The bytes
 * on disk are kept only if the new link's server proves it serves the same file: a range
 * answered under If-Range with the same size and validators; otherwise the download starts over.
 */
export async function refreshUrl(deps: EditDeps, id: string, url: unknown): Promise<void> {
  const rec = deps.book.require(id);
  const check = checkDownloadUrl(url);
  if (!check.ok) throw new InputError(check.code, `url: ${check.message}`, 'url');
  if (rec.status === 'completed') throw new StateError('This download is already complete; add the new link as a new download instead.');
  await deps.queue.stop(id, 'link refreshed');
  const next = deps.book.apply(id, { kind: 'url', url: check.url.href });
  // A link that had stopped working failed the download: the fresh one continues it.
  if (next?.status === 'failed') deps.book.transition(id, { kind: 'retried' });
  else if (next?.status === 'downloading' && deps.queue.source(id) === undefined) deps.queue.start(id);
  deps.pump();
}

/** This download's own connections and speed limit: the running transfer reads them as it goes, so they hold at once. */
export function applyOptions(book: RecordBook, id: string, patch: DownloadPatchRequest): void {
  book.require(id);
  if (patch.connections === undefined && patch.speedLimit === undefined && patch.uploadLimit === undefined) return;
  book.apply(id, { kind: 'options', connections: patch.connections, speedLimit: patch.speedLimit, uploadLimit: patch.uploadLimit });
}

/** Moves a download that has yet to finish up or down the queue (queued ones start in this order). */
export function moveDownload(book: RecordBook, id: string, to: MoveTarget | number): void {
  const rec = book.require(id);
  if (rec.status === 'completed') throw new StateError('This download is complete; only downloads still to finish have a place in the queue.');
  const waiting = book.all().filter((r) => r.status !== 'completed');
  for (const { id: moved, seq } of moveInQueue(waiting, id, to)) book.apply(moved, { kind: 'seq', seq });
}

/** Pauses a queued or running download; a paused one stays paused; a finished one cannot be. */
export function pauseDownload(deps: EditDeps, id: string): void {
  const rec = deps.book.require(id);
  switch (rec.status) {
    case 'paused':
      return;
    case 'queued':
    case 'downloading':
      deps.book.transition(id, { kind: 'paused' });
      void deps.queue.stop(id, 'paused');
      return;
    case 'completed':
    case 'failed':
      throw new StateError(`This download is ${rec.status}; only queued or running downloads can be paused.`);
    default:
      assertNever(rec.status, 'download status');
  }
}

/** Lets a download run whatever the schedule says; a paused or failed one is queued again too. */
export function startNowDownload(deps: EditDeps, id: string): void {
  const rec = deps.book.require(id);
  if (rec.status === 'completed') throw new StateError('This download is already complete.');
  if (rec.startNow !== true) deps.book.apply(id, { kind: 'start-now' });
  if (rec.status === 'paused' || rec.status === 'failed') resumeDownload(deps, id);
  else deps.pump();
}

/** Queues a paused download again, or retries a failed one; a queued or running one is left as it is. */
export function resumeDownload(deps: EditDeps, id: string): void {
  const rec = deps.book.require(id);
  switch (rec.status) {
    case 'queued':
    case 'downloading':
      return;
    case 'paused':
    case 'failed':
      deps.book.transition(id, { kind: rec.status === 'paused' ? 'resumed' : 'retried' });
      deps.pump();
      return;
    case 'completed':
      throw new StateError('This download is already complete; add it again to download it anew.');
    default:
      assertNever(rec.status, 'download status');
  }
}

/** Forgets a download and stops its run; its partial file is deleted, and with `deleteFile` the finished file too. */
export async function removeDownload(deps: EditDeps, id: string, deleteFile: boolean): Promise<void> {
  const rec = deps.book.require(id);
  deps.book.remove(id);
  await deps.queue.stop(id, 'removed');
  if (rec.torrent !== undefined) {
    // A torrent's pieces wait in a hidden folder of their own; its finished files may be a folder.
    await fs.rm(stagingDir(rec), { recursive: true, force: true });
    if (deleteFile && rec.status === 'completed') await fs.rm(finalPath(rec), { recursive: true, force: true });
    return;
  }
  if (!rec.filenameFixed) return;
  await fs.rm(partPath(rec), { force: true });
  // A stream's segments wait beside its part file until they are joined.
  if (rec.media !== undefined) await fs.rm(segmentsDir(rec), { recursive: true, force: true });
  if (deleteFile && rec.status === 'completed') await fs.rm(finalPath(rec), { force: true });
}
