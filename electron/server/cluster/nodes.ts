import type { Redis } from 'ioredis';
import type { NodeView } from '../../../shared/api.ts';
import { sleep, type Clock } from '../../engine/clock.ts';
import { HaulError } from '../../engine/errors.ts';
import { KEYS } from './keys.ts';
import type { Scripts } from './scripts.ts';

/** What a node says of itself on each heartbeat. */
export interface NodeBeat {
  running: number;
  maxConcurrent: number;
}

/** A node not heard of for this long is no longer listed. */
const FORGET_AFTER_MS = 24 * 60 * 60_000;

/** Node names: what a host name or a label may hold, so they are safe in keys, logs and the interface. */
export const NODE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/u;

/**
 * The nodes sharing one Redis: each says it is alive (a key that expires unless renewed) and
 * how busy it is; an admin marks one draining. Names are unique among live nodes: a second
 * node started under a live one's name is refused.
 */
export class NodeRegistry {
  readonly #ctl: Redis;
  readonly #scripts: Scripts;
  readonly #clock: Clock;
  readonly #name: string;
  readonly #value: string;
  readonly #ttlMs: number;
  readonly #maxlen: number;
  readonly #startedAt: string;

  constructor(opts: { ctl: Redis; scripts: Scripts; clock: Clock; name: string; value: string; ttlMs: number; maxlen: number }) {
    this.#ctl = opts.ctl;
    this.#scripts = opts.scripts;
    this.#clock = opts.clock;
    this.#name = opts.name;
    this.#value = opts.value;
    this.#ttlMs = opts.ttlMs;
    this.#maxlen = opts.maxlen;
    this.#startedAt = new Date(opts.clock.now()).toISOString();
  }

  /**
   * Takes this node's name. A node killed without stopping leaves its name taken until its
   * key lapses, so a restart under the same name waits up to one lease time for it.
   */
  async join(): Promise<void> {
    const deadline = this.#clock.now() + this.#ttlMs + 1_000;
    for (;;) {
      if ((await this.#ctl.set(KEYS.alive(this.#name), this.#value, 'PX', this.#ttlMs, 'NX')) === 'OK') {
        await this.beat({ running: 0, maxConcurrent: 0 });
        return;
      }
      if (this.#clock.now() >= deadline) {
        throw new HaulError('INVALID_STATE', `Another Haul node named "${this.#name}" is running on this Redis. Give this one its own name with --node-name.`);
      }
      await sleep(this.#clock, 250);
    }
  }

  /** Says this node is alive and how busy; answers whether an admin has it draining. */
  async beat(state: NodeBeat): Promise<boolean> {
    const seenAt = new Date(this.#clock.now()).toISOString();
    const record = { name: this.#name, startedAt: this.#startedAt, seenAt, ...state };
    const [set, , draining] =
      (await this.#ctl.multi().set(KEYS.alive(this.#name), this.#value, 'PX', this.#ttlMs).hset(KEYS.nodes, this.#name, JSON.stringify(record)).sismember(KEYS.draining, this.#name).exec()) ?? [];
    if (set?.[0] != null) throw set[0];
    return draining?.[1] === 1;
  }

  /** Every node that said it was alive within FORGET_AFTER_MS, dead ones included (a node retired longer ago is forgotten). */
  async list(): Promise<NodeView[]> {
    const [records, draining] = await Promise.all([this.#ctl.hgetall(KEYS.nodes), this.#ctl.smembers(KEYS.draining)]);
    const names = Object.keys(records).sort();
    const alive = names.length === 0 ? [] : await this.#ctl.mget(...names.map((n) => KEYS.alive(n)));
    const now = this.#clock.now();
    const views = names.map((name, i): NodeView => {
      const beat = JSON.parse(records[name] ?? '{}') as Partial<NodeView>;
      return {
        name,
        alive: alive[i] !== null,
        draining: draining.includes(name),
        running: alive[i] === null ? 0 : (beat.running ?? 0),
        maxConcurrent: beat.maxConcurrent ?? 0,
        startedAt: beat.startedAt ?? '',
        seenAt: beat.seenAt ?? '',
      };
    });
    const forgotten = views.filter((v) => !v.alive && now - Date.parse(v.seenAt) > FORGET_AFTER_MS).map((v) => v.name);
    if (forgotten.length > 0) await this.#ctl.hdel(KEYS.nodes, ...forgotten);
    return views.filter((v) => !forgotten.includes(v.name));
  }

  /** Marks `name` draining (or not) and tells every node at once. */
  async drain(name: string, on: boolean): Promise<void> {
    if (on) await this.#ctl.sadd(KEYS.draining, name);
    else await this.#ctl.srem(KEYS.draining, name);
    await this.#scripts.haulNotice(KEYS.seq, KEYS.stream, 'node', JSON.stringify({ name, draining: on }), this.#maxlen);
  }

  /** Leaves: the name is free at once and the node is no longer listed. */
  async leave(): Promise<void> {
    await this.#ctl.multi().del(KEYS.alive(this.#name)).hdel(KEYS.nodes, this.#name).exec();
  }
}
