import type { Redis } from 'ioredis';
import type { DownloadRecord } from '../../engine/records/record.ts';
import { KEYS } from './keys.ts';

/** A record's fields as stored in its Redis hash: each top-level field JSON-encoded; absent fields absent. */
export type StoredFields = Record<string, string>;

export function toFields(rec: Readonly<DownloadRecord>): StoredFields {
  const out: StoredFields = {};
  for (const [key, value] of Object.entries(rec)) if (value !== undefined) out[key] = JSON.stringify(value);
  return out;
}

/** What changed from `prev` to `next`: fields to set and fields to delete. */
export function diffFields(prev: Readonly<DownloadRecord>, next: Readonly<DownloadRecord>): { set: StoredFields; del: string[] } {
  const set: StoredFields = {};
  const del: string[] = [];
  const before = toFields(prev);
  const after = toFields(next);
  for (const [key, value] of Object.entries(after)) if (before[key] !== value) set[key] = value;
  for (const key of Object.keys(before)) if (after[key] === undefined) del.push(key);
  return { set, del };
}

/** Field names and values as Redis lists them flat (`HGETALL` in a script, a stream entry): name, value, name, value… */
export function pairsOf(flat: readonly string[]): StoredFields {
  const out: StoredFields = {};
  for (let i = 0; i + 1 < flat.length; i += 2) out[String(flat[i])] = String(flat[i + 1]);
  return out;
}

/** A record from its hash (HGETALL's flat array or object); undefined when it holds none. */
export function fromFields(fields: StoredFields | readonly string[]): DownloadRecord | undefined {
  const entries = Object.entries(Array.isArray(fields) ? pairsOf(fields) : (fields as StoredFields));
  if (entries.length === 0) return undefined;
  const rec: Record<string, unknown> = Object.fromEntries(entries.map(([k, v]) => [k, JSON.parse(v) as unknown]));
  return typeof rec['id'] === 'string' ? asStored(rec) : undefined;
}

/** `rec` with a stored change applied (fields set and deleted), as a new object. */
export function patchRecord(rec: Readonly<DownloadRecord>, set: StoredFields, del: readonly string[]): DownloadRecord {
  const next: Record<string, unknown> = { ...rec };
  for (const [key, value] of Object.entries(set)) next[key] = JSON.parse(value) as unknown;
  for (const key of del) next[key] = undefined;
  return asStored(next);
}

/**
 * A record rebuilt from Redis's fields. Only Haul's journal writes them (each field its own
 * JSON, from a record the engine checked when it was made), so they are trusted as the SQLite
 * store trusts its rows; what comes from outside is checked before it becomes a record.
 */
function asStored(fields: Record<string, unknown>): DownloadRecord {
  return fields as Partial<DownloadRecord> as DownloadRecord;
}

/** Every download as Redis holds it, in queue order (at start, and after a node missed stream entries). */
export async function readRecords(redis: Redis): Promise<DownloadRecord[]> {
  const ids = await redis.smembers(KEYS.downloads);
  const pipeline = redis.pipeline();
  for (const id of ids) pipeline.hgetall(KEYS.download(id));
  const answers = (await pipeline.exec()) ?? [];
  return answers
    .map(([error, value]) => {
      if (error !== null) throw error;
      return fromFields(value as StoredFields);
    })
    .filter((rec): rec is DownloadRecord => rec !== undefined)
    .sort((a, b) => a.seq - b.seq);
}
