import { describe, expect, it } from 'vitest';
import { chooseVariant, parseQuality } from '../../../../electron/engine/media/quality.ts';

const variants = [
  { name: 'audio', bandwidth: 70_000 },
  { name: '360', width: 640, height: 360, bandwidth: 950_000 },
  { name: '360-hi', width: 640, height: 360, bandwidth: 1_400_000 },
  { name: '720', width: 1280, height: 720, bandwidth: 3_000_000 },
  { name: '180', width: 320, height: 180, bandwidth: 400_000 },
];
const pick = (q: unknown) => chooseVariant(variants, parseQuality(q))?.name;

describe('choosing a stream quality', () => {
  it('best and worst by resolution, then bandwidth, never the audio-only variant', () => {
    expect(pick(undefined)).toBe('720');
    expect(pick('best')).toBe('720');
    expect(pick('worst')).toBe('180');
  });

  it('a height: that one (the higher bandwidth of two), else the nearest below, else the lowest', () => {
    expect(pick('360p')).toBe('360-hi');
    expect(pick('480p')).toBe('360-hi');
    expect(pick('144p')).toBe('180');
  });

  it('a bandwidth: the highest at or below it, else the lowest', () => {
    expect(pick(1_000_000)).toBe('360');
    expect(pick('2000000')).toBe('360-hi');
    expect(pick(10_000)).toBe('180');
  });

  it('refuses anything else, naming the choices', () => {
    for (const bad of ['sharp', '', -5, 0, 1, '720', true]) expect(() => parseQuality(bad)).toThrow(/"quality" must be best, worst, a height such as 720p/u);
  });
});
