// Runs the remux off the main event loop (see remux-runner.ts): segments come in as messages as
// they reach the disk, then 'end'; the result (or what went wrong) goes back as one message.
import { parentPort, workerData } from 'node:worker_threads';
import { Remuxer, type ReadySegment } from './remux.ts';

const job = workerData as { output: string; tracks: number };
const remuxer = new Remuxer(job.output, job.tracks);
parentPort?.on('message', (message: { kind: 'segment'; segment: ReadySegment } | { kind: 'end' }) => {
  if (message.kind === 'segment') {
    remuxer.add(message.segment);
    return;
  }
  remuxer.finish().then(
    (result) => parentPort?.postMessage({ ok: true, result }),
    (error: unknown) => parentPort?.postMessage({ ok: false, message: error instanceof Error ? error.message : String(error) }),
  );
});
