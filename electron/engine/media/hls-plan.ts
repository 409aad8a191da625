import { Parser, type Manifest, type Rendition, type SegmentKey, type Variant as HlsVariant } from 'm3u8-parser';
import { TransferError } from '../errors.ts';
import { HLS_LIMITS, rangeOf, type FetchedText, type KeyRef, type MediaPlan, type SegmentRef, type TrackPlan, type Variant } from './media-plan.ts';
import { chooseVariant, type QualityChoice } from './quality.ts';

/**
 * What an HLS playlist (RFC 8216) asks to fetch. A master playlist's variant is chosen by
 * `quality`, and an alternate audio rendition of its group joins as a second track. Refused,
 * with the reason: a playlist that is not one (naming the line), a live one, DRM (SAMPLE-AES,
 * key formats), a master that points at another master, and absurd sizes.
 */
export async function planHls(first: FetchedText, fetchText: (url: URL) => Promise<FetchedText>, quality: QualityChoice): Promise<MediaPlan> {
  const top = parsePlaylist(first);
  const offered = top.playlists ?? [];
  if (offered.length === 0) return { ...mediaTracks([{ role: 'main', manifest: top, url: first.url }]), variants: [] };
  const variants = offered.map((v) => ({ ...hlsVariant(v), source: v }));
  const chosen = chooseVariant(variants, quality);
  if (chosen === undefined) throw bad(first.url, 1, 'the master playlist lists no variant with an address');
  const media = await fetchMedia(fetchText, new URL(chosen.source.uri, first.url));
  const tracks: Array<{ role: 'main' | 'audio'; manifest: Manifest; url: URL }> = [{ role: 'main', ...media }];
  const audio = audioRendition(top, chosen.source.attributes.AUDIO);
  if (audio?.uri !== undefined) tracks.push({ role: 'audio', ...(await fetchMedia(fetchText, new URL(audio.uri, first.url))) });
  const { source: _source, ...variant } = chosen;
  return { ...mediaTracks(tracks), variant, variants: variants.map(({ source: _s, ...v }) => v) };
}

async function fetchMedia(fetchText: (url: URL) => Promise<FetchedText>, url: URL): Promise<{ manifest: Manifest; url: URL }> {
  const fetched = await fetchText(url);
  const manifest = parsePlaylist(fetched);
  if ((manifest.playlists ?? []).length > 0) throw bad(fetched.url, 1, 'a variant of the master playlist is another master playlist (playlists pointing at each other)');
  return { manifest, url: fetched.url };
}

/** Parses a playlist after checking what m3u8-parser would pass over: the header, and that each address follows its tag. */
export function parsePlaylist(fetched: FetchedText): Manifest {
  const { text, url } = fetched;
  if (Buffer.byteLength(text) > HLS_LIMITS.maxPlaylistBytes) throw bad(url, 1, `the playlist is over ${HLS_LIMITS.maxPlaylistBytes / 1024 / 1024} MiB`);
  const lines = text.replace(/^\uFEFF/u, '').split(/\r?\n/u);
  if (lines[0]?.trim() !== '#EXTM3U') throw bad(url, 1, 'it does not start with #EXTM3U, so it is not an HLS playlist');
  let expectUri = false;
  let segments = 0;
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || (line.startsWith('#') && !line.startsWith('#EXT'))) return;
    if (line.startsWith('#EXTINF:')) {
      if (!/^#EXTINF:\s*\d+(\.\d+)?\s*(,.*)?$/u.test(line)) throw bad(url, i + 1, `"${line.slice(0, 60)}" has no duration in seconds`);
      expectUri = true;
      segments += 1;
    } else if (line.startsWith('#EXT-X-STREAM-INF')) {
      expectUri = true;
    } else if (!line.startsWith('#')) {
      if (!expectUri) throw bad(url, i + 1, `the address "${line.slice(0, 60)}" follows no #EXTINF or #EXT-X-STREAM-INF`);
      expectUri = false;
    }
  });
  if (segments > HLS_LIMITS.maxSegments) throw bad(url, 1, `it lists ${segments} segments, more than the ${HLS_LIMITS.maxSegments} Haul accepts`);
  const parser = new Parser({ url: url.href });
  parser.push(text);
  parser.end();
  return parser.manifest;
}

