import type { Clock } from '../clock.ts';
import type { TlsChoice } from '../http/dispatcher.ts';
import type { Transport } from '../http/transport.ts';
import { requestHeaders } from '../input/request-headers.ts';
import type { FieldChange } from '../records/record-change.ts';
import type { DownloadRecord } from '../records/record.ts';
import { cutRange, fetchWhole } from './fetch-whole.ts';
import { allSegments, HLS_LIMITS, type MediaPlan } from './media-plan.ts';
import { parseQuality } from './quality.ts';

export interface PlanDeps {
  transport: Transport;
  clock: Clock;
  signal: AbortSignal;
  tls: TlsChoice;
}

/**
 * Reads a stream's playlist afresh (its links may have changed since the last run) with the
 * download's own headers, and plans what to fetch at the quality it asked for. Returns the plan
 * and the change that records it (segments, length, variant, and the size it should come to).
 */
export async function planStream(rec: Readonly<DownloadRecord>, deps: PlanDeps): Promise<{ plan: MediaPlan; change: FieldChange }> {
  // Playlists whole; a DASH SegmentBase's index as a range of its file (cut here from a server that ignores Range).
  const fetchBody = (url: URL, range?: [number, number]) =>
    fetchWhole(deps.transport, { url, headers: requestHeaders(rec, url, range?.[0] ?? 0, range?.[1] ?? null), signal: deps.signal, tls: deps.tls, maxBytes: HLS_LIMITS.maxPlaylistBytes }, deps.clock);
  const fetchText = async (url: URL) => {
    const answer = await fetchBody(url);
    return { text: answer.body.toString('utf8'), url: answer.head.url };
  };
  const fetchRange = async (url: URL, range: [number, number]): Promise<Buffer> => cutRange(await fetchBody(url, range), range, url);
  const first = await fetchText(new URL(rec.url));
  const quality = parseQuality(rec.quality);
  // The playlist parsers (and DASH's XML reader) load with the first stream: a file's download never needs them.
  const plan = rec.media?.kind === 'dash' ? await (await import('./dash-plan.ts')).planDash(first, quality, fetchRange) : await (await import('./hls-plan.ts')).planHls(first, fetchText, quality);
  const bandwidth = plan.variant?.bandwidth;
  const change: FieldChange = {
    kind: 'media-plan',
    segments: allSegments(plan).length,
    duration: plan.duration,
    width: plan.variant?.width,
    height: plan.variant?.height,
    bandwidth,
    // Until every segment is here, the size is what the variant's bandwidth says the duration takes.
    total: bandwidth === undefined ? null : Math.round((bandwidth * plan.duration) / 8),
  };
  return { plan, change };
}
