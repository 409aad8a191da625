import type { BodySink, ResponseControl } from '../http/send-get.ts';

/**
 * A body sink for a response whose file is not ready yet (its name is being reserved, its
 * part file opened or emptied, all asynchronously). The connection is paused at once; the
 * few bytes that came with the head are copied and handed on when `ready` gives the real
 * sink. If preparing fails, the response is aborted with that error. A short body may end
 * before the file is ready: `settled` resolves once the early bytes are handed on (or rejects
 * with the error that stopped preparing), so the request is not over before they are.
 */
export function deferredSink(ready: Promise<BodySink>, control: ResponseControl): { sink: BodySink; settled: Promise<void> } {
  let inner: BodySink | undefined;
  const early: Uint8Array[] = [];
  const settled = ready.then(
    (sink) => {
      inner = sink;
      let ok = true;
      for (const chunk of early.splice(0)) ok = sink.write(chunk) && ok;
      if (ok) control.resume();
    },
    (error: unknown) => {
      control.abort(error instanceof Error ? error : new Error(String(error)));
      throw error;
    },
  );
  const sink: BodySink = {
    write(chunk) {
      if (inner !== undefined) return inner.write(chunk);
      // The chunk may be the transport's reused read buffer: keep a copy.
      early.push(Uint8Array.prototype.slice.call(chunk));
      return false;
    },
  };
  return { sink, settled };
}