function mediaTracks(tracks: ReadonlyArray<{ role: 'main' | 'audio'; manifest: Manifest; url: URL }>): Omit<MediaPlan, 'variants'> {
  const planned = tracks.map((t) => trackPlan(t.role, t.manifest, t.url));
  const main = planned[0];
  return { tracks: planned, duration: main === undefined ? 0 : main.segments.reduce((sum, s) => sum + s.duration, 0) };
}

function trackPlan(role: 'main' | 'audio', m: Manifest, base: URL): TrackPlan {
  if (m.endList !== true) throw new TransferError('LIVE_STREAM', `${base.host} serves a live stream (its playlist has no #EXT-X-ENDLIST); Haul downloads finished streams only.`, { transient: false });
  if (m.contentProtection !== undefined) throw drm(base, 'a DRM key format');
  if (m.segments.length === 0) throw bad(base, 1, 'it lists no segments');
  const sequence = m.mediaSequence ?? 0;
  const firstMap = m.segments[0]?.map;
  const segments = m.segments.map((s, i): SegmentRef => {
    if (s.map?.uri !== firstMap?.uri || rangeOf(s.map?.byterange)?.join() !== rangeOf(firstMap?.byterange)?.join()) {
      throw bad(base, 1, 'its initialisation section (#EXT-X-MAP) changes within the stream, which Haul does not join yet');
    }
    return { url: new URL(s.uri, base).href, range: rangeOf(s.byterange), key: keyOf(s.key, sequence + i, base), duration: s.duration, discontinuity: s.discontinuity === true };
  });
  const init = firstMap === undefined ? undefined : { url: new URL(firstMap.uri, base).href, range: rangeOf(firstMap.byterange), key: keyOf(firstMap.key, sequence, base), duration: 0 };
  return { role, init, segments };
}

function keyOf(key: SegmentKey | undefined, sequence: number, base: URL): KeyRef | undefined {
  if (key === undefined || key.method === 'NONE') return undefined;
  if (key.method !== 'AES-128') throw drm(base, `METHOD=${key.method}`);
  if (key.uri === undefined) throw bad(base, 1, 'an #EXT-X-KEY with METHOD=AES-128 has no URI');
  return { url: new URL(key.uri, base).href, iv: key.iv === undefined ? sequenceIv(sequence) : ivFromWords(key.iv) };
}

/** Without an IV attribute, the IV is the segment's media sequence number, big-endian in 16 bytes (RFC 8216 §5.2). */
function sequenceIv(sequence: number): Buffer {
  const iv = Buffer.alloc(16);
  iv.writeBigUInt64BE(BigInt(sequence), 8);
  return iv;
}

function ivFromWords(words: Uint32Array): Buffer {
  const iv = Buffer.alloc(16);
  for (const [i, w] of words.entries()) iv.writeUInt32BE(w >>> 0, i * 4);
  return iv;
}

function audioRendition(top: Manifest, group: string | undefined): Rendition | undefined {
  if (group === undefined) return undefined;
  const renditions = Object.values(top.mediaGroups?.AUDIO?.[group] ?? {});
  return renditions.find((r) => r.default === true && r.uri !== undefined) ?? renditions.find((r) => r.uri !== undefined);
}

/** A master playlist's variant as the quality choice sees it. */
export function hlsVariant(v: HlsVariant): Variant {
  const res = v.attributes.RESOLUTION;
  return { width: res?.width, height: res?.height, bandwidth: v.attributes.BANDWIDTH, codecs: v.attributes.CODECS };
}

function bad(url: URL, line: number, why: string): TransferError {
  return new TransferError('BAD_PLAYLIST', `The playlist at ${url.host}${url.pathname.slice(0, 100)} cannot be read, line ${line}: ${why}.`, { transient: false });
}

function drm(url: URL, what: string): TransferError {
  return new TransferError('DRM_PROTECTED', `The stream at ${url.host} is encrypted with ${what} (DRM); Haul does not download DRM-protected video.`, { transient: false });
}
