import type { HaulError } from '../errors.ts';

/** How one request for part of a segment ended. Steps return these; nothing steers by throwing. */
export type FetchOutcome =
  /** The request ended where it was meant to; the segment has more to fetch. */
  | { kind: 'partial' }
  /** The segment is fetched. */
  | { kind: 'done' }
  /** A 416 at the very end: every byte is already here. */
  | { kind: 'complete' }
  /** The bytes on disk cannot be continued (another representation, a range that does not fit). */
  | { kind: 'start-over'; reason: string; rangesUnusable: boolean }
  /** Something went wrong; the failure policy decides whether to retry, step down or fail. */
  | { kind: 'failed'; error: HaulError }
  /** The transfer was stopped (pause, remove, shutdown, or another connection ended it). */
  | { kind: 'stopped' };

/** How a whole transfer (every connection) ended. */
export type TransferOutcome =
  /** Every byte of the representation is on disk (not yet flushed). */
  { kind: 'covered' } | { kind: 'start-over'; reason: string; rangesUnusable: boolean } | { kind: 'failed'; error: HaulError } | { kind: 'stopped' };

/** How a download's run ended, as the queue sees it. */
export type TaskOutcome =
  | { kind: 'completed' }
  | { kind: 'failed'; error: HaulError }
  | { kind: 'stopped' }
  /** The download turned out to be another kind (its link answered with a playlist): it runs again as that kind. */
  | { kind: 'switched' };
