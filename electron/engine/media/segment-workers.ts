/** How one segment's fetch ended: on disk, or refused as a connection too many (it goes back). */
export type SegmentOutcome = 'done' | 'one-too-many';

/**
 * Fetches `items` with `connections` workers at once. A worker whose item the server refused
 * beside the others puts it back for them and ends (`refused` is told how many still work),
 * so a server that takes fewer connections than asked gets that many. The first failure ends
 * all.
 */
export async function runSegmentWorkers<T>(
  items: readonly T[],
  connections: number,
  fetch: (item: T, company: () => boolean) => Promise<SegmentOutcome>,
  refused: (working: number) => void,
): Promise<void> {
  const queue = [...items];
  let busy = 0;
  const worker = async (): Promise<void> => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) {
      busy += 1;
      let outcome: SegmentOutcome;
      try {
        outcome = await fetch(item, () => busy > 1);
      } finally {
        busy -= 1;
      }
      if (outcome === 'one-too-many') {
        queue.unshift(item);
        refused(busy);
        return;
      }
    }
  };
  let workers = connections;
  // The others may all have ended between a refusal and its item's return: then one goes on.
  while (queue.length > 0) {
    await Promise.all(Array.from({ length: workers }, () => worker()));
    workers = 1;
  }
}
