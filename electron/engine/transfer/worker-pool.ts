import { toHaulError } from '../errors.ts';
import { ConnectionGrowth } from './connection-growth.ts';
import type { TransferOutcome } from './outcome.ts';
import { DEFAULT_REQUEST_SIZE, type RequestSizeOptions } from './request-sizer.ts';
import { DEFAULT_SCHEDULER, SegmentScheduler, type SchedulerOptions } from './segment-scheduler.ts';
import { Segment } from './segment.ts';
import type { TransferContext } from './transfer-context.ts';
import { runWorker, type WorkerContext } from './worker.ts';

export interface SegmentOptions extends SchedulerOptions, RequestSizeOptions {
  /** Files smaller than this use one connection. Default 4 MiB. */
  minSegmentedSize: number;
  /** Connections a segmented download runs once its rate is seen, before growing (unless it asked for N explicitly). Default 4. */
  initialConnections: number;
  /** How often the connection count is reconsidered. Default 100 ms. */
  growIntervalMs: number;
  /**
   * No connection is added while the rest would arrive within this long at the rate seen:
   * its handshake and ramp would cost more than it could save (aria2's min-split-size, judged
   * by time rather than size). Default 500 ms.
   */
  finishSoonMs: number;
}

/** Above this (of one core, or of the machine), Haul or the machine is the bottleneck: no connection is added. */
const BUSY = 0.85;

/** Stragglers replaced per transfer at most, so a server whose every connection is slow cannot make Haul churn. */
const MAX_REPLACEMENTS = 64;

export const DEFAULT_SEGMENTS: SegmentOptions = { ...DEFAULT_SCHEDULER, ...DEFAULT_REQUEST_SIZE, minSegmentedSize: 4 * 1024 * 1024, initialConnections: 4, growIntervalMs: 100, finishSoonMs: 500 };

/**
 * Fetches every missing byte with as many connections as pay. With the size unknown, one
 * connection starts at the first gap and learns it; then (size known, ranges work, file large
 * enough) connections are added while throughput grows, up to the download's limit. A
 * connection that finishes takes the far part of the range with the most time left, so a
 * slow connection is hedged; stragglers are not fed more work. Resolves with how it ended.
 */
/** How far back "the rest arrives soon" looks for the download's rate. */
const SOON_WINDOW_MS = 500;

