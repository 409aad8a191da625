import type { Download } from '../../shared/api.ts';

/** The OS's hold that keeps the machine from sleeping (Electron's powerSaveBlocker), as two calls. */
export interface AwakeHold {
  start(): number;
  stop(id: number): void;
}

/**
 * Keeps the machine awake while downloads run, and lets it sleep again once none does: one hold
 * at most, taken when the first download starts and given back when the last one stops.
 */
export class StayAwake {
  readonly #hold: AwakeHold;
  #id: number | undefined;

  constructor(hold: AwakeHold) {
    this.#hold = hold;
  }

  /** Looks at the downloads again (call on every change of status). */
  update(downloads: readonly Pick<Download, 'status'>[]): void {
    const running = downloads.some((d) => d.status === 'downloading');
    if (running && this.#id === undefined) this.#id = this.#hold.start();
    else if (!running && this.#id !== undefined) {
      this.#hold.stop(this.#id);
      this.#id = undefined;
    }
  }
}
