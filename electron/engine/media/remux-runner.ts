import { Worker } from 'node:worker_threads';
import { HaulError } from '../errors.ts';
import type { ReadySegment, RemuxResult } from './remux.ts';

/**
 * The worker's young generation: it makes a segment's worth of short-lived buffers at a time,
 * and with V8's default the heap grew with the stream's length (a 1 GiB stream peaked at 489 MiB
 * for the process; 363 MiB with this, in 3% more time).
 */
const YOUNG_GENERATION_MB = 8;

/**
 * The worker's file beside the module at `moduleUrl`: the TypeScript source when run from
 * sources, the bundled .mjs in a build. A packaged app keeps it outside its archive (the
 * build's asarUnpack): a worker thread starts from a real file.
 */
export function workerFile(moduleUrl: string): URL {
  const url = new URL(moduleUrl.endsWith('.ts') ? './remux-worker.ts' : './remux-worker.mjs', moduleUrl);
  return new URL(url.href.replace('/app.asar/', '/app.asar.unpacked/'));
}

/** A remux running in a worker thread: segments handed in as they reach the disk, then the end. */
export interface RemuxRun {
  add(segment: ReadySegment): void;
  /** Every segment was handed in: resolves once the MP4 is written (not yet flushed). */
  finish(): Promise<RemuxResult>;
  /** Ends the worker (a stop, or a failure elsewhere); its output is left as it is. */
  cancel(): void;
}

/**
 * Joins a stream's segments into one MP4 in a worker thread, while the rest still downloads,
 * so reading and writing hundreds of MiB never holds up the API or other transfers.
 */
export function startRemux(output: string, tracks: number): RemuxRun {
  const worker = new Worker(workerFile(import.meta.url), { workerData: { output, tracks }, resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
  let failure: HaulError | undefined;
  let settle: { resolve(result: RemuxResult): void; reject(error: HaulError): void } | undefined;
  const fail = (error: HaulError): void => {
    failure ??= error;
    settle?.reject(failure);
    settle = undefined;
  };
  worker.on('message', (message: { ok: true; result: RemuxResult } | { ok: false; message: string }) => {
    void worker.terminate();
    if (message.ok) settle?.resolve(message.result);
    else fail(new HaulError('BAD_PLAYLIST', `The stream's segments could not be joined into an MP4: ${message.message}.`));
    settle = undefined;
  });
  worker.on('error', (error) => fail(new HaulError('INTERNAL', `Joining the stream's segments failed: ${error.message}.`, { cause: error })));
  worker.on('exit', (code) => fail(new HaulError('INTERNAL', `Joining the stream's segments stopped (exit ${code}).`)));
  return {
    add: (segment) => worker.postMessage({ kind: 'segment', segment }),
    finish: () =>
      new Promise<RemuxResult>((resolve, reject) => {
        if (failure !== undefined) {
          reject(failure);
          return;
        }
        settle = { resolve, reject };
        worker.postMessage({ kind: 'end' });
      }),
    cancel: () => void worker.terminate(),
  };
}
