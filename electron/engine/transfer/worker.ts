import type { RetryInfo } from '../../../shared/api.ts';
import { assertNever } from '../../../shared/assert-never.ts';
import { sleep } from '../clock.ts';
import { decideFailure } from './failure-policy.ts';
import { fetchRange } from './fetch-range.ts';
import type { TransferOutcome } from './outcome.ts';
import { RequestSizer } from './request-sizer.ts';
import type { SegmentScheduler } from './segment-scheduler.ts';
import type { Segment } from './segment.ts';
import type { TransferContext } from './transfer-context.ts';

/** What a connection's loop needs: the transfer's collaborators, and the pool's view of its connections. */
export interface WorkerContext extends TransferContext {
  /** The scheduler once the size is known (undefined before). */
  scheduler(): SegmentScheduler | undefined;
  /** Whether other connections are running now. */
  hasCompany(): boolean;
  /** Ends the whole transfer (start over, or fail). */
  end(outcome: TransferOutcome): void;
}

/**
 * One connection's life: fetches its segment request by request, then takes more work from
 * the scheduler, until there is none, the transfer ends, or it steps down. Transient failures
 * wait and retry (bounded by the failure policy); every other outcome is handled here, once.
 */
export async function runWorker(ctx: WorkerContext, first: Segment, signal: AbortSignal, onHeadKnown?: (seg: Segment) => void): Promise<void> {
  const sizer = new RequestSizer(ctx.segments);
  let seg: Segment | undefined = first;
  let failures = 0;
  let mark = ctx.file.highWater();
  while (seg !== undefined && !signal.aborted) {
    // Another connection may have taken all that was left (while this one waited to retry):
    // there is nothing to ask for, and an empty range is not a request to send.
    const outcome = seg.end !== null && seg.accepted >= seg.end ? ({ kind: 'done' } as const) : await fetchRange(ctx, seg, sizer, signal, ctx.hasCompany(), onHeadKnown);
    switch (outcome.kind) {
      case 'partial':
        if (seg.straggler && ctx.hasCompany()) seg = retire(ctx, seg);
        break;
      case 'complete':
        if (ctx.download.record().total === null) ctx.file.learnTotal(seg.accepted);
        seg = next(ctx, seg);
        break;
      case 'done':
        seg = seg.straggler && ctx.hasCompany() ? retire(ctx, seg) : next(ctx, seg);
        break;
      case 'start-over':
        ctx.scheduler()?.release(seg);
        ctx.end(outcome);
        return;
      case 'stopped':
        ctx.scheduler()?.release(seg);
        return;
      case 'failed': {
        if (ctx.file.highWater() > mark) {
          failures = 0;
          mark = ctx.file.highWater();
        }
        failures += 1;
        const decision = decideFailure(outcome.error, { failures, hasCompany: ctx.hasCompany() }, ctx.retry, ctx.random);
        switch (decision.kind) {
          case 'retry':
            await waitToRetry(ctx, decision.delayMs, failures, outcome.error.toWire(), signal);
            break;
          case 'step-down':
            ctx.scheduler()?.release(seg);
            ctx.report.stepDown();
            return;
          case 'fail':
            ctx.scheduler()?.release(seg);
            ctx.end({ kind: 'failed', error: decision.error });
            return;
          default:
            assertNever(decision, 'failure decision');
        }
        break;
      }
      default:
        assertNever(outcome, 'fetch outcome');
    }
  }
}

/** The segment is done: give it back and take the next piece of work, if any. */
function next(ctx: WorkerContext, seg: Segment): Segment | undefined {
  const scheduler = ctx.scheduler();
  scheduler?.release(seg);
  return scheduler?.take(ctx.clock.now(), seg.speed);
}

/** A straggler stops: its unfetched bytes go back for a faster connection. */
function retire(ctx: WorkerContext, seg: Segment): undefined {
  ctx.scheduler()?.release(seg);
  return undefined;
}

async function waitToRetry(ctx: WorkerContext, delayMs: number, attempt: number, error: RetryInfo['error'], signal: AbortSignal): Promise<void> {
  // Durable progress first: if Haul is killed while it waits, the bytes so far are kept.
  await ctx.file.part.checkpoint().catch(() => undefined);
  ctx.report.onRetry({ attempt, limit: ctx.retry.retries, at: new Date(ctx.clock.now() + delayMs).toISOString(), error });
  try {
    await sleep(ctx.clock, delayMs, signal);
  } catch {
    // Stopped while waiting: the loop sees the aborted signal.
  } finally {
    ctx.report.onRetry(undefined);
  }
}
