import type { ConnectionView, SegmentMap } from '../../../shared/api.ts';
import type { HaulError } from '../errors.ts';
import type { LiveState } from '../records/record.ts';
import type { TaskOutcome } from './outcome.ts';

/**
 * Where a download's bytes come from, as the queue drives it: started once, stopped at any
 * time (both resolve with how it ended), asked for its live state. HTTP(S) is the one kind
 * today; media playlists and torrents are further kinds behind the same seam.
 */
export interface DownloadSource {
  start(): Promise<TaskOutcome>;
  /** Stops every connection, records durable progress and closes the file; resolves when done. */
  stop(reason: string): Promise<TaskOutcome>;
  /** Stops like `stop`, but the run ends as failed with `error` (something outside the transfer went wrong). */
  fail(error: HaulError): void;
  /** Bytes on disk now, speed, open connections, and a pending retry. */
  live(): LiveState;
  /** Takes a speed sample (the engine's progress tick calls this). */
  sampleSpeed(now: number): void;
  /** The byte ranges on disk now and what each connection is fetching (the detail panel). */
  view(): SourceView;
}

export interface SourceView {
  ranges: Array<[number, number]>;
  connections: ConnectionView[];
  /** A stream's segments, done and being fetched. */
  segments?: SegmentMap | undefined;
  /** A torrent's pieces, on disk and being fetched. */
  pieces?: SegmentMap | undefined;
}
