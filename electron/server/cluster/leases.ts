import type { Clock } from '../../engine/clock.ts';
import type { RunLimit } from '../../engine/records/record-journal.ts';
import { KEYS } from './keys.ts';
import type { Scripts } from './scripts.ts';

export interface LeaseOptions {
  /** Scripts on the connection the store writes on, so a release follows the run's last write. */
  scripts: Scripts;
  /** Scripts on the connection renewals go on (with a command timeout). */
  renewScripts: Scripts;
  clock: Clock;
  node: string;
  /** This process's lease value (`node/instance`), unique per run of a node. */
  value: string;
  ttlMs: number;
  maxlen: number;
  /** A lease this node held is gone: the run must stop and write nothing more. */
  lost(id: string): void;
  /** The downloads this node runs or is claiming now. */
  held(): string[];
}

/**
 * This node's leases on the downloads it runs. A lease lives `ttlMs` unless renewed (every
 * third of it); a node whose renewals have not got through for half of it stops all its runs
 * by itself, before any other node can take them over (a lease only lapses after the whole
 * `ttlMs`), so no download ever runs on two nodes at once.
 */
export class Leases {
  readonly #opts: LeaseOptions;
  #draining = false;
  /** When the newest renewal that got through was sent. */
  #renewedAt: number;
  #cutOff = false;

  constructor(opts: LeaseOptions) {
    this.#opts = opts;
    this.#renewedAt = opts.clock.now();
  }

  get node(): string {
    return this.#opts.node;
  }

  get value(): string {
    return this.#opts.value;
  }

  accepting(): boolean {
    return !this.#draining && !this.#cutOff;
  }

  set draining(on: boolean) {
    this.#draining = on;
  }

  get draining(): boolean {
    return this.#draining;
  }

  /**
   * Takes `id` for this node if it is still waiting (or already this node's): resolves with the
   * number of the stream entry that tells of it, or undefined when another node has it or it
   * changed, or when its owner already runs `maxRunning` downloads over all nodes.
   */
  async claim(id: string, limit?: RunLimit): Promise<number | undefined> {
    const { scripts, value, ttlMs, node, maxlen } = this.#opts;
    const owner = limit?.owner ?? '';
    const entry = (await scripts.haulClaim(
      KEYS.download(id),
      KEYS.lease(id),
      KEYS.seq,
      KEYS.stream,
      KEYS.ownerRunning(owner),
      value,
      ttlMs,
      JSON.stringify(node),
      maxlen,
      owner,
      limit?.maxRunning ?? 0,
    )) as number | null;
    return entry === null ? undefined : entry;
  }

  release(id: string, requeue: boolean): void {
    const { scripts, value, maxlen, node } = this.#opts;
    void scripts.haulRelease(KEYS.download(id), KEYS.lease(id), KEYS.seq, KEYS.stream, value, requeue ? '1' : '0', maxlen, node).catch(() => {
      // Redis is away: the lease lapses by itself and the download is queued again.
    });
  }

  /** Renews the leases of `held`; the ones found gone are reported lost. */
  async renew(held: readonly string[]): Promise<void> {
    const sentAt = this.#opts.clock.now();
    const keys = held.map((id) => KEYS.lease(id));
    const answers = keys.length === 0 ? [] : ((await this.#opts.renewScripts.haulRenew(keys.length, ...keys, this.#opts.value, this.#opts.ttlMs)) as number[]);
    this.#renewedAt = sentAt;
    this.#cutOff = false;
    held.forEach((id, i) => {
      if (answers[i] === 0) this.#opts.lost(id);
    });
  }

  /**
   * Stops every run here when renewals have failed for half the lease time (Redis away, or
   * this node cut off from it, or frozen); runs start again here once a renewal gets through.
   * Asked on a timer and before every write, so a node that wakes from a freeze writes nothing first.
   */
  current(): boolean {
    if (this.#opts.clock.now() - this.#renewedAt <= this.#opts.ttlMs / 2) return true;
    if (!this.#cutOff) {
      this.#cutOff = true;
      for (const id of this.#opts.held()) this.#opts.lost(id);
    }
    return false;
  }

  /** Queues again the downloads among `running` (marked running elsewhere) whose node stopped renewing their lease. */
  async requeueOrphans(running: readonly string[]): Promise<number> {
    const { scripts, maxlen, node } = this.#opts;
    const answers = await Promise.all(running.map((id) => scripts.haulRequeueOrphan(KEYS.download(id), KEYS.lease(id), KEYS.seq, KEYS.stream, maxlen, node)));
    return answers.filter((a) => a === 1).length;
  }
}
