import type { Download } from '../../../shared/api.ts';
import { assertNever } from '../../../shared/assert-never.ts';
import { etaSeconds } from '../../../shared/units.ts';
import { fraction } from './status-view.ts';

export type SortKey = 'queue' | 'name' | 'size' | 'progress' | 'speed' | 'eta' | 'status' | 'added';
export const SORT_KEYS: readonly SortKey[] = ['queue', 'name', 'size', 'progress', 'speed', 'eta', 'status', 'added'];

export interface Sort {
  key: SortKey;
  descending: boolean;
}

/** Newest first, as a list people add to is read. */
export const DEFAULT_SORT: Sort = { key: 'added', descending: true };

/** Keys whose values move every second: the list re-sorts on a slow clock for them, not on every tick. */
export function isLive(key: SortKey): boolean {
  return key === 'progress' || key === 'speed' || key === 'eta';
}

/** The first click on a column sorts the way people mostly want it (names A→Z, sizes and speeds largest first). */
export function nextSort(current: Sort, key: SortKey): Sort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key === 'size' || key === 'speed' || key === 'added' || key === 'progress' };
}

const STATUS_RANK: Record<Download['status'], number> = { downloading: 0, queued: 1, scheduled: 2, paused: 3, failed: 4, completed: 5 };
const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });

/** Ids of `downloads` in `sort` order; ties keep queue order, so the list never shuffles between equal rows. */
export function sortDownloads(downloads: readonly Download[], sort: Sort): string[] {
  const sign = sort.descending ? -1 : 1;
  return [...downloads].sort((a, b) => sign * compare(a, b, sort.key) || a.order - b.order).map((d) => d.id);
}

function compare(a: Download, b: Download, key: SortKey): number {
  switch (key) {
    case 'queue':
      return a.order - b.order;
    case 'name':
      return collator.compare(a.filename, b.filename);
    case 'size':
      return (a.total ?? -1) - (b.total ?? -1);
    case 'progress':
      return (fraction(a) ?? -1) - (fraction(b) ?? -1);
    case 'speed':
      return a.speed - b.speed;
    case 'eta':
      // Unknown time left sorts after any known one.
      return (etaOf(a) ?? Number.POSITIVE_INFINITY) - (etaOf(b) ?? Number.POSITIVE_INFINITY) || 0;
    case 'status':
      return STATUS_RANK[a.status] - STATUS_RANK[b.status];
    case 'added':
      return a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.order - b.order;
    default:
      return assertNever(key, 'sort key');
  }
}

function etaOf(d: Download): number | undefined {
  return d.status === 'downloading' ? etaSeconds(d.received, d.total, d.speed) : undefined;
}
