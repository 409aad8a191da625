import { parse, type ByteRange, type Manifest, type Playlist } from 'mpd-parser';
import { TransferError } from '../errors.ts';
import { HLS_LIMITS, rangeOf, type FetchedText, type MediaPlan, type SegmentRef, type TrackPlan, type Variant } from './media-plan.ts';
import { chooseVariant, type QualityChoice } from './quality.ts';
import { readSidx, type SegmentIndex } from './sidx.ts';

/** Bytes `range` ([start, end)) of `url`, fetched as the download's segments are. */
export type FetchRange = (url: URL, range: [number, number]) => Promise<Buffer>;

/**
 * What a DASH manifest (a static MPD) asks to fetch, read with mpd-parser: the video
 * representation `quality` picks, with the default audio representation as a second track.
 * SegmentTemplate ($Number$, $Time$ with a SegmentTimeline), SegmentList and SegmentBase (its
 * segment index fetched and read) are supported; refused with the reason: a dynamic (live) MPD,
 * ContentProtection (DRM), a manifest that does not parse, and absurd sizes.
 */
export async function planDash(fetched: FetchedText, quality: QualityChoice, fetchRange: FetchRange): Promise<MediaPlan> {
  const { url } = fetched;
  const { video, audio } = readDash(fetched);
  const variants = video.map((p) => ({ ...toVariant(p), source: p }));
  const chosen = chooseVariant(variants, quality);
  const main = chosen?.source ?? audio;
  if (main === undefined) throw bad(url, 'it lists no representation Haul can fetch');
  const tracks = [await trackPlan('main', main, url, fetchRange), ...(chosen !== undefined && audio !== undefined ? [await trackPlan('audio', audio, url, fetchRange)] : [])];
  const count = tracks.reduce((n, t) => n + t.segments.length, 0);
  if (count > HLS_LIMITS.maxSegments) throw bad(url, `it lists ${count} segments, more than the ${HLS_LIMITS.maxSegments} Haul accepts`);
  const duration = tracks[0]?.segments.reduce((sum, s) => sum + s.duration, 0) ?? 0;
  const variant = chosen === undefined ? undefined : toVariant(chosen.source);
  return { tracks, duration, variant, variants: variants.map((v) => toVariant(v.source)) };
}

/** The qualities a manifest offers (the add panel's list), without reading any segment index. */
export function dashVariants(fetched: FetchedText): Variant[] {
  return readDash(fetched).video.map(toVariant);
}

/** The manifest's video representations and its default audio one, after the checks every use makes. */
function readDash(fetched: FetchedText): { video: Playlist[]; audio: Playlist | undefined } {
  const { text, url } = fetched;
  if (Buffer.byteLength(text) > HLS_LIMITS.maxPlaylistBytes) throw bad(url, `it is over ${HLS_LIMITS.maxPlaylistBytes / 1024 / 1024} MiB`);
  if (/<MPD[^>]*\stype\s*=\s*["']dynamic["']/u.test(text))
    throw new TransferError('LIVE_STREAM', `${url.host} serves a live stream (a dynamic DASH manifest); Haul downloads finished streams only.`, { transient: false });
  if (/<(\w+:)?ContentProtection[\s>]/u.test(text)) throw drm(url);
  let manifest: Manifest;
  try {
    manifest = parse(text, { manifestUri: url.href });
  } catch (cause) {
    throw bad(url, cause instanceof Error ? cause.message : String(cause));
  }
  const video = manifest.playlists.filter((p) => p.segments.length > 0 || p.sidx !== undefined);
  const audios = Object.values(manifest.mediaGroups?.AUDIO ?? {}).flatMap((group) => Object.values(group));
  return { video, audio: (audios.find((a) => a.default === true) ?? audios[0])?.playlists?.[0] };
}

async function trackPlan(role: 'main' | 'audio', p: Playlist, url: URL, fetchRange: FetchRange): Promise<TrackPlan> {
  if (p.contentProtection !== undefined) throw drm(url);
  if (p.sidx !== undefined && p.segments.length === 0) return indexedTrack(role, p.sidx, url, fetchRange);
  const segments = p.segments.map((s): SegmentRef => ({ url: s.resolvedUri, range: rangeOf(s.byterange), duration: s.duration }));
  return { role, init: initOf(p.segments[0]?.map), segments };
}

/** SegmentBase: one file, its segments where its index (sidx, at indexRange) says. */
async function indexedTrack(role: 'main' | 'audio', sidx: NonNullable<Playlist['sidx']>, url: URL, fetchRange: FetchRange): Promise<TrackPlan> {
  const at = rangeOf(sidx.byterange);
  if (at === undefined) throw bad(url, 'a SegmentBase names no indexRange');
  const file = new URL(sidx.resolvedUri);
  let index: SegmentIndex;
  try {
    index = readSidx(await fetchRange(file, at));
  } catch (error) {
    if (error instanceof TransferError) throw error;
    throw bad(url, `the representation at ${file.pathname.slice(0, 100)}: ${(error as Error).message}`);
  }
  if (index.references.some((r) => r.isIndex)) throw bad(url, 'its segment index points at further indexes, which Haul does not read');
  const segments: SegmentRef[] = [];
  let start = at[1] + index.firstOffset;
  for (const r of index.references) {
    segments.push({ url: file.href, range: [start, start + r.size], duration: r.duration / index.timescale });
    start += r.size;
  }
  return { role, init: initOf(sidx.map), segments };
}

/** A representation's init section (its Initialization), if it has one. */
function initOf(map: { resolvedUri: string; byterange?: ByteRange } | undefined): SegmentRef | undefined {
  return map === undefined ? undefined : { url: map.resolvedUri, range: rangeOf(map.byterange), duration: 0 };
}

function toVariant(p: Playlist): Variant {
  const res = p.attributes.RESOLUTION;
  return { width: res?.width, height: res?.height, bandwidth: p.attributes.BANDWIDTH, codecs: p.attributes.CODECS };
}

function bad(url: URL, why: string): TransferError {
  return new TransferError('BAD_PLAYLIST', `The DASH manifest at ${url.host}${url.pathname.slice(0, 100)} cannot be read: ${why}.`, { transient: false });
}

function drm(url: URL): TransferError {
  return new TransferError('DRM_PROTECTED', `The stream at ${url.host} is protected (DASH ContentProtection, DRM); Haul does not download DRM-protected video.`, { transient: false });
}
