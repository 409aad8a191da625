/**
 * Human units for sizes, speeds and durations, shared by the terminal and the renderer.
 * Binary units (KiB, MiB…) because that is what file managers and disks report.
 */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export function formatBytes(bytes: number, locale?: string): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '–';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  // English (the terminal, the engine's log) is written by hand: the first Intl formatter a
  // process makes loads ICU's data, about 13 ms of a short command's start.
  const text =
    locale === undefined || locale === 'en' || locale === 'en-US'
      ? plainNumber(value, digits)
      : new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  return `${text} ${UNITS[unit]}`;
}

/** `value` with `digits` decimals and thousands separated by commas, as en-US writes it. */
function plainNumber(value: number, digits: number): string {
  const [whole = '0', fraction] = value.toFixed(digits).split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/gu, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
}

export function formatSpeed(bytesPerSecond: number, locale?: string): string {
  return `${formatBytes(bytesPerSecond, locale)}/s`;
}

/** Seconds left at `speed`, or undefined when it cannot be known. */
export function etaSeconds(received: number, total: number | null, speed: number): number | undefined {
  if (total === null || speed <= 0 || received >= total) return undefined;
  return Math.ceil((total - received) / speed);
}

/** `42s`, `3m 05s`, `1h 02m`, `3d 4h`. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, '0')}s`;
  if (s < 86_400) return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
  return `${Math.floor(s / 86_400)}d ${Math.floor((s % 86_400) / 3600)}h`;
}

const RATE_FACTORS: Record<string, number> = { '': 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3 };

/** Parses `500K`, `2M`, `1.5MiB`, `100kb/s`, `250000` into bytes per second; undefined if malformed. */
export function parseByteRate(text: string): number | undefined {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*(?:\/s)?\s*$/iu.exec(text);
  if (match === null) return undefined;
  const factor = RATE_FACTORS[(match[2] ?? '').toLowerCase()];
  if (factor === undefined) return undefined;
  const value = Math.round(Number(match[1]) * factor);
  return Number.isSafeInteger(value) ? value : undefined;
}
