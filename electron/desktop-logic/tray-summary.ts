import type { Download } from '../../shared/api.ts';
import { etaSeconds, formatDuration, formatSpeed } from '../../shared/units.ts';

export interface TraySummary {
  /** Tooltip text for the tray icon. */
  tooltip: string;
  /** For BrowserWindow.setProgressBar: 0–1, 2 for indeterminate, -1 to hide. */
  progress: number;
  /** Running downloads. */
  active: number;
}

/** Aggregate progress over running downloads, for the tray and the taskbar. */
export function summarize(downloads: readonly Download[]): TraySummary {
  const running = downloads.filter((d) => d.status === 'downloading' || d.status === 'queued');
  if (running.length === 0) return { tooltip: 'Haul: nothing downloading', progress: -1, active: 0 };
  let received = 0;
  let total = 0;
  let speed = 0;
  let unknown = false;
  for (const d of running) {
    received += d.received;
    speed += d.speed;
    if (d.total === null) unknown = true;
    else total += d.total;
  }
  const fraction = unknown || total === 0 ? 2 : Math.min(1, received / total);
  const eta = unknown ? undefined : etaSeconds(received, total, speed);
  const percent = fraction === 2 ? '' : ` ${Math.floor(fraction * 100)}%`;
  const tooltip = `Haul: ${running.length} downloading${percent}, ${formatSpeed(speed)}${eta === undefined ? '' : `, ${formatDuration(eta)} left`}`;
  return { tooltip, progress: fraction, active: running.length };
}
