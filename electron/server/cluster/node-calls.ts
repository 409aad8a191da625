import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { DownloadDetails } from '../../../shared/api.ts';
import type { Clock } from '../../engine/clock.ts';

const askChannel = (node: string): string => `haul:ask:${node}`;
const replyChannel = (node: string): string => `haul:reply:${node}`;

interface Ask {
  call: string;
  from: string;
  id: string;
}

/**
 * Questions one node asks another through Redis pub/sub: today, the detail panel's view of a
 * download running on another node (its connections, range map and log live only there).
 * Each node listens on its own two channels on a connection of its own (subscribed, it can do
 * nothing else); an answer not back within `timeoutMs` is no answer.
 */
export class NodeCalls {
  readonly #cmd: Redis;
  readonly #sub: Redis;
  readonly #clock: Clock;
  readonly #node: string;
  readonly #waiting = new Map<string, (details: DownloadDetails | undefined) => void>();

  private constructor(cmd: Redis, sub: Redis, clock: Clock, node: string) {
    this.#cmd = cmd;
    this.#sub = sub;
    this.#clock = clock;
    this.#node = node;
  }

  /** Listens for questions to this node (answered by `answer`) and for the answers to its own. */
  static async listen(cmd: Redis, sub: Redis, clock: Clock, node: string, answer: (id: string) => DownloadDetails | undefined): Promise<NodeCalls> {
    const calls = new NodeCalls(cmd, sub, clock, node);
    sub.on('message', (channel: string, text: string) => {
      try {
        if (channel === askChannel(node)) calls.#answer(JSON.parse(text) as Ask, answer);
        else if (channel === replyChannel(node)) calls.#settle(JSON.parse(text) as { call: string; details?: DownloadDetails });
      } catch {
        // A message that is not Haul's is ignored.
      }
    });
    await sub.subscribe(askChannel(node), replyChannel(node));
    return calls;
  }

  /** Download `id`'s details from the node running it; undefined when it does not answer in time. */
  async details(node: string, id: string, timeoutMs = 1_000): Promise<DownloadDetails | undefined> {
    const call = randomUUID();
    const answered = new Promise<DownloadDetails | undefined>((resolve) => {
      this.#waiting.set(call, resolve);
      this.#clock.setTimeout(() => this.#settle({ call }), timeoutMs);
    });
    const listeners = await this.#cmd.publish(askChannel(node), JSON.stringify({ call, from: this.#node, id } satisfies Ask)).catch(() => 0);
    if (listeners === 0) this.#settle({ call });
    return answered;
  }

  close(): void {
    this.#sub.disconnect();
    for (const resolve of this.#waiting.values()) resolve(undefined);
    this.#waiting.clear();
  }

  #answer(ask: Ask, answer: (id: string) => DownloadDetails | undefined): void {
    const details = answer(ask.id);
    void this.#cmd.publish(replyChannel(ask.from), JSON.stringify({ call: ask.call, details })).catch(() => undefined);
  }

  #settle(reply: { call: string; details?: DownloadDetails }): void {
    const resolve = this.#waiting.get(reply.call);
    if (resolve === undefined) return;
    this.#waiting.delete(reply.call);
    resolve(reply.details);
  }
}
