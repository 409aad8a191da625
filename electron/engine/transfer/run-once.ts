import { toHaulError, type HaulError } from '../errors.ts';
import type { TaskOutcome } from './outcome.ts';

/**
 * One run of a source: started once (later calls get the same run), stopped at any time, or
 * failed from outside (a checkpoint the disk refused, a segment that kept failing); `signal`
 * tells the run's steps to stop. How a run that threw ends is decided in one place (`ended`).
 */
export class RunOnce {
  readonly #halt = new AbortController();
  readonly #body: () => Promise<TaskOutcome>;
  #done: Promise<TaskOutcome> | undefined;
  #fault: HaulError | undefined;

  constructor(body: () => Promise<TaskOutcome>) {
    this.#body = body;
  }

  get signal(): AbortSignal {
    return this.#halt.signal;
  }

  /**
   * Calls `listener` with the reason once the run is stopped: at once if it already is. (An
   * abort listener added after the stop never hears it; a step that awaited before listening
   * would then wait forever.)
   */
  onStop(listener: (reason: unknown) => void): void {
    const signal = this.#halt.signal;
    if (signal.aborted) listener(signal.reason);
    else signal.addEventListener('abort', () => listener(signal.reason), { once: true });
  }

  /** What failed the run from outside, if anything. */
  get fault(): HaulError | undefined {
    return this.#fault;
  }

  start(): Promise<TaskOutcome> {
    this.#done ??= this.#body();
    return this.#done;
  }

  stop(reason: string): Promise<TaskOutcome> {
    if (!this.#halt.signal.aborted) this.#halt.abort(new Error(reason));
    return this.#done ?? Promise.resolve({ kind: 'stopped' });
  }

  /** Stops like `stop`, but the run ends as failed with `error` (the first one given). */
  fail(error: HaulError): void {
    this.#fault ??= error;
    void this.stop(error.message);
  }

  /** How a run that threw `error` ends: failed by what failed it from outside, stopped if asked to, else failed with what it threw. */
  ended(error: unknown): TaskOutcome {
    if (this.#fault !== undefined) return { kind: 'failed', error: this.#fault };
    if (this.#halt.signal.aborted) return { kind: 'stopped' };
    return { kind: 'failed', error: toHaulError(error) };
  }
}
