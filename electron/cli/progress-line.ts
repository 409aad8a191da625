import type { Download } from '../../shared/api.ts';
import { etaSeconds, formatBytes, formatDuration, formatSpeed } from '../../shared/units.ts';

export type ProgressView = Pick<Download, 'filename' | 'received' | 'total' | 'speed' | 'connections' | 'retry'>;

const BAR = 20;

/**
 * One terminal line of fixed layout, so nothing jumps as the numbers change:
 * `disk.iso   42% [========>           ] 420.0 MiB / 1.0 GiB   85.2 MiB/s  ETA 7s     8 conn.`
 * The name takes what `width` leaves and is shortened with an ellipsis; the bar is dropped
 * on a terminal too narrow for it.
 */
export function progressBarLine(view: ProgressView, width: number, now = Date.now()): string {
  if (view.retry !== undefined) return `${fitName(view.filename, Math.min(40, Math.max(8, width - 60)))} ${waitingText(view, now)}`.slice(0, width);
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

/** What a download waiting to retry is waiting for: how long, which try, and why (a server's Retry-After included). */
function waitingText(view: ProgressView, now: number): string {
  const retry = view.retry!;
  const seconds = Math.max(0, Math.ceil((Date.parse(retry.at) - now) / 1000));
  return `waiting ${formatDuration(seconds)} to retry (${retry.attempt} of ${retry.limit}): ${retry.error.message}`;
}

/** A log-friendly line for when the output is not a terminal. */
export function progressPlainLine(view: ProgressView, now = Date.now()): string {
  if (view.retry !== undefined) return `${view.filename}: ${waitingText(view, now)}`;
  const { received, total, speed } = view;
  const percent = total === null || total === 0 ? '' : `${Math.floor((received / total) * 100)}% `;
  const amount = `${percent}${formatBytes(received)}${total === null ? '' : ` of ${formatBytes(total)}`}`;
  // Nothing measured yet: say what is happening rather than "0 B/s".
  if (speed <= 0) return `${view.filename}: ${amount}, ${view.connections > 0 ? 'waiting for data' : 'connecting'}.`;
  const eta = etaSeconds(received, total, speed);
  return `${view.filename}: ${amount} at ${formatSpeed(speed)}${eta === undefined ? '' : `, ${formatDuration(eta)} left`}, ${view.connections} conn.`;
}

/** The line a finished download ends on: its size, the time taken and the average speed of this run, not a last instant's 0 B/s. */
export function progressDoneLine(view: Pick<Download, 'filename' | 'received' | 'total'>, bytesThisRun: number, seconds: number, width: number): string {
  const amount = formatBytes(view.received);
  return `${view.filename} 100% ${amount} in ${formatDuration(Math.round(seconds))} at ${formatSpeed(bytesThisRun / Math.max(0.001, seconds))} on average`.slice(0, width);
}
