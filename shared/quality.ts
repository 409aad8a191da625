/** Which variant of a stream a user asked for: the best or worst, a height ("720p"), or a bandwidth in bits/s. */
export type QualityChoice = { kind: 'best' } | { kind: 'worst' } | { kind: 'height'; height: number } | { kind: 'bandwidth'; bandwidth: number };

/** The smallest bandwidth taken as one: a smaller number is far more likely a height written without its "p". */
const MIN_BANDWIDTH = 10_000;

export const QUALITY_PROBLEM = `"quality" must be best, worst, a height such as 720p, or a bandwidth in bits per second (at least ${MIN_BANDWIDTH}).`;

/** Reads a quality as given (`--quality`, the API's `quality`); undefined when it is none. Absent is the best. */
export function qualityChoice(value: unknown): QualityChoice | undefined {
  if (value === undefined || value === 'best') return { kind: 'best' };
  if (value === 'worst') return { kind: 'worst' };
  if (typeof value === 'string' && /^\d{2,5}p$/u.test(value)) return { kind: 'height', height: Number(value.slice(0, -1)) };
  const bandwidth = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/u.test(value) ? Number(value) : Number.NaN;
  return Number.isSafeInteger(bandwidth) && bandwidth >= MIN_BANDWIDTH ? { kind: 'bandwidth', bandwidth } : undefined;
}
