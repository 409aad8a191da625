import { assertNever } from '../../../shared/assert-never.ts';
import { qualityChoice, QUALITY_PROBLEM, type QualityChoice } from '../../../shared/quality.ts';
import { InputError } from '../errors.ts';
import type { Variant } from './media-plan.ts';

export type { QualityChoice } from '../../../shared/quality.ts';

/** Reads `--quality` / the API's `quality`: best, worst, 720p, or a bandwidth in bits/s. */
export function parseQuality(value: unknown): QualityChoice {
  const choice = qualityChoice(value);
  if (choice === undefined) throw new InputError('INVALID_FIELD', QUALITY_PROBLEM, 'quality');
  return choice;
}

/**
 * The variant to download: the best is the highest resolution, then the highest bandwidth; a
 * height picks that height (else the nearest below it, else the lowest above); a bandwidth the
 * highest at or below it (else the lowest).
 */
export function chooseVariant<V extends Variant>(offered: readonly V[], choice: QualityChoice): V | undefined {
  // An audio-only variant (no resolution where others have one) is never the video's choice.
  const withVideo = offered.filter((v) => v.height !== undefined);
  const variants = withVideo.length > 0 ? withVideo : offered;
  const ranked = [...variants].sort((a, b) => pixels(a) - pixels(b) || (a.bandwidth ?? 0) - (b.bandwidth ?? 0));
  switch (choice.kind) {
    case 'best':
      return ranked.at(-1);
    case 'worst':
      return ranked[0];
    case 'height': {
      const exact = ranked.filter((v) => v.height === choice.height);
      if (exact.length > 0) return exact.at(-1);
      const below = ranked.filter((v) => (v.height ?? 0) < choice.height);
      return below.at(-1) ?? ranked[0];
    }
    case 'bandwidth': {
      const byRate = [...variants].sort((a, b) => (a.bandwidth ?? 0) - (b.bandwidth ?? 0));
      return byRate.filter((v) => (v.bandwidth ?? 0) <= choice.bandwidth).at(-1) ?? byRate[0];
    }
    default:
      return assertNever(choice, 'quality choice');
  }
}

function pixels(v: Variant): number {
  return (v.width ?? 0) * (v.height ?? 0);
}
