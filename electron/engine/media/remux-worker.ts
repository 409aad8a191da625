// Runs one remux off the main event loop (see remux-runner.ts): the job comes in workerData, the result goes back as one message.
import { parentPort, workerData } from 'node:worker_threads';
import { remux, type RemuxJob } from './remux.ts';

remux(workerData as RemuxJob).then(
  (result) => parentPort?.postMessage({ ok: true, result }),
  (error: unknown) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
);
