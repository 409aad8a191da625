import { assertNever } from '../../../shared/assert-never.ts';
import type { FileWriter } from '../disk/file-writer.ts';
import { TransferError, toHaulError, type FileError } from '../errors.ts';
import { classifyNetworkError } from '../http/classify.ts';
import { getFollowingRedirects } from '../http/follow-redirects.ts';
import { DISCARD, type BodySink, type ResponseControl, type ResponseHead } from '../http/send-get.ts';
import { requestHeaders } from '../input/request-headers.ts';
import { deferredSink } from './deferred-sink.ts';
import type { FetchOutcome } from './outcome.ts';
import { planResponse } from './representation.ts';
import type { RequestSizer } from './request-sizer.ts';
import type { Segment } from './segment.ts';
import { segmentSink } from './segment-sink.ts';
import { throttledSink } from './throttled-sink.ts';
import type { TransferContext, WritePlan } from './transfer-context.ts';

/** What one request needs from the transfer it belongs to. */
export type FetchContext = Pick<TransferContext, 'clock' | 'download' | 'file' | 'net' | 'report'>;

/**
 * One request for the next part of `seg`: a bounded range of the size `sizer` suggests once
 * ranges are known to work, else the rest of the file (the first request learns its size).
 * Returns how it ended; transport failures and odd answers become outcomes, never throws.
 */
export async function fetchRange(ctx: FetchContext, seg: Segment, sizer: RequestSizer, signal: AbortSignal, hasCompany: boolean, onHeadKnown?: (seg: Segment) => void): Promise<FetchOutcome> {
  const rec = ctx.download.record();
  const from = seg.accepted;
  const url = new URL(rec.url);
  const started = ctx.clock.now();
  const bounded = ctx.download.bounded();
  const requestEnd = bounded ? Math.min(seg.end ?? rec.total ?? 0, from + sizer.next) : Number.POSITIVE_INFINITY;
  seg.beginRequest(requestEnd);
  const askEnd = Number.isFinite(requestEnd) ? requestEnd : seg.end;
  const ranged = from > 0 || (askEnd !== null && askEnd !== rec.total);
  let outcome: FetchOutcome | undefined;
  let responseEnd: number | null = null;
  let writer: FileWriter | undefined;
  let reachedEnd = false;
  let preparing: Promise<void> | undefined;
  let answered = false;
  let stopThrottle: (() => void) | undefined;
  /** Where the request was to stop, as it ended (the pool may bound an open-ended one). */
  let askedEnd: number;

  const sinkFor = (plan: WritePlan, control: ResponseControl): BodySink => {
    if (plan.fresh) seg.startOver(plan.total);
    else if (plan.total !== null) seg.learnTotal(plan.total);
    writer = ctx.file.part.writer(plan.from, { buffers: ctx.file.writerBuffers(), onError: (error) => control.abort(error) });
    onHeadKnown?.(seg);
    // A request sent before ranges were known to work stays open-ended, as curl's one request
    // is: a download that never splits reads one response to its end. When another connection
    // takes the far part, the segment's end moves and this response stops there; on a slow
    // network the pool bounds it (Segment.boundRequest).
    const throttled = throttledSink(writer, control, ctx.clock, (bytes) => ctx.net.throttle(bytes));
    stopThrottle = throttled.stop;
    return segmentSink(
      seg,
      throttled.sink,
      control,
      () => Math.min(seg.end ?? Number.POSITIVE_INFINITY, seg.requestEnd),
      plan.end,
      () => {
        reachedEnd = true;
      },
    );
  };

  const onHead = (head: ResponseHead, control: ResponseControl): BodySink | typeof DISCARD => {
    answered = true;
    const plan = planResponse(head, { from, ranged, hasCompany }, ctx.download.record(), ctx.clock.now());
    switch (plan.kind) {
      case 'error':
        outcome = { kind: 'failed', error: plan.error };
        return DISCARD;
      case 'complete':
        outcome = { kind: 'complete' };
        return DISCARD;
      case 'start-over':
        outcome = { kind: 'start-over', reason: `${head.url.host} ${plan.reason}`, rangesUnusable: plan.rangesUnusable };
        return DISCARD;
      case 'write': {
        responseEnd = plan.end;
        const ready = ctx.file.beginBody(plan, head);
        if (ready === undefined) return sinkFor(plan, control);
        const deferred = deferredSink(
          ready.then(() => sinkFor(plan, control)),
          control,
        );
        preparing = deferred.settled;
        return deferred.sink;
      }
      default:
        return assertNever(plan, 'response plan');
    }
  };

  ctx.report.inFlight(1);
  try {
    // Stopped with the transfer, or on its own once another connection took all it had left.
    const requestSignal = AbortSignal.any([signal, seg.cutSignal]);
    await getFollowingRedirects(ctx.net.transport, { url, headers: requestHeaders(rec, url, from, askEnd === rec.total ? null : askEnd), signal: requestSignal, ...ctx.net.request() }, onHead);
  } catch (error) {
    if (signal.aborted) outcome ??= { kind: 'stopped' };
    else if (seg.cutSignal.aborted) outcome ??= { kind: 'done' };
    else if (!reachedEnd) outcome ??= { kind: 'failed', error: classifyNetworkError(error, url, answered) };
  } finally {
    ctx.report.inFlight(-1);
    askedEnd = seg.endRequest();
    stopThrottle?.();
  }
  // A body that ended while its file was being readied: its bytes are written once it is.
  if (preparing !== undefined) {
    const prepError = await preparing.then(
      () => undefined,
      (error: unknown) => toHaulError(error),
    );
    stopThrottle?.();
    if (prepError !== undefined) return { kind: 'failed', error: prepError };
  }
  const writeError = await settleWriter(writer);
  if (writeError !== undefined) return { kind: 'failed', error: writeError };
  if (outcome !== undefined) return outcome;
  sizer.record(seg.accepted - from, ctx.clock.now() - started);
  return checkLength(ctx, seg, responseEnd, askedEnd, url);
}

async function settleWriter(writer: FileWriter | undefined): Promise<FileError | undefined> {
  if (writer === undefined) return undefined;
  await writer.idle().catch(() => undefined);
  return writer.error;
}

/**
 * After a body ended: a request that reached the end it asked for, or a server-capped range,
 * continues; a short body is a transient failure, retried from the bytes on disk.
 */
function checkLength(ctx: FetchContext, seg: Segment, responseEnd: number | null, requestEnd: number, url: URL): FetchOutcome {
  const total = ctx.download.record().total;
  if (total === null) {
    // Unknown length: the body ending is the end of the file.
    seg.endHere();
    ctx.file.learnTotal(seg.accepted);
    return { kind: 'done' };
  }
  const end = seg.end ?? total;
  if (seg.accepted >= end) return { kind: 'done' };
  if (seg.accepted === requestEnd) return { kind: 'partial' };
  if (responseEnd !== null && responseEnd < end && seg.accepted === responseEnd) return { kind: 'partial' };
  const error = new TransferError('NETWORK_ERROR', `The connection to ${url.host} ended after ${ctx.file.part.onDisk.size} of ${total} bytes.`, {
    hint: 'Haul retries automatically from there.',
    transient: true,
    params: { host: url.host },
  });
  return { kind: 'failed', error };
}
