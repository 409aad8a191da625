import type { Clock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import type { RedisJournal } from './redis-journal.ts';
import type { Leases } from './leases.ts';
import type { NodeRegistry } from './nodes.ts';

export interface HeartbeatDeps {
  clock: Clock;
  leaseMs: number;
  engine: Engine;
  journal: RedisJournal;
  registry: NodeRegistry;
  leases: Leases;
  /** What the beat learnt of this node's drain flag. */
  draining(on: boolean): void;
  /** A beat got through (after an outage: Redis is back). */
  ok(): void;
  /** A beat did not get through. */
  failed(error: unknown): void;
}

/**
 * Every third of a lease: says this node is alive, renews its leases, reads its drain flag,
 * queues again the downloads of nodes that stopped renewing theirs, and fills free slots.
 * Every sixth: checks by its own clock that its leases are still good (see Leases.current).
 * Returns a function that stops both.
 */
export function startHeartbeat(deps: HeartbeatDeps): () => void {
  const { clock, leaseMs, engine, journal, registry, leases } = deps;
  const beat = async (): Promise<void> => {
    try {
      deps.draining(await registry.beat({ running: journal.held().length, maxConcurrent: engine.settings.maxConcurrent }));
      await leases.renew(journal.held());
      const orphans = journal.runningElsewhere();
      if (orphans.length > 0) await leases.requeueOrphans(orphans);
      deps.ok();
      engine.fillSlots();
    } catch (error) {
      deps.failed(error);
    }
  };
  const stops = [clock.setInterval(() => void beat(), Math.max(200, Math.floor(leaseMs / 3))), clock.setInterval(() => leases.current(), Math.max(100, Math.floor(leaseMs / 6)))];
  return () => {
    for (const stop of stops) stop();
  };
}
