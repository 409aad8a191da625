import { Worker } from 'node:worker_threads';
import { HaulError } from '../errors.ts';
import type { RemuxJob, RemuxResult } from './remux.ts';

/** The worker's file beside this one: the TypeScript source when run from sources, the bundled .mjs in a build. */
function workerUrl(): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './remux-worker.ts' : './remux-worker.mjs', import.meta.url);
}

/**
 * Joins a stream's segments into one MP4 in a worker thread, so reading and writing hundreds
 * of MiB never holds up the API or other transfers. Stopping the download ends the worker.
 */
export function runRemux(job: RemuxJob, signal: AbortSignal): Promise<RemuxResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(workerUrl(), { workerData: job });
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      signal.removeEventListener('abort', onAbort);
      fn();
    };
    const onAbort = (): void => {
      void worker.terminate();
      settle(() => reject(signal.reason));
    };
    signal.addEventListener('abort', onAbort, { once: true });
    worker.once('message', (message: { ok: true; result: RemuxResult } | { ok: false; message: string }) => {
      void worker.terminate();
      settle(() => (message.ok ? resolve(message.result) : reject(new HaulError('BAD_PLAYLIST', `The stream's segments could not be joined into an MP4: ${message.message}.`))));
    });
    worker.once('error', (error) => settle(() => reject(new HaulError('INTERNAL', `Joining the stream's segments failed: ${error.message}.`, { cause: error }))));
    worker.once('exit', (code) => settle(() => reject(new HaulError('INTERNAL', `Joining the stream's segments stopped (exit ${code}).`))));
  });
}
