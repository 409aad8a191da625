import type { Download } from '../../shared/api.ts';
import { etaSeconds, formatBytes, formatDuration, formatSpeed } from '../../shared/units.ts';

export type ProgressView = Pick<Download, 'filename' | 'received' | 'total' | 'speed' | 'connections'>;

const BAR = 20;

/**
 * One terminal line of fixed layout, so nothing jumps as the numbers change:
 * `disk.iso   42% [========>           ] 420.0 MiB / 1.0 GiB   85.2 MiB/s  ETA 7s     8 conn.`
 * The name takes what `width` leaves and is shortened with an ellipsis; the bar is dropped
 * on a terminal too narrow for it.
 */
export function progressBarLine(view: ProgressView, width: number): string {
  const { received, total, speed } = view;
  const eta = etaSeconds(received, total, speed);
  const amount = (total === null ? formatBytes(received) : `${formatBytes(received)} / ${formatBytes(total)}`).padStart(21);
  const tail = ` ${amount}  ${formatSpeed(speed).padStart(11)}  ${(eta === undefined ? '' : `ETA ${formatDuration(eta)}`).padEnd(11)} ${`${view.connections} conn.`.padStart(8)}`;
  const ratio = total === null || total === 0 ? undefined : Math.min(1, received / total);
  const percent = ratio === undefined ? '    ' : `${Math.floor(ratio * 100)}%`.padStart(4);
  const filled = ratio === undefined ? 0 : Math.floor(ratio * BAR);
  const bar = ratio === undefined ? ` [${' '.repeat(BAR)}]` : ` [${ratio >= 1 ? '='.repeat(BAR) : `${'='.repeat(filled)}>${' '.repeat(BAR - filled - 1)}`}]`;
  const withBar = width - tail.length - percent.length - bar.length - 1 >= 8;
  const room = Math.max(0, width - tail.length - percent.length - (withBar ? bar.length : 0) - 1);
  return `${fitName(view.filename, room)} ${percent}${withBar ? bar : ''}${tail}`.slice(0, width);
}

function fitName(name: string, room: number): string {
  const chars = [...name];
  if (chars.length <= room) return name.padEnd(room);
  return room <= 1 ? '…'.slice(0, room) : `${chars.slice(0, room - 1).join('')}…`;
}

/** A log-friendly line for when the output is not a terminal. */
export function progressPlainLine(view: ProgressView): string {
  const { received, total, speed } = view;
  const percent = total === null || total === 0 ? '' : `${Math.floor((received / total) * 100)}% `;
  const eta = etaSeconds(received, total, speed);
  return `${view.filename}: ${percent}${formatBytes(received)}${total === null ? '' : ` of ${formatBytes(total)}`} at ${formatSpeed(speed)}${eta === undefined ? '' : `, ${formatDuration(eta)} left`}, ${view.connections} conn.`;
}
