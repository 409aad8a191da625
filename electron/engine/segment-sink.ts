import type { BodySink, ResponseControl } from './http/send-get.ts';
import type { Segment } from './segment-scheduler.ts';

/**
 * Passes a response's bytes for one segment to `inner`, never past the segment's end (which
 * shrinks when another connection takes the far half); reaching it closes the connection
 * and calls `onEnd`, so that closing is not mistaken for a failure.
 */
export function segmentSink(seg: Segment, inner: BodySink, control: ResponseControl, onEnd: () => void): BodySink {
  const finish = (): false => {
    onEnd();
    control.abort(new Error('segment complete'));
    return false;
  };
  return {
    write(chunk) {
      const room = seg.end === null ? chunk.length : seg.end - seg.accepted;
      if (room <= 0) return finish();
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      seg.accepted += part.length;
      const ok = inner.write(part);
      return seg.end !== null && seg.accepted >= seg.end ? finish() : ok;
    },
  };
}
