import type { BodySink, ResponseControl } from '../http/send-get.ts';
import type { Segment } from './segment.ts';

/**
 * Passes a response's bytes for one segment to `inner`, never past `stopAt()`: the segment's
 * end (which shrinks when another connection takes the far half) or the end of the bytes this
 * request is meant to fetch, whichever comes first. Stopping before the response's own end
 * (`responseEnd`, exclusive, null if unknown) closes the connection; either way `onEnd` is
 * called, so that closing is not mistaken for a failure.
 */
export function segmentSink(seg: Segment, inner: BodySink, control: ResponseControl, stopAt: () => number, responseEnd: number | null, onEnd: () => void): BodySink {
  const finish = (): false => {
    onEnd();
    control.abort(new Error('segment complete'));
    return false;
  };
  return {
    write(chunk) {
      const end = stopAt();
      const room = end - seg.accepted;
      if (room <= 0) return finish();
      const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
      seg.accept(part.length);
      const ok = inner.write(part);
      if (seg.accepted < end) return ok;
      // The response ends here anyway: let it finish, so its connection can be reused (unless
      // it is a straggler's: a new connection may well be faster).
      if (seg.accepted === responseEnd && !seg.straggler) {
        onEnd();
        return ok;
      }
      return finish();
    },
  };
}
