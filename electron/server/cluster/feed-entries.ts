import type { PairingEvent } from '../pairing.ts';
import type { LoggedEvent } from '../sse/event-log.ts';
import type { StoredFields } from './record-fields.ts';

/** A download's record changed on some node: the fields set and deleted (JSON values), or the record removed. */
export interface RecordEntry {
  id: string;
  mode: 'create' | 'update' | 'delete';
  set: StoredFields;
  del: string[];
  /** The node that wrote it. */
  from: string;
  /** The writer's reference for a change it made through its journal ('' for claims, releases, requeues). */
  ref: string;
}

/** Every kind of entry on the shared stream, as one union; `parseEntry` is the one reader of their fields. */
export type FeedEntry =
  | { kind: 'record'; record: RecordEntry }
  | { kind: 'event'; name: LoggedEvent['name']; data: LoggedEvent['data'] }
  | { kind: 'node'; name: string; draining: boolean }
  | { kind: 'pairing'; from: string; event: PairingEvent }
  | { kind: 'paired' }
  | { kind: 'accounts'; sessionsOnly: boolean }
  /** Written by a newer Haul, or damaged: skipped, and said so. */
  | { kind: 'unreadable'; reason: string };

/** The events kept in the history and sent to clients. */
const LOGGED_NAMES: ReadonlySet<string> = new Set<LoggedEvent['name']>(['added', 'updated', 'progress', 'removed', 'settings']);

/** Reads one stream entry's fields; never throws. */
export function parseEntry(f: Readonly<Record<string, string>>): FeedEntry {
  try {
    switch (f['k']) {
      case 'rec': {
        const mode = f['mode'];
        if (mode !== 'create' && mode !== 'update' && mode !== 'delete') return { kind: 'unreadable', reason: `a record entry with mode "${String(mode)}"` };
        const set: unknown = JSON.parse(f['set'] ?? '{}');
        const del: unknown = JSON.parse(f['del'] ?? '[]');
        if (!isStringRecord(set) || !Array.isArray(del) || !del.every((d) => typeof d === 'string')) return { kind: 'unreadable', reason: 'a record entry whose fields are not what Haul writes' };
        return { kind: 'record', record: { id: f['id'] ?? '', mode, set, del, from: f['from'] ?? '', ref: f['ref'] ?? '' } };
      }
      case 'ev': {
        const name = f['name'] ?? '';
        if (!LOGGED_NAMES.has(name)) return { kind: 'unreadable', reason: `an event named "${name.slice(0, 40)}"` };
        // Written by Haul's own event publisher from a typed event of that name.
        return { kind: 'event', name: name as LoggedEvent['name'], data: JSON.parse(f['data'] ?? 'null') as LoggedEvent['data'] };
      }
      case 'node': {
        const detail = JSON.parse(f['detail'] ?? '{}') as { name?: unknown; draining?: unknown };
        if (typeof detail.name !== 'string') return { kind: 'unreadable', reason: 'a node entry without a name' };
        return { kind: 'node', name: detail.name, draining: detail.draining === true };
      }
      case 'pairing': {
        const shared = JSON.parse(f['detail'] ?? '{}') as { from?: unknown; event?: PairingEvent };
        if (typeof shared.from !== 'string' || typeof shared.event !== 'object' || shared.event === null) return { kind: 'unreadable', reason: 'a pairing entry without its event' };
        return { kind: 'pairing', from: shared.from, event: shared.event };
      }
      case 'paired':
        return { kind: 'paired' };
      case 'acct':
        return { kind: 'accounts', sessionsOnly: f['detail'] === 'sessions' };
      default:
        return { kind: 'unreadable', reason: `an entry of kind "${String(f['k']).slice(0, 40)}"` };
    }
  } catch (error) {
    return { kind: 'unreadable', reason: `an entry that is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
}

function isStringRecord(value: unknown): value is StoredFields {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((v) => typeof v === 'string');
}
