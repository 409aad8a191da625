import { parse, type Manifest, type Playlist } from 'mpd-parser';
import { TransferError } from '../errors.ts';
import { HLS_LIMITS, rangeOf, type FetchedText, type MediaPlan, type SegmentRef, type TrackPlan, type Variant } from './media-plan.ts';
import { chooseVariant, type QualityChoice } from './quality.ts';

/**
 * What a DASH manifest (a static MPD) asks to fetch, read with mpd-parser: the video
 * representation `quality` picks, with the default audio representation as a second track.
 * SegmentTemplate ($Number$, $Time$ with a SegmentTimeline) and SegmentList are supported;
 * refused with the reason: a dynamic (live) MPD, ContentProtection (DRM), SegmentBase (its
 * index is not read yet), a manifest that does not parse, and absurd sizes.
 */
export function planDash(fetched: FetchedText, quality: QualityChoice): MediaPlan {
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
  const audio = (audios.find((a) => a.default === true) ?? audios[0])?.playlists?.[0];
  const variants = video.map((p) => ({ ...toVariant(p), source: p }));
  const chosen = chooseVariant(variants, quality);
  const main = chosen?.source ?? audio;
  if (main === undefined) throw bad(url, 'it lists no representation Haul can fetch');
  const tracks = [trackPlan('main', main, url), ...(chosen !== undefined && audio !== undefined ? [trackPlan('audio', audio, url)] : [])];
  const count = tracks.reduce((n, t) => n + t.segments.length, 0);
  if (count > HLS_LIMITS.maxSegments) throw bad(url, `it lists ${count} segments, more than the ${HLS_LIMITS.maxSegments} Haul accepts`);
  const duration = tracks[0]?.segments.reduce((sum, s) => sum + s.duration, 0) ?? 0;
  const variant = chosen === undefined ? undefined : toVariant(chosen.source);
  return { tracks, duration, variant, variants: variants.map((v) => toVariant(v.source)) };
}

function trackPlan(role: 'main' | 'audio', p: Playlist, url: URL): TrackPlan {
  if (p.contentProtection !== undefined) throw drm(url);
  if (p.sidx !== undefined && p.segments.length === 0) throw bad(url, 'a representation uses SegmentBase (an index inside the file), which Haul does not read yet');
  const map = p.segments[0]?.map;
  const segments = p.segments.map((s): SegmentRef => ({ url: s.resolvedUri, range: rangeOf(s.byterange), duration: s.duration }));
  return { role, init: map === undefined ? undefined : { url: map.resolvedUri, range: rangeOf(map.byterange), duration: 0 }, segments };
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
