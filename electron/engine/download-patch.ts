import type { Download, DownloadPatch } from '../../shared/api.ts';

/** The fields that differ between two views of one download; a cleared field comes back as null. */
export function diffDownload(prev: Download, next: Download): DownloadPatch | undefined {
  const patch: Record<string, unknown> = { id: next.id };
  let changed = false;
  const keys = new Set([...Object.keys(prev), ...Object.keys(next)]);
  for (const key of keys) {
    if (key === 'id') continue;
    const a = (prev as unknown as Record<string, unknown>)[key];
    const b = (next as unknown as Record<string, unknown>)[key];
    if (JSON.stringify(a) !== JSON.stringify(b)) {
      patch[key] = b === undefined ? null : b;
      changed = true;
    }
  }
  return changed ? (patch as DownloadPatch) : undefined;
}
