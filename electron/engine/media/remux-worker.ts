// Runs the remux off the main event loop (see remux-runner.ts): segments come in as messages as
// they reach the disk, then 'end'; the result (or what went wrong) goes back as one message.
// MPEG-TS with H.264 and AAC takes the quick path (ts-mp4/); anything else the general remux.
import { parentPort, workerData } from 'node:worker_threads';
import type { ReadySegment, RemuxResult } from './remux.ts';
import { takesTs, TsRemuxer } from './ts-mp4/ts-remuxer.ts';

interface Joiner {
  add(segment: ReadySegment): void;
  finish(): Promise<RemuxResult>;
}

const job = workerData as { output: string; tracks: number };
/** Segments held until each track's first is here: those say which remux the stream takes. */
const held: ReadySegment[] = [];
/** The remux chosen; the general one is loaded only for a stream that needs it (it is most of this worker's code). */
let joiner: Promise<Joiner> | undefined;

/** Each track's first segment, once all are here. */
function firsts(): ReadySegment[] | undefined {
  const found = Array.from({ length: job.tracks }, (_, t) => held.find((s) => s.track === t && s.index === 0));
  return found.every((s) => s !== undefined) ? found : undefined;
}

async function choose(): Promise<Joiner> {
  const first = firsts();
  const segments = held.splice(0);
  const chosen = first !== undefined && takesTs(first) ? new TsRemuxer(job.output, job.tracks) : new (await import('./remux.ts')).Remuxer(job.output, job.tracks);
  for (const segment of segments) chosen.add(segment);
  return chosen;
}

/** Chooses once; a failure to start is answered at the end, with the rest. */
function chosen(): Promise<Joiner> {
  if (joiner === undefined) {
    joiner = choose();
    joiner.catch(() => undefined);
  }
  return joiner;
}

const answer = (message: { ok: true; result: RemuxResult } | { ok: false; message: string }): void => parentPort?.postMessage(message);
const failed = (error: unknown): void => answer({ ok: false, message: error instanceof Error ? error.message : String(error) });

parentPort?.on('message', (message: { kind: 'segment'; segment: ReadySegment } | { kind: 'end' }) => {
  if (message.kind === 'segment') {
    if (joiner !== undefined)
      void joiner.then(
        (j) => j.add(message.segment),
        () => undefined,
      );
    else {
      held.push(message.segment);
      if (firsts() !== undefined) void chosen();
    }
    return;
  }
  chosen()
    .then((j) => j.finish())
    .then((result) => answer({ ok: true, result }), failed);
});
