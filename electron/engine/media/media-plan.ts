/** One piece of a stream to fetch: a URL, maybe a byte range of it, maybe encrypted. */
export interface SegmentRef {
  url: string;
  /** Bytes [start, end) of the resource, for playlists that cut one file into segments. */
  range?: [number, number] | undefined;
  /** AES-128-CBC: the key's URL and this segment's IV. */
  key?: KeyRef | undefined;
  /** Seconds (0 for an init section). */
  duration: number;
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

/** The whole list of what to fetch, in one order: track after track; `index` is a segment's place in it. */
export function allSegments(plan: MediaPlan): Array<{ track: number; ref: SegmentRef; index: number }> {
  const out: Array<{ track: number; ref: SegmentRef; index: number }> = [];
  plan.tracks.forEach((track, t) => {
    for (const ref of [...(track.init === undefined ? [] : [track.init]), ...track.segments]) out.push({ track: t, ref, index: out.length });
  });
  return out;
}
