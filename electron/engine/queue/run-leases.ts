import type { DownloadRecord } from '../records/record.ts';

/**
 * How runs are shared out when several nodes work one queue (the server's Redis cluster). A
 * node runs a download only while it holds its lease; without leases every download runs here.
 */
export interface RunLeases {
  /** This node's name, recorded on each download it runs. */
  readonly node: string;
  /**
   * Takes `id` for this node if it is still waiting (or already this node's): resolves with the
   * record as stored at that moment, or undefined when another node has it or it changed, or
   * when its owner already runs `maxRunning` downloads over all nodes.
   */
  claim(id: string, limit?: { owner: string; maxRunning: number }): Promise<DownloadRecord | undefined>;
  /** This node stopped running `id`; with `requeue` it goes back to the queue for any node (drain, shutdown). */
  release(id: string, requeue: boolean): void;
  /** Whether this node takes downloads now (not while draining, nor while its leases cannot be renewed). */
  accepting(): boolean;
  /**
   * Whether this node's leases are still good by its own clock (asked before every write to a
   * file): once not, every run here is stopped and nothing more is written.
   */
  current(): boolean;
}
