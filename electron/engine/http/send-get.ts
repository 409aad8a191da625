import type { Dispatcher } from 'undici';

export type ResponseHeaders = Record<string, string | string[] | undefined>;

export interface ResponseHead {
  status: number;
  headers: ResponseHeaders;
  url: URL;
}

/** Receives an accepted response's body. */
export interface BodySink {
  /**
   * Called per chunk, in order. The chunk is only valid during the call (the fast transport
   * reuses its read buffer): copy what you keep. Return false to pause the connection until
   * `resume()` is called.
   */
  write(chunk: Uint8Array): boolean;
}

export interface ResponseControl {
  /** Resumes a connection paused by `BodySink.write` returning false. */
  resume(): void;
  /** Ends the response early; the pending `sendGet` rejects with `reason`. */
  abort(reason: Error): void;
}

/** Returned by `onHead` to drop a response without reading its body (a redirect, say). */
export const DISCARD = null;

/**
 * Sends one GET (no redirects followed) and streams the body into the sink that `onHead`
 * chooses. This is the hot path: undici's dispatch callbacks hand each chunk straight to the
 * sink, with no stream objects or per-chunk allocations of our own in between.
 *
 * Resolves when the body has ended or was discarded; rejects with the transport error or
 * the abort reason.
 */
export function sendGet(
  dispatcher: Dispatcher,
  request: { url: URL; headers: Record<string, string>; signal?: AbortSignal },
  onHead: (head: ResponseHead, control: ResponseControl) => BodySink | typeof DISCARD,
): Promise<void> {
  const { url, headers, signal } = request;
  return new Promise<void>((resolve, reject) => {
    let sink: BodySink | null = null;
    let discarded = false;
    let settled = false;
    let controller: Dispatcher.DispatchController | undefined;
    const onAbort = (): void => controller?.abort(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    const settle = (error?: Error): void => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', onAbort);
      if (error === undefined || discarded) resolve();
      else reject(error);
    };
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(c) {
        controller = c;
        if (signal?.aborted) onAbort();
      },
      onResponseStart(c, status, responseHeaders) {
        const control: ResponseControl = { resume: () => c.resume(), abort: (reason) => c.abort(reason) };
        try {
          sink = onHead({ status, headers: responseHeaders, url }, control);
        } catch (error) {
          c.abort(error instanceof Error ? error : new Error(String(error)));
          return;
        }
        if (sink === DISCARD) {
          discarded = true;
          c.abort(new Error('response discarded'));
        }
      },
      onResponseData(c, chunk) {
        if (sink !== null && !sink.write(chunk)) c.pause();
      },
      onResponseEnd() {
        settle();
      },
      onResponseError(_c, error) {
        settle(error);
      },
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    try {
      dispatcher.dispatch({ origin: url.origin, path: `${url.pathname}${url.search}`, method: 'GET', headers }, handler);
    } catch (error) {
      settle(error instanceof Error ? error : new Error(String(error)));
    }
  });
}
