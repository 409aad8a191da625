import { etaSeconds, formatBytes, formatDuration, formatSpeed } from '../../shared/units.ts';

export interface ProgressView {
  received: number;
  total: number | null;
  speed: number;
}

/** One terminal line: `  42% [=======>      ] 420.0 MiB / 1.0 GiB  85.2 MiB/s  ETA 7s`, fitted to `width`. */
export function progressBarLine(view: ProgressView, width: number): string {
  const { received, total, speed } = view;
  const eta = etaSeconds(received, total, speed);
  const amount = total === null ? formatBytes(received) : `${formatBytes(received)} / ${formatBytes(total)}`;
  const tail = `  ${amount}  ${formatSpeed(speed)}${eta === undefined ? '' : `  ETA ${formatDuration(eta)}`}`;
  if (total === null || total === 0) return `${'  '.padEnd(7)}${tail}`.slice(0, width);
  const ratio = Math.min(1, received / total);
  const percent = `${Math.floor(ratio * 100)}%`.padStart(4);
  const barWidth = Math.max(0, width - percent.length - tail.length - 3);
  if (barWidth < 10) return `${percent}${tail}`.slice(0, width);
  const filled = Math.floor(ratio * barWidth);
  const bar = ratio >= 1 ? '='.repeat(barWidth) : `${'='.repeat(filled)}>${' '.repeat(Math.max(0, barWidth - filled - 1))}`;
  return `${percent} [${bar}]${tail}`;
}

/** A log-friendly line for when the output is not a terminal. */
export function progressPlainLine(view: ProgressView): string {
  const { received, total, speed } = view;
  const percent = total === null || total === 0 ? '' : `${Math.floor((received / total) * 100)}% `;
  const eta = etaSeconds(received, total, speed);
  return `${percent}${formatBytes(received)}${total === null ? '' : ` of ${formatBytes(total)}`} at ${formatSpeed(speed)}${eta === undefined ? '' : `, ${formatDuration(eta)} left`}`;
}
