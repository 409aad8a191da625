import type { Clock } from '../clock.ts';
import type { FileWriter } from '../disk/file-writer.ts';
import type { BodySink, ResponseControl } from '../http/send-get.ts';

/**
 * Joins a response to a file writer: each chunk goes to the writer, and the connection
 * pauses while the disk is behind or while the rate limit (`throttle`, ms to wait) says so,
 * resuming only when neither holds it. One read can hand over many chunks (a chunked body's
 * slices): the pause lasts until the latest wait any of them asked for, not the first.
 * `stop()` drops a pending wait once the response is over, so nothing outlives it.
 */
export function throttledSink(writer: FileWriter, control: ResponseControl, clock: Clock, throttle: (bytes: number) => number): { sink: BodySink; stop(): void } {
  let diskWait = false;
  let resumeAt = 0;
  let cancelTimer: (() => void) | undefined;
  const maybeResume = (): void => {
    if (!diskWait && cancelTimer === undefined) control.resume();
  };
  const stopDrain = writer.onDrained(() => {
    diskWait = false;
    maybeResume();
  });
  // Other connections sharing the limit may have spent meanwhile: read again only once the
  // limit is back in credit, so many connections cannot run it ever deeper into debt.
  const recheck = (): void => {
    const more = throttle(0);
    if (more > 0) {
      resumeAt = clock.now() + more;
      cancelTimer = clock.setTimeout(recheck, more);
      return;
    }
    cancelTimer = undefined;
    maybeResume();
  };
  return {
    sink: {
      write(chunk) {
        let ok = writer.write(chunk);
        if (!ok) diskWait = writer.error === undefined;
        const wait = throttle(chunk.length);
        if (wait > 0) {
          ok = false;
          const at = clock.now() + wait;
          if (at > resumeAt) {
            resumeAt = at;
            cancelTimer?.();
            cancelTimer = clock.setTimeout(recheck, wait);
          }
        }
        return ok;
      },
    },
    stop: () => {
      cancelTimer?.();
      cancelTimer = undefined;
      stopDrain();
    },
  };
}
