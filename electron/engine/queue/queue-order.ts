import type { MoveTarget } from '../../../shared/api.ts';
import { assertNever } from '../../../shared/assert-never.ts';

interface Ordered {
  id: string;
  seq: number;
}

/**
 * The new places in the queue after moving `id` (`up`/`down` past its neighbour, or to the
 * `top`/`bottom`), among `entries` (the downloads still to run, any order). Only entries
 * whose place changes are returned; an empty list means nothing moves.
 */
export function moveInQueue(entries: readonly Ordered[], id: string, to: MoveTarget | number): Ordered[] {
  const sorted = [...entries].sort((a, b) => a.seq - b.seq);
  const at = sorted.findIndex((e) => e.id === id);
  if (at < 0) return [];
  const target = targetIndex(at, sorted.length, to);
  if (target === at) return [];
  const seqs = sorted.map((e) => e.seq);
  const [moved] = sorted.splice(at, 1);
  if (moved !== undefined) sorted.splice(target, 0, moved);
  // The same set of numbers, dealt out in the new order: nothing outside the queue moves.
  return sorted.map((e, i) => ({ id: e.id, seq: seqs[i] ?? e.seq })).filter((e, i) => e.seq !== sorted[i]?.seq);
}

/** Where the entry at `at` goes: a named place, or a position (0 first), kept inside the queue. */
function targetIndex(at: number, length: number, to: MoveTarget | number): number {
  if (typeof to === 'number') return Math.min(length - 1, Math.max(0, Math.trunc(to)));
  switch (to) {
    case 'up':
      return Math.max(0, at - 1);
    case 'down':
      return Math.min(length - 1, at + 1);
    case 'top':
      return 0;
    case 'bottom':
      return length - 1;
    default:
      return assertNever(to, 'move target');
  }
}
