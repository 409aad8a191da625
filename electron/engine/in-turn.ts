/**
 * Runs asynchronous tasks one after another, in the order they were asked for: each starts
 * once every earlier one has ended, however it ended. For steps whose answers must land in
 * the order they were taken (checkpoints recording what is on disk), or that must not overlap.
 */
export class InTurn {
  /** The last task asked for, its failure already answered by whoever asked. */
  #last: Promise<unknown> = Promise.resolve();

  /** Runs `task` after the tasks asked for before it; resolves or rejects as it does. */
  run<T>(task: () => Promise<T>): Promise<T> {
    const next = this.#last.then(task);
    this.#last = next.catch(() => undefined);
    return next;
  }

  /** Resolves once every task asked for so far has ended. */
  async idle(): Promise<void> {
    await this.#last;
  }
}
