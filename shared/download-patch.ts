import type { AnyDownload, Download, DownloadPatch, PatchField, PatchValue, PatchValues } from './api.ts';
import { assertNever } from './assert-never.ts';

/** Every field an `updated` event may carry; the type makes a field left out (or one that is not a download's) a compile error. */
const PATCH_FIELDS = {
  url: true,
  finalUrl: true,
  filename: true,
  dir: true,
  received: true,
  total: true,
  speed: true,
  connections: true,
  resumable: true,
  createdAt: true,
  checksum: true,
  retry: true,
  risky: true,
  order: true,
  maxConnections: true,
  speedLimit: true,
  uploadLimit: true,
  filenameFinal: true,
  owner: true,
  node: true,
  status: true,
  error: true,
  completedAt: true,
  media: true,
  startsAt: true,
  startNow: true,
  category: true,
  siteRule: true,
  actions: true,
  torrent: true,
} as const satisfies Record<PatchField, true>;

const FIELDS = Object.keys(PATCH_FIELDS) as PatchField[];

function setField<K extends PatchField>(patch: PatchValues, key: K, value: PatchValue<K>): void {
  // TypeScript cannot relate a generic key's value to an optional mapped property; the
  // signature above is what keeps each field's value its own type.
  (patch as Record<PatchField, unknown>)[key] = value;
}

/** Field `key` of `next` as a patch carries it: its value, or null when it is gone. */
export function patchValue<K extends PatchField>(next: Download, key: K): PatchValue<K> {
  const fields: AnyDownload = next;
  const value = fields[key];
  return value === undefined ? null : value;
}

/** The fields that differ between two views of one download; a cleared field comes back as null. */
export function diffDownload(prev: Download, next: Download): DownloadPatch | undefined {
  const changed: PatchValues = {};
  for (const key of FIELDS) if (JSON.stringify(prev[key]) !== JSON.stringify(next[key])) setField(changed, key, patchValue(next, key));
  return Object.keys(changed).length === 0 ? undefined : { ...changed, id: next.id };
}

/** Fields whose value may be null itself: for these a null in a patch is the value, not a clearing. */
const NULLABLE: ReadonlySet<PatchField> = new Set<PatchField>(['total']);

/** `current` with an `updated` event's fields applied: each given value set, each cleared field (null) gone. */
export function applyPatch(current: Download, patch: DownloadPatch): Download {
  const next: AnyDownload = { ...current };
  for (const key of FIELDS) copyField(next, patch, key);
  return asDownload(next);
}

function copyField<K extends PatchField>(target: AnyDownload, patch: PatchValues, key: K): void {
  const value = patch[key];
  if (value === undefined) return;
  if (value !== null || NULLABLE.has(key)) {
    // As in setField: a generic key's value cannot be related to its property by the compiler.
    (target as Record<PatchField, unknown>)[key] = value;
    return;
  }
  const loose: Partial<AnyDownload> = target;
  delete loose[key];
}

/** A download whatever its status, as the variant its status says: a failed one keeps an error, a completed one its time. */
export function asDownload(d: AnyDownload): Download {
  const { error, completedAt, ...base } = d;
  switch (d.status) {
    case 'queued':
    case 'scheduled':
    case 'downloading':
    case 'paused':
      return { ...base, status: d.status };
    case 'completed':
      return { ...base, status: 'completed', completedAt: completedAt ?? d.createdAt };
    case 'failed':
      return { ...base, status: 'failed', error: error ?? { code: 'INTERNAL', message: 'The download failed for an unknown reason. Try resuming it.' } };
    default:
      return assertNever(d.status, 'download status');
  }
}
