interface Waiting {
  id: string;
  seq: number;
  owner?: string | undefined;
}

/**
 * Which waiting downloads to start in `slots` free slots: each slot goes to the owner with the
 * fewest downloads running (counting the ones just picked), their oldest first, so the slots
 * go round between users' queues; one user (or none: accounts off) is plain first in, first out.
 * `maxFor` is an owner's own limit of running downloads (0 = none).
 */
export function fairStart(waiting: readonly Waiting[], runningOwners: Iterable<string | undefined>, slots: number, maxFor: (owner: string) => number = () => 0): string[] {
  const running = new Map<string, number>();
  for (const owner of runningOwners) running.set(owner ?? '', (running.get(owner ?? '') ?? 0) + 1);
  const queues = new Map<string, Waiting[]>();
  for (const w of [...waiting].sort((a, b) => a.seq - b.seq)) {
    const key = w.owner ?? '';
    const queue = queues.get(key);
    if (queue === undefined) queues.set(key, [w]);
    else queue.push(w);
  }
  const picked: string[] = [];
  while (picked.length < slots) {
    let best: { key: string; head: Waiting } | undefined;
    for (const [key, queue] of queues) {
      const head = queue[0];
      if (head === undefined) continue;
      const load = running.get(key) ?? 0;
      // An owner at their own limit of running downloads waits, whatever slots are free.
      const cap = key === '' ? 0 : maxFor(key);
      if (cap > 0 && load >= cap) continue;
      const bestLoad = best === undefined ? Number.POSITIVE_INFINITY : (running.get(best.key) ?? 0);
      if (load < bestLoad || (load === bestLoad && best !== undefined && head.seq < best.head.seq)) best = { key, head };
    }
    if (best === undefined) break;
    queues.get(best.key)?.shift();
    running.set(best.key, (running.get(best.key) ?? 0) + 1);
    picked.push(best.head.id);
  }
  return picked;
}
