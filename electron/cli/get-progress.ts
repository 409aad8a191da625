import fs from 'node:fs';
import path from 'node:path';
import type { Download } from '../../shared/api.ts';
import type { Engine } from '../engine/engine.ts';
import { partName } from '../engine/records/record.ts';
import { progressBarLine, progressDoneLine, progressPlainLine } from './progress-line.ts';

/** Whether the partial file still holds the `received` bytes a record says it does. */
export async function partHolds(d: Download): Promise<boolean> {
  const size = await fs.promises.stat(path.join(d.dir, partName(d.filename))).then(
    (s) => s.size,
    () => -1,
  );
  return size >= d.received;
}

/**
 * Renders progress until the returned function is called (with whether to draw the final
 * state, which shows this run's average speed). Without a terminal, a line per tenth of the
 * file or every 10 s, and when a retry starts.
 */
export function showProgress(engine: Engine, id: string, out: NodeJS.WriteStream, resumedAt: number): (finalRender: boolean) => void {
  const tty = out.isTTY === true;
  const started = Date.now();
  let lastPlain = 0;
  let lastDecile = -1;
  let lastRetry: string | undefined;
  // A speed not yet measured (the first lines) is this run's average so far, not 0 B/s.
  const withSpeed = (d: Download): Download => (d.speed > 0 || d.received <= resumedAt ? d : { ...d, speed: ((d.received - resumedAt) * 1000) / Math.max(1, Date.now() - started) });
  const render = (): void => {
    const d = engine.get(id);
    if (d === undefined) return;
    if (tty) {
      out.write(`\r${progressBarLine(withSpeed(d), out.columns ?? 80)}\u001b[K`);
      return;
    }
    const decile = d.total ? Math.floor((d.received / d.total) * 10) : -1;
    const now = Date.now();
    const retry = d.retry?.at;
    if (decile !== lastDecile || now - lastPlain > 10_000 || retry !== lastRetry) {
      lastDecile = decile;
      lastPlain = now;
      lastRetry = retry;
      out.write(`${progressPlainLine(withSpeed(d))}\n`);
    }
  };
  const onProgress = (): void => render();
  engine.on('progress', onProgress);
  engine.on('updated', onProgress);
  // A wait to retry counts down on a terminal even when nothing else moves.
  const ticker = tty ? setInterval(render, 1_000) : undefined;
  ticker?.unref();
  return (finalRender) => {
    engine.off('progress', onProgress);
    engine.off('updated', onProgress);
    clearInterval(ticker);
    const d = engine.get(id);
    if (finalRender && d !== undefined) {
      const line = progressDoneLine(d, d.received - resumedAt, (Date.now() - started) / 1000, tty ? (out.columns ?? 80) : 200);
      out.write(tty ? `\r${line}\u001b[K` : `${line}\n`);
    }
    if (tty) out.write('\n');
  };
}

/** `haul get --seed`: waits while the finished torrent seeds (to its ratio or time, or Ctrl-C), saying what it sent. */
export async function seedUntilDone(engine: Engine, id: string, out: NodeJS.WriteStream, quiet: boolean): Promise<void> {
  if (!quiet) out.write('Seeding (Ctrl-C stops; the file is complete).\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      engine.off('updated', check);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    const check = (): void => {
      if (engine.get(id)?.torrent?.seeding !== true) stop();
    };
    engine.on('updated', check);
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
    check();
  });
  if (!quiet) out.write(`Seeded ${engine.get(id)?.torrent?.uploaded ?? 0} bytes.\n`);
}
