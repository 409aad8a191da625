import type { Download, EventPayloads, WhenDoneNotice } from '../../../shared/api.ts';
import type { Clock } from '../../engine/clock.ts';
import type { Engine } from '../../engine/engine.ts';
import type { RunProgram } from '../../engine/run-program.ts';
import { runPower } from './power-commands.ts';

/** What the countdown tells every window. */
export type WhenDoneEvent = { name: 'when-done'; data: EventPayloads['when-done'] } | { name: 'when-done-ended'; data: EventPayloads['when-done-ended'] };

export interface WhenDoneOptions {
  engine: Engine;
  clock: Clock;
  /** Quits Haul (the desktop app, or `haul serve`'s clean stop). */
  quit: () => void;
  run: RunProgram;
  platform: NodeJS.Platform;
  log: (line: string) => void;
}

/** Downloads still to do: the queue is not empty while one is queued, waiting for its window, or running. */
const busy = (d: Download): boolean => d.status === 'queued' || d.status === 'scheduled' || d.status === 'downloading';

/**
 * Settings' `whenDone`: once the queue empties after a download completed, a countdown is
 * announced to every window; when it ends, Haul quits or the machine sleeps or shuts down. It
 * is cancelled from any window, or by a download starting again. The one owner of the countdown.
 */
export class WhenDone {
  readonly #opts: WhenDoneOptions;
  readonly #listeners = new Set<(event: WhenDoneEvent) => void>();
  #pending: { notice: WhenDoneNotice; cancel: () => void } | undefined;
  /** A download completed since the queue was last empty: only then does emptying it count. */
  #completed = false;
  readonly #stop: () => void;

  constructor(opts: WhenDoneOptions) {
    this.#opts = opts;
    const onUpdated = (patch: { status?: string | null }): void => {
      if (patch.status === 'completed') this.#completed = true;
      this.#check();
    };
    const onChange = (): void => this.#check();
    opts.engine.on('updated', onUpdated);
    opts.engine.on('added', onChange);
    opts.engine.on('removed', onChange);
    this.#stop = () => {
      opts.engine.off('updated', onUpdated);
      opts.engine.off('added', onChange);
      opts.engine.off('removed', onChange);
    };
  }

  /** Subscribes to the countdown's events; returns a disposer. */
  watch(listener: (event: WhenDoneEvent) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The countdown running now, for a window that connects meanwhile. */
  current(): WhenDoneNotice | undefined {
    return this.#pending?.notice;
  }

  /** Cancels the countdown; false when none runs. */
  cancel(): boolean {
    return this.#end({ reason: 'cancelled' });
  }

  close(): void {
    this.#stop();
    this.#pending?.cancel();
    this.#pending = undefined;
  }

  #check(): void {
    const running = this.#opts.engine.list().some(busy);
    if (running) {
      this.#end({ reason: 'busy' });
      return;
    }
    const { whenDone: action, whenDoneCountdown } = this.#opts.engine.settings;
    if (!this.#completed || this.#pending !== undefined || action === 'nothing') return;
    this.#completed = false;
    const ms = whenDoneCountdown * 1000;
    const notice: WhenDoneNotice = { action, at: new Date(this.#opts.clock.now() + ms).toISOString() };
    const cancel = this.#opts.clock.setTimeout(() => void this.#fire(notice), ms);
    this.#pending = { notice, cancel };
    this.#emit({ name: 'when-done', data: notice });
  }

  #end(data: EventPayloads['when-done-ended']): boolean {
    const pending = this.#pending;
    if (pending === undefined) return false;
    pending.cancel();
    this.#pending = undefined;
    this.#emit({ name: 'when-done-ended', data });
    return true;
  }

  async #fire(notice: WhenDoneNotice): Promise<void> {
    if (this.#pending?.notice !== notice) return;
    this.#pending = undefined;
    this.#emit({ name: 'when-done-ended', data: { reason: 'done' } });
    if (notice.action === 'quit') {
      this.#opts.quit();
      return;
    }
    try {
      const ran = await runPower(notice.action, this.#opts.platform, this.#opts.run);
      this.#opts.log(`haul: the queue is done; ran "${ran}"`);
    } catch (error) {
      const message = `Haul could not ${notice.action === 'sleep' ? 'put the machine to sleep' : 'shut the machine down'}: ${(error as Error).message.split('\n')[0]}`;
      this.#opts.log(`haul: ${message}`);
      this.#emit({ name: 'when-done-ended', data: { reason: 'failed', message } });
    }
  }

  #emit(event: WhenDoneEvent): void {
    for (const listener of this.#listeners) listener(event);
  }
}
