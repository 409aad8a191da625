import type { Clock } from '../clock.ts';
import type { FileWriter } from '../disk/file-writer.ts';
import type { BodySink, ResponseControl } from '../http/send-get.ts';

/**
 * Joins a response to a file writer: each chunk goes to the writer, and the connection
 * pauses while the disk is behind or while the rate limit (`throttle`, ms to wait) says so,
 * resuming only when neither holds it.
 */
export function throttledSink(writer: FileWriter, control: ResponseControl, clock: Clock, throttle: (bytes: number) => number): BodySink {
  let diskWait = false;
  let rateWait = false;
  const maybeResume = (): void => {
    if (!diskWait && !rateWait) control.resume();
  };
  writer.onDrain = () => {
    diskWait = false;
    maybeResume();
  };
  return {
    write(chunk) {
      let ok = writer.write(chunk);
      if (!ok) diskWait = writer.error === undefined;
      const wait = throttle(chunk.length);
      if (wait > 0) {
        rateWait = true;
        ok = false;
        clock.setTimeout(() => {
          rateWait = false;
          maybeResume();
        }, wait);
      }
      return ok;
    },
  };
}
