/** Bounds on what a playlist may ask for: past them it is refused, not followed. */
export const HLS_LIMITS = { maxPlaylistBytes: 16 * 1024 * 1024, maxSegments: 100_000 };

/** A playlist's text and the address it came from (after redirects: relative URIs resolve against it). */
export interface FetchedText {
  text: string;
  url: URL;
}

/** One piece of a stream to fetch: a URL, maybe a byte range of it, maybe encrypted. */
export interface SegmentRef {
  url: string;
  /** Bytes [start, end) of the resource, for playlists that cut one file into segments. */
  range?: [number, number] | undefined;
  /** AES-128-CBC: the key's URL and this segment's IV. */
  key?: KeyRef | undefined;
  /** Seconds (0 for an init section). */
  duration: number;
  /** Its timestamps need not follow the previous segment's (EXT-X-DISCONTINUITY). */
  discontinuity?: boolean | undefined;
}

export interface KeyRef {
  url: string;
  iv: Buffer;
}

/** One stream of the result: the video (with its audio, when muxed in) or a separate audio rendition. */
export interface TrackPlan {
  role: 'main' | 'audio';
  /** fMP4: the initialisation section every segment needs first. */
  init?: SegmentRef | undefined;
  segments: SegmentRef[];
}

/** A variant of a master playlist, or a DASH representation: what the quality choice sees. */
export interface Variant {
  width?: number | undefined;
  height?: number | undefined;
  bandwidth?: number | undefined;
  codecs?: string | undefined;
}

/** Everything a stream download fetches, in order, and what it is. */
export interface MediaPlan {
  tracks: TrackPlan[];
  /** Seconds. */
  duration: number;
  /** The variant chosen (none for a playlist of one quality). */
  variant?: Variant | undefined;
  /** Every variant offered, for the add panel. */
  variants: Variant[];
}

/** One thing to fetch: a track's init section (`order` undefined) or its segment number `order`. */
export interface PlannedItem {
  track: number;
  ref: SegmentRef;
  /** Its place in the whole list (what the record's `done` counts). */
  index: number;
  order?: number | undefined;
  /** The index of its track's init section, which must be read before it. */
  initIndex?: number | undefined;
}

/** The whole list of what to fetch, in one order: track after track, each init section first. */
export function allSegments(plan: MediaPlan): PlannedItem[] {
  const out: PlannedItem[] = [];
  plan.tracks.forEach((track, t) => {
    const initIndex = track.init === undefined ? undefined : out.length;
    if (track.init !== undefined) out.push({ track: t, ref: track.init, index: out.length });
    for (const [order, ref] of track.segments.entries()) out.push({ track: t, ref, index: out.length, order, initIndex });
  });
  return out;
}

/** A playlist's byte range (length from offset, as both parsers give it) as [start, end). */
export function rangeOf(range: { length: number; offset: number } | undefined): [number, number] | undefined {
  return range === undefined ? undefined : [range.offset, range.offset + range.length];
}