export async function runTransfer(base: TransferContext, outer: AbortSignal): Promise<TransferOutcome> {
  const transfer = new AbortController();
  const onAbort = (): void => transfer.abort(outer.reason);
  // Stopped before it began (a pause during the first request): it ends at once.
  if (outer.aborted) onAbort();
  else outer.addEventListener('abort', onAbort, { once: true });
  const workers = new Set<Promise<void>>();
  let ended: TransferOutcome | undefined;
  let scheduler: SegmentScheduler | undefined;
  let growth = new ConnectionGrowth(1);
  let replacements = MAX_REPLACEMENTS;
  const startBytes = base.file.part.onDisk.size;
  /**
   * The bytes on disk at each tick of the last half second: the last tick's rate for growth, the
   * half second's for how soon the rest arrives (one tick that saw no bytes, on a busy machine, says little).
   */
  const recent: Array<{ time: number; bytes: number }> = [{ time: base.clock.now(), bytes: startBytes }];
  const ctx: WorkerContext = {
    ...base,
    scheduler: () => scheduler,
    hasCompany: () => workers.size > 1,
    report: {
      ...base.report,
      stepDown: () => {
        base.report.stepDown();
        growth.cap(Math.max(1, workers.size - 1));
      },
    },
    end: (outcome) => {
      ended ??= outcome;
      transfer.abort(new Error(outcome.kind));
    },
  };
  const spawn = (seg: Segment, onHeadKnown?: (seg: Segment) => void): void => {
    const run: Promise<void> = runWorker(ctx, seg, transfer.signal, onHeadKnown)
      .catch((error: unknown) => ctx.end({ kind: 'failed', error: toHaulError(error) }))
      .finally(() => workers.delete(run));
    workers.add(run);
  };
  // With the default setting, a download runs one connection for two ticks: the first one's
  // figures include the connection's start (idle while it connects), the second's are its own.
  let ticksToFirstLook = base.download.explicitConnections() ? 0 : 2;
  const grow = (tick: boolean): void => {
    if (scheduler === undefined || transfer.signal.aborted) return;
    const now = base.clock.now();
    for (const seg of scheduler.active) seg.sample(now);
    // A straggler is about to stop (a new connection takes its rest), so it does not count
    // toward the target: its replacement starts now. Replacements are bounded per transfer.
    const stragglers = base.net.limited() ? 0 : Math.min(scheduler.markStragglers(now), replacements);
    const bytes = base.file.part.onDisk.size;
    const rateSince = (from: { time: number; bytes: number } | undefined): number => (from === undefined ? 0 : ((bytes - from.bytes) * 1000) / Math.max(1, now - from.time));
    const throughput = rateSince(recent.at(-1));
    recent.push({ time: now, bytes });
    while (recent.length > 2 && now - (recent[1]?.time ?? now) >= SOON_WINDOW_MS) recent.shift();
    const lately = rateSince(recent[0]);
    const rest = (base.download.record().total ?? Number.POSITIVE_INFINITY) - bytes;
    const soon = lately > 0 && (rest * 1000) / lately < base.segments.finishSoonMs;
    const load = base.net.load();
    // A count is tried only where the process has room for the work it brings: its loop's
    // share grows with the bytes it handles, and a busy machine gains nothing from more.
    const loopHasRoomFor = (factor: number): boolean => load.loop * factor < BUSY;
    const roomFor = (factor: number): boolean => base.download.segmentable() && !soon && load.machine < BUSY && loopHasRoomFor(factor);
    const initial = Math.min(base.download.limit(), base.segments.initialConnections);
    // The first look: the one connection leaves the process waiting for the network most of the
    // time, so more are likely to pay. Where Haul's own work is the limit (TLS on a fast
    // link), only judged growth may add connections.
    // A rate needs bytes: the first look waits for the first of them.
    if (tick && ticksToFirstLook > 0 && (ticksToFirstLook > 1 || bytes > startBytes) && --ticksToFirstLook === 0 && roomFor(initial)) growth = new ConnectionGrowth(initial);
    const target = growth.tick(throughput, workers.size >= growth.target, base.download.limit(), roomFor(2));
    // Nearly done: keep what runs, and one connection going at least.
    const wanted = soon ? Math.min(target, Math.max(1, workers.size - stragglers)) : target;
    // An open-ended request (sent before ranges were known to work) is bounded when other
    // connections join (a split then lands where a request ends, not mid-response) and where
    // the network holds it back (servers that throttle per request grant each an allowance).
    // Alone, and where Haul itself is the limit, one open response is cheapest.
    const joining = workers.size - stragglers < wanted;
    if (base.download.bounded() && (joining || (tick && !soon && loopHasRoomFor(2)))) for (const seg of scheduler.active) seg.boundRequest(seg.accepted + base.segments.firstRequestBytes);
    let seg: Segment | undefined;
    while (workers.size - stragglers < wanted && (seg = scheduler.take(now)) !== undefined) {
      if (workers.size >= target) replacements -= 1;
      spawn(seg);
    }
  };
  const enableSegments = (): void => {
    const total = base.download.record().total;
    if (scheduler !== undefined || total === null) return;
    scheduler = new SegmentScheduler(total, base.file.part.onDisk, base.segments);
    base.report.watch(scheduler);
    // Asked for N connections explicitly (-x, the API's `connections`): start with N. With
    // the default setting, start with one; the first look at its rate decides on more.
    if (base.download.segmentable()) growth = new ConnectionGrowth(base.download.explicitConnections() ? base.download.limit() : 1);
  };
  const stopGrowing = base.clock.setInterval(() => grow(true), base.segments.growIntervalMs);
  try {
    const rec = base.download.record();
    if (rec.total === null || !rec.resumable) {
      // The size is unknown (or ranges do not work): one connection from the first gap learns
      // it, and hands over to segments once it does.
      // Called on every response of this connection; only the first one hands over.
      let adopted = false;
      spawn(new Segment(base.file.part.onDisk.prefix, null, base.clock.now()), (seg) => {
        if (adopted) return;
        enableSegments();
        if (scheduler === undefined) return;
        scheduler.adopt(seg);
        adopted = true;
        grow(false);
      });
    } else {
      enableSegments();
      grow(false);
    }
    for (let rounds = 0; ; rounds++) {
      while (workers.size > 0) await Promise.race(workers);
      if (ended !== undefined) return ended;
      if (outer.aborted) return { kind: 'stopped' };
      const total = base.download.record().total;
      if (total === null || base.file.part.onDisk.size >= total) return { kind: 'covered' };
      // Connections stepped down or retired and left gaps: fetch the rest from a fresh plan.
      if (rounds > 1_000) return { kind: 'failed', error: toHaulError(new Error('the transfer kept stopping with bytes missing')) };
      scheduler = new SegmentScheduler(total, base.file.part.onDisk, base.segments);
      base.report.watch(scheduler);
      const seg = scheduler.take(base.clock.now());
      if (seg === undefined) return { kind: 'covered' };
      spawn(seg);
    }
  } finally {
    stopGrowing();
    outer.removeEventListener('abort', onAbort);
    transfer.abort(new Error('transfer finished'));
    await Promise.allSettled([...workers]);
  }
}
