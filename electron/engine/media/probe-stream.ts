import type { StreamProbe } from '../../../shared/api.ts';
import type { Clock } from '../clock.ts';
import { headerValue } from '../http/headers.ts';
import type { Transport } from '../http/transport.ts';
import { requestHeaders } from '../input/request-headers.ts';
import { fetchWhole } from './fetch-whole.ts';
import { HLS_LIMITS } from './media-plan.ts';
import { playlistKind } from './playlist-kind.ts';

/** How long a probe may take: it answers someone waiting in the add panel. */
const PROBE_MS = 15_000;

/**
 * Whether `url` answers with a playlist, and the qualities it offers: what the add panel shows
 * before the link is added. Only the first answer is read (a master playlist lists its variants).
 */
export async function probeStream(transport: Transport, clock: Clock, url: URL): Promise<StreamProbe> {
  const answer = await fetchWhole(transport, { url, headers: requestHeaders({ headers: {} }, url, 0), signal: AbortSignal.timeout(PROBE_MS), maxBytes: HLS_LIMITS.maxPlaylistBytes }, clock);
  const kind = playlistKind(headerValue(answer.head.headers, 'content-type'), answer.body.subarray(0, 1024)) ?? null;
  const fetched = { text: answer.body.toString('utf8'), url: answer.head.url };
  switch (kind) {
    case null:
      return { kind, variants: [] };
    case 'hls': {
      const { hlsVariant, parsePlaylist } = await import('./hls-plan.ts');
      return { kind, variants: (parsePlaylist(fetched).playlists ?? []).map(hlsVariant).filter((v) => v.height !== undefined) };
    }
    case 'dash': {
      // The qualities only: no segment index need be read for them.
      const { dashVariants } = await import('./dash-plan.ts');
      return { kind, variants: dashVariants(fetched) };
    }
  }
}
