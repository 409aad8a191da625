import type { AnyDownload, Download, DownloadPatch, PatchField, PatchValue, PatchValues } from '../../../shared/api.ts';

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
  filenameFinal: true,
  owner: true,
  node: true,
  status: true,
  error: true,
  completedAt: true,
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
