import { sanitizeFilename } from '../input/filename.ts';

/** How much an archive may expand to: bounds that stop a zip bomb before the disk fills. */
export interface ArchiveLimits {
  maxEntries: number;
  /** Bytes written at most, whatever the archive's size. */
  maxBytes: number;
  /** Bytes written at most per byte of archive, once past `ratioFloor` (a few MiB of text may compress 100:1 honestly). */
  maxRatio: number;
  ratioFloor: number;
}

export const DEFAULT_ARCHIVE_LIMITS: ArchiveLimits = { maxEntries: 10_000, maxBytes: 16 * 1024 ** 3, maxRatio: 200, ratioFloor: 64 * 1024 ** 2 };

/** The bytes an archive of `archiveBytes` may expand to. */
export function expansionBudget(limits: ArchiveLimits, archiveBytes: number): number {
  return Math.min(limits.maxBytes, Math.max(limits.ratioFloor, archiveBytes * limits.maxRatio));
}

export type EntryPath = { kind: 'ok'; parts: string[] } | { kind: 'refused'; reason: string };

/**
 * Where an entry may go inside the folder it is extracted into: its path split into parts, each
 * a safe file name. A path that is absolute, names a drive, or climbs with `..` is refused (the
 * zip-slip), never "repaired" into somewhere else.
 */
export function entryPath(name: string): EntryPath {
  if (name.includes('\0')) return { kind: 'refused', reason: 'has a NUL in its name' };
  const unified = name.replaceAll('\\', '/');
  if (unified.startsWith('/') || /^[a-z]:/iu.test(unified)) return { kind: 'refused', reason: 'is an absolute path' };
  const raw = unified.split('/').filter((part) => part !== '' && part !== '.');
  if (raw.includes('..')) return { kind: 'refused', reason: 'leaves the folder (..)' };
  if (raw.length === 0) return { kind: 'refused', reason: 'has no name' };
  if (raw.length > 64) return { kind: 'refused', reason: 'is nested too deep' };
  return { kind: 'ok', parts: raw.map((part) => sanitizeFilename(part, '_')) };
}
