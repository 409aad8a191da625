import type { LogEntry, LogKind } from '../../../shared/api.ts';
import { assertNever } from '../../../shared/assert-never.ts';
import { formatBytes } from '../../../shared/units.ts';
import type { RecordChange } from './record-change.ts';

/** Entries kept per download: enough for a day of retries, small enough for 10,000 downloads. */
const MAX_ENTRIES = 200;
/** Speed samples kept per download: two minutes at one a second. */
const MAX_SPEEDS = 120;
const SAMPLE_MS = 1_000;

/**
 * What happened to each download (retries, start-overs, step-downs, a refreshed link…) and
 * its speed over the last two minutes, for the detail panel. Kept in memory only: it is a
 * view of this session, not part of the download's record.
 */
export class DownloadLog {
  readonly #entries = new Map<string, LogEntry[]>();
  readonly #speeds = new Map<string, { last: number; values: number[] }>();
  readonly #now: () => number;

  constructor(now: () => number) {
    this.#now = now;
  }

  note(id: string, kind: LogKind, detail?: string, retry?: LogEntry['retry']): void {
    let list = this.#entries.get(id);
    if (list === undefined) this.#entries.set(id, (list = []));
    list.push({ at: new Date(this.#now()).toISOString(), kind, detail, retry });
    if (list.length > MAX_ENTRIES) list.splice(0, list.length - MAX_ENTRIES);
  }

  /** Logs what a record change means to a person; changes nobody needs to read (durable progress) are skipped. */
  noteChange(id: string, change: RecordChange): void {
    const kind = changeKind(change);
    if (kind !== undefined) this.note(id, kind.kind, kind.detail);
  }

  /** Takes a speed sample for a running download, at most one a second. */
  sampleSpeed(id: string, speed: number): void {
    const now = this.#now();
    let series = this.#speeds.get(id);
    if (series === undefined) this.#speeds.set(id, (series = { last: Number.NEGATIVE_INFINITY, values: [] }));
    if (now - series.last < SAMPLE_MS) return;
    series.last = now;
    series.values.push(speed);
    if (series.values.length > MAX_SPEEDS) series.values.shift();
  }

  entries(id: string): LogEntry[] {
    return [...(this.#entries.get(id) ?? [])];
  }

  speeds(id: string): number[] {
    return [...(this.#speeds.get(id)?.values ?? [])];
  }

  forget(id: string): void {
    this.#entries.delete(id);
    this.#speeds.delete(id);
  }
}

function changeKind(change: RecordChange): { kind: LogKind; detail?: string } | undefined {
  switch (change.kind) {
    case 'status':
      switch (change.status) {
        case 'downloading':
          return { kind: 'started' };
        case 'queued':
          return { kind: 'queued' };
        case 'paused':
          return { kind: 'paused' };
        case 'completed':
          return { kind: 'completed' };
        case 'failed':
          return { kind: 'failed', ...(change.error === undefined ? {} : { detail: change.error.message }) };
        default:
          return assertNever(change.status, 'download status');
      }
    case 'representation': {
      const size = change.total === null ? 'size unknown' : formatBytes(change.total, 'en');
      const validators = [change.etag === undefined ? '' : `ETag ${change.etag}`, change.lastModified === undefined ? '' : `Last-Modified ${change.lastModified}`].filter((v) => v !== '');
      return { kind: 'response', detail: [size, change.resumable ? 'ranges work' : 'no ranges', ...validators].join(', ') };
    }
    case 'filename':
      return { kind: 'named', detail: change.filename };
    case 'start-over':
      return { kind: 'start-over' };
    case 'url':
      return { kind: 'link-refreshed', detail: change.url };
    case 'options':
      return {
        kind: 'options',
        detail: [
          change.connections === undefined ? '' : `connections ${change.connections || 'default'}`,
          change.speedLimit === undefined ? '' : `limit ${change.speedLimit === 0 ? 'none' : `${formatBytes(change.speedLimit, 'en')}/s`}`,
        ]
          .filter((v) => v !== '')
          .join(', '),
      };
    case 'media-found':
      return { kind: 'response', detail: `a ${change.media === 'hls' ? 'HLS' : 'DASH'} playlist: the video is saved as ${change.filename}` };
    case 'media-plan':
      return { kind: 'response', detail: `${change.segments} segments, ${Math.round(change.duration)} s${change.height === undefined ? '' : `, ${change.height}p`}` };
    case 'torrent-found':
      return { kind: 'response', detail: `a .torrent file: its files are downloaded as ${change.filename}` };
    case 'torrent-meta':
      return { kind: 'response', detail: `a torrent of ${change.meta.files.length} file${change.meta.files.length === 1 ? '' : 's'} in ${change.meta.pieces} pieces: ${change.filename}` };
    case 'torrent-progress':
    case 'torrent-upload':
    case 'segments':
    case 'total':
    case 'durable':
    case 'restart':
    case 'finished':
    case 'discarded':
    case 'seq':
      return undefined;
    case 'start-now':
      return { kind: 'options', detail: 'start now, whatever the schedule says' };
    case 'category':
      return { kind: 'options', detail: `category ${change.category}: ${change.dir}` };
    default:
      return assertNever(change, 'record change');
  }
}
